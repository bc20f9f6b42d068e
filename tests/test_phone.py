"""Numbers as people write them become E.164; the bulk check gives the parser's verdict."""

import random

import phonenumbers
import pytest

from ringline.phone import is_valid_e164, to_e164


@pytest.mark.parametrize(
    "written", ["+91 98765 43210", "+91-98765-43210", "(+91) 9876543210", "+91 (98765) 43210"]
)
def test_usual_ways_of_writing_a_number_give_its_e164_form(written):
    assert to_e164(written) == "+919876543210"


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("", "'' is not a phone number: write it like +91 98765 43210"),
        ("98765 43210", "'98765 43210' has no country code: start it with + and the code"),
        ("+999 1234567", "'+999 1234567' starts with no country's calling code"),
        ("+91 123", "'+91 123' has too few digits for a +91 number"),
        ("+91 98765 43210 1234", "'+91 98765 43210 1234' has too many digits for a +91 number"),
        ("+91 98765 43210 ext. 7", "'+91 98765 43210 ext. 7' has an extension"),
    ],
)
def test_what_cannot_be_dialed_is_refused_in_words(written, reason):
    with pytest.raises(ValueError) as refused:
        to_e164(written)

    assert str(refused.value).startswith(reason)
    assert "^" not in str(refused.value) and "[" not in str(refused.value)


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
