"""Which transcripts read as a finished turn (and so end it without the turn model)."""

import pytest

from ringline.voice.turns import reads_finished


@pytest.mark.parametrize(
    "heard",
    ["Yes, speaking.", "Does it still cover my parents?", "I think so.", "Sorry, what?"],
)
def test_a_sentence_that_ends_reads_finished(heard):
    assert reads_finished(heard)


@pytest.mark.parametrize(
    "heard",
    ["Yes, this is.", "My name is.", "I was wondering if.", "Okay, and", "I have a few", "", "."],
)
def test_a_sentence_that_leads_on_or_has_no_end_reads_unfinished(heard):
    assert not reads_finished(heard)


@pytest.mark.parametrize("heard", ["Yes.", "Sorry.", "Well.", "Speaking."])
def test_one_word_is_left_to_the_turn_model(heard):
    # Said before a pause, these so often go on ("Sorry, who is this?") that the text
    # alone cannot tell; the turn model hears how they were said.
    assert not reads_finished(heard)
