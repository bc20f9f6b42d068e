"""Phone numbers in E.164, checked with ``phonenumbers``."""

from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, Field

E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"


def to_e164(value: str) -> str:
    """The number in E.164 form; ValueError says what is wrong with it."""
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(
            f"'{value}' is not a phone number in E.164 form like +919876543210"
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"'{value}' is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


E164 = Annotated[
    str, Field(pattern=E164_PATTERN, examples=["+919876543210"]), AfterValidator(to_e164)
]
