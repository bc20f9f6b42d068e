"""A second reading of the customer's position, for calls the keyword rules cannot place:
the dialogue layer's intent rules know objections the keyword rules do not ("That is too
expensive", "I already have one", "he is not at home"). Only refusals, call-backs and wrong
people count: a "yes" alone may only have confirmed who was speaking."""

from collections.abc import Sequence

from ringline.outcomes.rules import Finding, Signal
from ringline.outcomes.types import Utterance
from ringline.voice.dialogue.intents import Intent, recognise_by_rules

_SIGNALS = {
    Intent.DECLINE: Signal.REFUSE,
    Intent.CALLBACK: Signal.CALLBACK,
    Intent.WRONG_PERSON: Signal.WRONG_NUMBER,
}


def intent_position(turns: Sequence[Utterance]) -> Finding | None:
    """The customer's last refusal, call-back request or wrong-person turn, if any."""
    for turn in reversed(turns):
        if turn.role != "customer" or not turn.text.strip():
            continue
        intent = recognise_by_rules(turn.text)
        if intent in _SIGNALS:
            return Finding(_SIGNALS[intent], turn.text.strip())
    return None
