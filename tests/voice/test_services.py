"""How the bundled voice splits what it says, so the first words go out first."""

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
    ],
)
def test_a_reply_is_spoken_first_clause_first_then_sentence_by_sentence(text, parts):
    assert spoken_parts(text) == parts
