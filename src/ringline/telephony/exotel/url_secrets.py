"""Exotel signs none of its requests: ringline puts a secret in each status callback URL
it gives Exotel, an HMAC of the call's ID under the account's API token, so only Exotel
(and the account's owner) can make a request that verifies."""

import hashlib
import hmac


def url_secret(api_token: str, subject: str) -> str:
    return hmac.new(api_token.encode(), f"exotel:{subject}".encode(), hashlib.sha256).hexdigest()


def valid_url_secret(api_token: str, subject: str, given: str) -> bool:
    return bool(given) and hmac.compare_digest(url_secret(api_token, subject), given)
