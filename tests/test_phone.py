"""The bulk check of E.164 numbers gives the full parser's verdict."""

import random

import phonenumbers

from ringline.phone import is_valid_e164, to_e164


def _full_verdict(value: str) -> bool:
    try:
        return to_e164(value) == value
    except ValueError:
        return False


def test_bulk_check_agrees_with_the_parser_on_every_country_code():
    picker = random.Random(20261124)
    samples = ["+919876543210", "+14155552671", "+390612345678", "+447911123456", "+12"]
    for country in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
        for _ in range(40):
            digits = "".join(picker.choice("0123456789") for _ in range(picker.randint(4, 12)))
            samples.append(f"+{country}{digits}")
        example = phonenumbers.example_number_for_non_geo_entity(country) or (
            phonenumbers.example_number(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[country][0])
        )
        if example is not None:
            samples.append(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164))

    disagreements = [v for v in samples if is_valid_e164(v) != _full_verdict(v)]

    assert disagreements == []
    assert sum(map(is_valid_e164, samples)) > 200  # valid numbers were among them


def test_bulk_check_refuses_what_is_not_e164():
    for value in ("919876543210", "+91 98765 43210", "+0123456789", "", "+91987654321a"):
        assert not is_valid_e164(value)
