"""Phone numbers in E.164, checked with ``phonenumbers``."""

import re
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, Field

E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"
E164_RE = re.compile(E164_PATTERN)


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


def is_valid_e164(value: str) -> bool:
    """Whether ``value`` is already a valid number written in E.164, checked in bulk.

    The same verdict as ``to_e164(value) == value``, at about a third of the cost: the
    country code is split off directly instead of through ``phonenumbers.parse``.
    """
    if not E164_RE.match(value):
        return False
    for length in (1, 2, 3):
        country = int(value[1 : 1 + length])
        if country in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return False
    national = value[1 + length :]
    if national.startswith("0"):  # leading zeros (Italy) need the full parser
        try:
            return to_e164(value) == value
        except ValueError:
            return False
    number = phonenumbers.PhoneNumber(country_code=country, national_number=int(national))
    return phonenumbers.is_valid_number(number)
