"""Phone numbers: whatever ``phonenumbers`` reads, stored and sent in E.164.

A number is taken in any usual way of writing it with its country code
(``+91 98765 43210``, ``+91-98765-43210``, ``(+91) 9876543210``) and kept as
``+919876543210``. What cannot be a number is refused with the reason in words.
"""

import functools
import re
from datetime import UTC, tzinfo
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import NumberParseException, PhoneMetadata, ValidationResult, phonenumberutil
from phonenumbers import timezone as number_zones
from pydantic import AfterValidator, Field

E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"
E164_RE = re.compile(E164_PATTERN)
EXAMPLE = "+91 98765 43210"
# Room for spaces, dashes and brackets around the at most 15 digits of a number.
MAX_WRITTEN_LENGTH = 64

_UNREADABLE = {
    NumberParseException.NOT_A_NUMBER: "is not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "is too short to be a phone number",
    NumberParseException.TOO_SHORT_NSN: "is too short to be a phone number",
    NumberParseException.TOO_LONG: "is too long to be a phone number",
}
_WRONG_LENGTH = {
    ValidationResult.TOO_SHORT: "has too few digits",
    ValidationResult.TOO_LONG: "has too many digits",
    ValidationResult.INVALID_LENGTH: "has the wrong number of digits",
}


def _quoted(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "...")


def _unreadable(value: str, error: NumberParseException) -> str:
    if error.error_type != NumberParseException.INVALID_COUNTRY_CODE:
        reason = _UNREADABLE.get(error.error_type, "is not a phone number")
        return f"{_quoted(value)} {reason}: write it like {EXAMPLE}"
    if "+" in value:
        return f"{_quoted(value)} starts with no country's calling code"
    return f"{_quoted(value)} has no country code: start it with + and the code, like {EXAMPLE}"


def _invalid(value: str, number: phonenumbers.PhoneNumber) -> str:
    country = f"+{number.country_code}"
    verdict = phonenumbers.is_possible_number_with_reason(number)
    if verdict == ValidationResult.INVALID_COUNTRY_CODE:
        return f"{_quoted(value)} starts with no country's calling code"
    if reason := _WRONG_LENGTH.get(verdict):
        return f"{_quoted(value)} {reason} for a {country} number"
    return f"{_quoted(value)} is not a valid {country} number: no numbers of that form are in use"


def to_e164(value: str) -> str:
    """The number in E.164 form; ValueError says in words what is wrong with it."""
    try:
        parsed = phonenumbers.parse(value, None)
    except NumberParseException as exc:
        raise ValueError(_unreadable(value, exc)) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(_invalid(value, parsed))
    if parsed.extension:
        raise ValueError(f"{_quoted(value)} has an extension: give the number alone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# No pattern in the schema: any way of writing a number that phonenumbers reads is valid.
E164 = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_WRITTEN_LENGTH,
        examples=["+919876543210"],
        description="A phone number with its country code, stored in E.164 (+919876543210)",
    ),
    AfterValidator(to_e164),
]


# The number types phonenumbers knows, most common first: a number is valid when it
# matches its region's general pattern and the pattern of any one type.
_TYPES = (
    "mobile",
    "fixed_line",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)
_matches = phonenumberutil._is_number_matching_desc


@functools.cache
def _single_region_metadata(country: int) -> PhoneMetadata | None:
    """The metadata of a country code that belongs to one region; None for shared codes."""
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country, ())
    if len(regions) != 1:
        return None
    if regions[0] == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY:
        return PhoneMetadata.metadata_for_nongeo_region(country)
    return PhoneMetadata.metadata_for_region(regions[0])


def is_valid_e164(value: str) -> bool:
    """Whether ``value`` is already a valid number written in E.164, checked in bulk.

    The same verdict as ``to_e164(value) == value`` (a test compares them) at about a
    fifth of the cost: the country code is split off directly instead of by
    ``phonenumbers.parse``, and the number types are tried most common first.
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
    metadata = _single_region_metadata(country)
    if national.startswith("0") or metadata is None:
        # Leading zeros (Italy) and codes shared by regions (+1, +7): the full parser.
        try:
            return to_e164(value) == value
        except ValueError:
            return False
    if not _matches(national, metadata.general_desc):
        return False
    return any(_matches(national, getattr(metadata, kind)) for kind in _TYPES)


def local_zone(number: str) -> tzinfo:
    """The time zone of the number's region when it has only one (India's, say), else UTC:
    a country of several zones does not say which from the number alone."""
    try:
        zones = number_zones.time_zones_for_number(phonenumbers.parse(number))
    except NumberParseException:
        return UTC
    if len(zones) != 1:
        return UTC
    try:
        return ZoneInfo(zones[0])
    except (ZoneInfoNotFoundError, ValueError):
        return UTC  # "Etc/Unknown" and the like
