"""Tokens that let a carrier's media stream into one call, and only that call."""

import hashlib
import hmac


def media_token(secret_key: str, call_id: str) -> str:
    return hmac.new(secret_key.encode(), f"media:{call_id}".encode(), hashlib.sha256).hexdigest()


def valid_media_token(secret_key: str, call_id: str, token: str) -> bool:
    return hmac.compare_digest(media_token(secret_key, call_id), token)
