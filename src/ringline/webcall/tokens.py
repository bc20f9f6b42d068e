"""Signed web call tokens: ``wct.<payload>.<signature>``, HMAC-SHA256 with the secret key.

The payload names the token's row (which makes it usable once), its workspace, its
assistant and its expiry; the signature proves this server made it. Whether it was used
lives in the database, not in the token.
"""

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

PREFIX = "wct"


@dataclass(frozen=True)
class TokenClaims:
    token_id: str
    workspace_id: str
    assistant_id: str
    expires_at: datetime


class BadToken(Exception):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret_key: str, payload: str) -> str:
    digest = hmac.new(secret_key.encode(), f"webcall:{payload}".encode(), hashlib.sha256)
    return _b64(digest.digest())


def sign(secret_key: str, claims: TokenClaims) -> str:
    body = {
        "id": claims.token_id,
        "ws": claims.workspace_id,
        "asst": claims.assistant_id,
        "exp": int(claims.expires_at.timestamp()),
    }
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    return f"{PREFIX}.{payload}.{_signature(secret_key, payload)}"


def verify(secret_key: str, token: str) -> TokenClaims:
    """The claims of a token this server signed; ``BadToken`` otherwise (expiry unchecked)."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise BadToken("not a web call token")
    _, payload, signature = parts
    if not hmac.compare_digest(_signature(secret_key, payload), signature):
        raise BadToken("the token's signature is invalid")
    try:
        body = json.loads(_unb64(payload))
        return TokenClaims(
            token_id=str(body["id"]),
            workspace_id=str(body["ws"]),
            assistant_id=str(body["asst"]),
            expires_at=datetime.fromtimestamp(int(body["exp"]), UTC),
        )
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise BadToken("the token's payload is malformed") from exc
