"""A second reading of the customer's position, for calls the keyword rules cannot place:
the dialogue layer's intent rules know objections the keyword rules do not ("That is too
expensive", "I already have one", "he is not at home"). Refusals, call-backs and wrong
people count wherever they are said; an agreement counts only as the answer to the agent
asking whether to go ahead: a "yes" elsewhere may only have confirmed who was speaking."""

import re
from collections.abc import Sequence

from ringline.outcomes.rules import Finding, Signal
from ringline.outcomes.types import Utterance
from ringline.voice.dialogue.intents import Intent, recognise_by_rules

_SIGNALS = {
    Intent.DECLINE: Signal.REFUSE,
    Intent.CALLBACK: Signal.CALLBACK,
    Intent.WRONG_PERSON: Signal.WRONG_NUMBER,
}
# The agent asking for a decision: "Would you like to go ahead with ...?", "Shall I book it?"
_OFFER = re.compile(
    r"\b(?:would you like|do you want|shall i|should i|can i|may i|are you interested)\b[^?]*\?"
)
# "Yes, speaking." answers who the customer is, whatever the agent asked.
_IDENTITY = re.compile(r"\b(?:speaking|this is (?:he|she|me)|it's me|that's me|yes it is)\b")


def intent_position(turns: Sequence[Utterance]) -> Finding | None:
    """The customer's last refusal, call-back request, wrong-person turn or agreement to
    go ahead, if any."""
    asked = [_asks_to_go_ahead(turns[:index]) for index in range(len(turns))]
    for turn, after_an_offer in reversed(list(zip(turns, asked, strict=True))):
        if turn.role != "customer" or not turn.text.strip():
            continue
        intent = recognise_by_rules(turn.text)
        if intent in _SIGNALS:
            return Finding(_SIGNALS[intent], turn.text.strip())
        if intent is Intent.AGREE and after_an_offer and not _IDENTITY.search(turn.text.lower()):
            return Finding(Signal.AGREE, turn.text.strip())
    return None


def _asks_to_go_ahead(before: Sequence[Utterance]) -> bool:
    """Whether the agent's last turn in ``before`` asked the customer to decide."""
    agent = next((t.text for t in reversed(before) if t.role == "agent"), "")
    return bool(_OFFER.search(agent.lower()))
