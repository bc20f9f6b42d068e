"""How the bundled voice splits what it says, so the first words go out first and the
line never falls silent inside a reply."""

import pytest

from ringline.voice.services import spoken_parts


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Sure, what would you like to know?", ["Sure,", "what would you like to know?"]),
        (
            "Hello Rahul, this is Priya. Is this a good time?",
            ["Hello Rahul,", "this is Priya.", "Is this a good time?"],
        ),
        ("Have a good day, goodbye!", ["Have a good day, goodbye!"]),
        ("Thank you. Goodbye.", ["Thank you.", "Goodbye."]),
        ("Okay.", ["Okay."]),
        (
            "Hello Rahul, this is Priya. I'm calling about your renewal, is now a good time?",
            [
                "Hello Rahul,",
                "this is Priya.",
                "I'm calling about your renewal,",
                "is now a good time?",
            ],
        ),
        # After a short first clause the pieces grow, each at most twice the words queued
        # before it, cut before a joining word; a number's commas split nothing.
        (
            "Great, the loan is up to 5 lakh rupees at 11.5 percent interest a year.",
            ["Great,", "the loan is up", "to 5 lakh rupees at 11.5 percent interest a year."],
        ),
        (
            "Great, a 3 kilowatt system costs 1,80,000 rupees after the subsidy and pays for it.",
            [
                "Great,",
                "a 3 kilowatt system",
                "costs 1,80,000 rupees after the subsidy and pays for it.",
            ],
        ),
    ],
)
def test_a_reply_is_spoken_clause_by_clause(text, parts):
    assert spoken_parts(text) == parts
