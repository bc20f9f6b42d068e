"""Checking that a webhook delivery came from ringline (the Standard Webhooks scheme).

Each delivery carries three headers: ``webhook-id`` (the message ID, the same on every
retry of it), ``webhook-timestamp`` (Unix seconds) and ``webhook-signature``: one or more
space-separated ``v1,<base64>`` signatures, each an HMAC-SHA256 of
``{id}.{timestamp}.{body}`` under the endpoint's secret. A secret written
``whsec_<base64>`` is the base64-decoded bytes; any other string is its own UTF-8 bytes.

    from ringline.sdk.webhooks import verify, WebhookVerificationError

    try:
        event = verify(request_body_bytes, request.headers, secret)
    except WebhookVerificationError:
        return 400

Verify the raw body as received: parsing and re-serialising JSON changes the bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from ringline.sdk._exceptions import WebhookVerificationError

__all__ = ["DEFAULT_TOLERANCE_SECONDS", "WebhookVerificationError", "sign", "verify"]

SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE_SECONDS = 5 * 60


def secret_bytes(secret: str | bytes) -> bytes:
    """The HMAC key a secret stands for."""
    if isinstance(secret, bytes):
        key = secret
    elif secret.startswith(SECRET_PREFIX):
        encoded = secret[len(SECRET_PREFIX) :]
        try:
            key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        except binascii.Error as exc:
            raise ValueError("a whsec_ secret must be base64 after the prefix") from exc
    else:
        key = secret.encode()
    if not key:
        raise ValueError("the webhook secret is empty")
    return key


def _as_bytes(payload: bytes | str) -> bytes:
    return payload.encode() if isinstance(payload, str) else payload


def sign(payload: bytes | str, secret: str | bytes, *, msg_id: str, timestamp: int) -> str:
    """The ``v1,<base64>`` signature of a payload, as ``webhook-signature`` carries it."""
    signed = b"%s.%d.%s" % (msg_id.encode(), timestamp, _as_bytes(payload))
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise WebhookVerificationError(f"missing header {name}")


def _timestamp(value: str, tolerance: float, now: float) -> int:
    try:
        timestamp = int(value)
    except ValueError:
        raise WebhookVerificationError(
            f"webhook-timestamp is not Unix seconds: {value!r}"
        ) from None
    if timestamp < now - tolerance:
        raise WebhookVerificationError("webhook-timestamp is too old")
    if timestamp > now + tolerance:
        raise WebhookVerificationError("webhook-timestamp is too far in the future")
    return timestamp


def _decoded_v1_signatures(header: str) -> list[bytes]:
    signatures = []
    for entry in header.split():
        version, _, encoded = entry.partition(",")
        if version != "v1":
            continue
        try:
            signatures.append(base64.b64decode(encoded, validate=True))
        except binascii.Error:
            continue
    return signatures


def verify(
    payload: bytes | str,
    headers: Mapping[str, str],
    secret: str | bytes,
    *,
    tolerance: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> dict[str, Any]:
    """Check a delivery's signature and timestamp; return its JSON body.

    Raises ``WebhookVerificationError`` when a header is missing, the timestamp is more
    than ``tolerance`` seconds away from ``now`` (a replay, or a skewed clock) or no
    ``v1`` signature matches.
    """
    msg_id = _header(headers, "webhook-id")
    timestamp = _timestamp(
        _header(headers, "webhook-timestamp"), tolerance, time.time() if now is None else now
    )
    expected = base64.b64decode(sign(payload, secret, msg_id=msg_id, timestamp=timestamp)[3:])
    candidates = _decoded_v1_signatures(_header(headers, "webhook-signature"))
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise WebhookVerificationError("no signature matches the payload")
    try:
        body = json.loads(payload)
    except ValueError:
        raise WebhookVerificationError("the signed payload is not JSON") from None
    if not isinstance(body, dict):
        raise WebhookVerificationError("the signed payload is not a JSON object")
    return body
