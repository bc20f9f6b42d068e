"""Calls the keyword rules cannot place, read by the dialogue layer's intent rules."""

import pytest

from ringline.outcomes import BundledAnalyzer
from ringline.outcomes.intents import intent_position
from ringline.outcomes.rules import Signal, read_position
from ringline.outcomes.types import Utterance

LABELS = ["interested", "not_interested", "callback_requested", "other"]


def call(*customer: str) -> list[Utterance]:
    turns = [Utterance("agent", "Hello, shall I go ahead with your policy renewal?")]
    return turns + [Utterance("customer", line) for line in customer]


@pytest.mark.parametrize(
    ("said", "disposition"),
    [
        ("That is too expensive.", "not_interested"),
        ("I cannot afford it right now.", "not_interested"),
        ("Twelve thousand is way too much.", "not_interested"),
        ("I don't use credit cards.", "not_interested"),
        ("Skip it this year.", "not_interested"),
        ("Leave me alone.", "not_interested"),
        ("Try me next week.", "callback_requested"),
        ("He is not at home.", "other"),
    ],
)
def test_objections_the_keyword_rules_miss_are_placed(said, disposition):
    turns = call(said)
    assert read_position(turns) is None  # else this test says nothing about the fallback
    result = BundledAnalyzer().analyze_sync(turns, LABELS)
    assert result.disposition == disposition
    assert result.disposition == "other" or said in result.summary


def test_a_yes_alone_is_not_taken_for_interest():
    assert intent_position(call("Yes, speaking.", "Hmm, okay.")) is None
    greeted = [Utterance("agent", "Hello, is this Rahul?"), Utterance("customer", "Yes.")]
    assert intent_position(greeted) is None


@pytest.mark.parametrize(
    "said", ["Yes, please.", "Sure, apply for the card on my behalf.", "Yes. I want it installed."]
)
def test_agreeing_when_asked_to_go_ahead_is_interest(said):
    turns = call(said)
    assert read_position(turns) is None  # else this test says nothing about the fallback
    assert BundledAnalyzer().analyze_sync(turns, LABELS).disposition == "interested"


def test_the_last_position_counts():
    finding = intent_position(call("Too expensive.", "Try me next week."))
    assert finding is not None and finding.signal is Signal.CALLBACK
