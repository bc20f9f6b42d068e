"""Standard Webhooks signing: secrets, keys and the three ``webhook-*`` headers.

A secret in the spec's form (``whsec_`` + base64) signs with its decoded bytes. Any other
secret a client registered (the reference's example is ``"optional-signing-secret"``)
signs with its UTF-8 bytes: verify those with ``Webhook(secret.encode())``.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
from datetime import datetime

from standardwebhooks import Webhook

PREFIX = "whsec_"
SECRET_BYTES = 32


def generate_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signing_key(secret: str) -> bytes:
    """The HMAC key of a secret; ValueError for a ``whsec_`` secret that is not base64."""
    if not secret.startswith(PREFIX):
        return secret.encode()
    try:
        key = base64.b64decode(secret.removeprefix(PREFIX), validate=True)
    except binascii.Error as exc:
        raise ValueError("a secret starting with 'whsec_' must continue in base64") from exc
    if not key:
        raise ValueError("a secret starting with 'whsec_' must carry a key")
    return key


def workspace_secret(server_secret: str, workspace_id: str) -> str:
    """The secret for destinations given with an event (a call's ``webhook_url``).

    Derived from the server's secret key, so it needs no storage and differs per workspace;
    changing ``RINGLINE_SECRET_KEY`` changes it.
    """
    digest = hmac.new(server_secret.encode(), f"webhooks:{workspace_id}".encode(), hashlib.sha256)
    return PREFIX + base64.b64encode(digest.digest()).decode()


def signed_headers(secret: str, message_id: str, sent_at: datetime, body: str) -> dict[str, str]:
    signature = Webhook(signing_key(secret)).sign(message_id, sent_at, body)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }
