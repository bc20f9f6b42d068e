"""Plivo's signature V3 (``X-Plivo-Signature-V3`` with ``X-Plivo-Signature-V3-Nonce``),
as docs.plivo.com/docs/voice/xml/request/validation and Plivo's helper library define it:
the URL without its query, ``?`` and its query parameters sorted as ``k=v`` joined by
``&``, then (for a POST with parameters) ``.`` after a non-empty query and every POST
parameter sorted as ``kv`` with no separator; HMAC-SHA256 of that, ``.`` and the nonce,
keyed with the auth token, base64. The header may hold several signatures."""

import base64
import hashlib
import hmac
from urllib.parse import parse_qsl, urlsplit, urlunsplit


def signed_text(url: str, params: list[tuple[str, str]]) -> str:
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    query = "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(parts.query, True)))
    if query or params:
        base += "?" + query
    if query and params:
        base += "."
    return base + "".join(k + v for k, v in sorted(params))


def signature(auth_token: str, url: str, params: list[tuple[str, str]], nonce: str) -> str:
    message = f"{signed_text(url, params)}.{nonce}".encode()
    digest = hmac.new(auth_token.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def valid_signature(
    auth_token: str, url: str, params: list[tuple[str, str]], nonce: str, header: str
) -> bool:
    if not nonce or not header:
        return False
    expected = signature(auth_token, url, params, nonce)
    return any(hmac.compare_digest(expected, given.strip()) for given in header.split(","))
