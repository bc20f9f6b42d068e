"""Provider API keys at rest: encrypted with a key derived from the server's secret.

Unlike ringline's own API keys (stored as hashes), these must be read back to call the
provider, so they are encrypted (Fernet: AES-128-CBC + HMAC-SHA256), never hashed.
Rotating ``RINGLINE_SECRET_KEY`` makes stored provider keys unreadable: set them again.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

_CONTEXT = b"ringline voice provider keys\x00"


class UnreadableKey(Exception):
    """A stored provider key that the current server secret cannot decrypt."""


def _fernet(server_secret: str) -> Fernet:
    digest = hashlib.sha256(_CONTEXT + server_secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(server_secret: str, api_key: str) -> str:
    return _fernet(server_secret).encrypt(api_key.encode()).decode()


def decrypt(server_secret: str, token: str) -> str:
    try:
        return _fernet(server_secret).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise UnreadableKey("the provider's API key was stored under another secret key") from exc
