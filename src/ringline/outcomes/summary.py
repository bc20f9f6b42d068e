"""An extractive summary: who called about what, and what the customer said to it.

The bundled 135M model was tried as a summariser and measured unfit: asked for one
sentence about ten labelled calls it got one right and invented the rest ("the phone
number is incorrect" for a caller who was driving). So the summary is assembled from
the transcript's own words and the decided outcome; it can be plain, never untrue.
"""

import re
from collections.abc import Sequence

from ringline.outcomes.labels import label_for
from ringline.outcomes.rules import Finding, Signal
from ringline.outcomes.types import OTHER, CallAnalysis, Utterance, fallback_label

_ORG = re.compile(r"\b(?:calling|call|is \w+) from (?:the )?((?:[A-Z][\w&'-]*\s?)+)")
_TOPIC = re.compile(r"\b(?:about|regarding) ([^.,?!;]+)")
_CLAUSE_END = re.compile(r"\s(?:and|but|which|because|so|if)\s")
_TOPIC_WORDS = 8
_RETOLD = {"you": "the customer", "your": "the customer's", "our": "the"}

_POSITIONS = {
    Signal.AGREE: "The customer responded positively",
    Signal.REFUSE: "The customer declined",
    Signal.CALLBACK: "The customer asked to be called back",
    Signal.WRONG_NUMBER: "The person who answered said it was a wrong number",
    Signal.BAD_LINE: "The line was too poor for a conversation",
    Signal.PAID: "The customer said it was already paid",
    Signal.DISPUTE: "The customer disputed it",
    Signal.PRAISE: "The customer gave positive feedback",
    Signal.COMPLAINT: "The customer complained",
}


def summarise(turns: Sequence[Utterance], disposition: str, finding: Finding | None) -> str:
    """Two sentences: the call's purpose, then the customer's position."""
    opening = _opening(turns)
    if finding is not None and finding.signal is Signal.SILENT:
        return f"{opening} No conversation took place: the customer did not speak."
    return f"{opening} {_position(disposition, finding)}"


def silent_call(turns: Sequence[Utterance], labels: Sequence[str]) -> CallAnalysis | None:
    """The analysis of a call in which the customer never spoke; ``None`` otherwise."""
    if any(t.role == "customer" and t.text.strip() for t in turns):
        return None
    finding = Finding(Signal.SILENT, "")
    disposition = label_for(Signal.SILENT, labels) or fallback_label(labels)
    return CallAnalysis(summarise(turns, disposition, finding), disposition)


def _opening(turns: Sequence[Utterance]) -> str:
    agent = " ".join(t.text for t in turns if t.role == "agent")
    org, topic = _first(_ORG, agent), _topic(agent)
    if not agent.strip():
        return "The call had no agent speech."
    return (
        "The agent called"
        + (f" from {org}" if org else "")
        + (f" about {topic}." if topic else ".")
    )


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1).strip() if match else None


def _topic(agent: str) -> str | None:
    topic = _first(_TOPIC, agent)
    if topic is None:
        return None
    words = _CLAUSE_END.split(topic)[0].split()[:_TOPIC_WORDS]
    # Retold by a third party, the agent's "your shop" is the customer's shop.
    return " ".join(_RETOLD.get(word.lower(), word) for word in words)


def _position(disposition: str, finding: Finding | None) -> str:
    if finding is None:
        if disposition == OTHER:
            return "The customer did not state a clear position."
        return f"The outcome was judged {disposition.replace('_', ' ')}."
    quote = finding.quote if finding.quote[-1:] in ".?!" else f"{finding.quote}."
    return f'{_POSITIONS[finding.signal]}: "{quote}"'
