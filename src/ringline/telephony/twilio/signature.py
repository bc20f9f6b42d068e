"""``X-Twilio-Signature``: every request Twilio makes is checked before anything is read."""

from starlette.datastructures import MultiDict
from twilio.request_validator import RequestValidator


def valid_signature(
    auth_token: str, url: str, params: list[tuple[str, str]], signature: str
) -> bool:
    """Twilio's own check, from its helper library: HMAC-SHA1 over the URL it requested
    and the sorted POST parameters (repeated names with every value), with and without
    the port, compared in constant time."""
    validator = RequestValidator(auth_token)
    return bool(signature) and validator.validate(url, MultiDict(params), signature)
