"""How the bundled voice splits what it says, so the first words go out first, and when
each word is heard, so that a reply cut off keeps what was said of it."""

import pytest

from ringline.voice.services import spoken_parts, word_times


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


def test_each_word_starts_in_proportion_to_the_letters_before_it():
    times = word_times("I am calling today.", start=2.0, seconds=1.6)

    assert [word for word, _ in times] == ["I", "am", "calling", "today."]
    # 16 letters over 1.6 s: 0.1 s a letter, from the part's start.
    assert times == [("I", 2.0), ("am", 2.1), ("calling", 2.3), ("today.", 3.0)]


def test_a_part_without_words_has_no_word_times():
    assert word_times("  ", start=0.0, seconds=0.5) == []
