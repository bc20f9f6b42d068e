"""What a disposition label means, read from its snake_case name.

Assistants name their own labels, so a label is matched to a rule signal by a table of
common names, and described to the bundled model by a short phrase; a name the tables
do not know is described by its own words.
"""

from collections.abc import Sequence

from ringline.outcomes.rules import Signal

_NAMES: dict[Signal, frozenset[str]] = {
    Signal.AGREE: frozenset(
        {
            "interested",
            "sale",
            "sold",
            "agreed",
            "accepted",
            "converted",
            "qualified",
            "hot_lead",
            "promise_to_pay",
            "will_pay",
            "will_renew",
            "renewal_confirmed",
            "yes",
        }
    ),
    Signal.REFUSE: frozenset(
        {
            "not_interested",
            "no_sale",
            "declined",
            "rejected",
            "refused",
            "not_qualified",
            "not_renewing",
            "will_not_renew",
            "do_not_call",
            "dnc",
            "unsubscribe",
            "cold_lead",
            "lost",
            "no",
        }
    ),
    Signal.CALLBACK: frozenset(
        {
            "callback_requested",
            "callback",
            "call_back",
            "call_later",
            "busy",
            "follow_up",
            "callback_scheduled",
        }
    ),
    Signal.WRONG_NUMBER: frozenset({"wrong_number", "wrong_person", "invalid_number"}),
    Signal.BAD_LINE: frozenset({"bad_line", "poor_network", "call_dropped", "disconnected"}),
    Signal.SILENT: frozenset(
        {
            "no_answer",
            "no_response",
            "voicemail",
            "silent",
            "unreachable",
            "no_conversation",
        }
    ),
    Signal.PAID: frozenset({"paid_already", "already_paid", "paid"}),
    Signal.DISPUTE: frozenset({"dispute", "disputed", "disputes", "wrong_amount"}),
    Signal.PRAISE: frozenset(
        {
            "satisfied",
            "happy",
            "positive",
            "positive_feedback",
            "promoter",
        }
    ),
    Signal.COMPLAINT: frozenset(
        {
            "dissatisfied",
            "unhappy",
            "negative",
            "negative_feedback",
            "complaint",
            "detractor",
            "escalation",
        }
    ),
}

# Continuations of "The customer"; kept short, since the model's score is a mean over
# the phrase's tokens and long phrases drift toward the model's generic prose.
_PHRASES: dict[str, tuple[str, ...]] = {
    "interested": (" says yes.", " agrees to buy.", " is interested."),
    "not_interested": (" says no.", " declines the offer.", " is not interested."),
    "callback_requested": (" is busy and asks to call later.", " asks to be called back later."),
    "other": (" is the wrong person.", " does not talk about the offer."),
    "sale": (" agrees to buy.",),
    "no_sale": (" declines the offer.",),
    "wrong_number": (" is the wrong person.",),
    "promise_to_pay": (" promises to pay.",),
    "paid_already": (" has already paid.",),
    "dispute": (" disputes the amount.",),
    "satisfied": (" is satisfied.",),
    "dissatisfied": (" is unhappy and complains.",),
}


def label_for(signal: Signal, labels: Sequence[str]) -> str | None:
    """The offered label whose name means ``signal``, if any."""
    names = _NAMES.get(signal, frozenset())
    return next((label for label in labels if label in names), None)


def all_known(labels: Sequence[str]) -> bool:
    """Whether every label is one the name table understands."""
    known = set().union(*_NAMES.values()) | {"other"}
    return all(label in known for label in labels)


def phrases(label: str) -> tuple[str, ...]:
    """Ways to finish "The customer ..." that mean ``label``."""
    return _PHRASES.get(label, (f" {label.replace('_', ' ')}.",))
