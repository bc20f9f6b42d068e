"""The values post-call analysis reads and writes, and the analyzer interface."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Utterance:
    """One line of a finished call's transcript."""

    role: str  # "agent" or "customer"
    text: str


@dataclass(frozen=True)
class Extraction:
    """What to extract from a call: its assistant's JSON schema, and the moment the call
    ended in the customer's zone (what "tomorrow at 5 pm" is resolved against)."""

    schema: Mapping[str, Any]
    now: datetime


@dataclass(frozen=True)
class CallAnalysis:
    summary: str
    disposition: str
    # The extraction's values, each valid for its field; a field nothing gave is absent.
    extracted: dict[str, Any] = field(default_factory=dict)


class CallAnalyzer(Protocol):
    async def analyze(
        self,
        turns: Sequence[Utterance],
        labels: Sequence[str],
        extraction: Extraction | None = None,
    ) -> CallAnalysis: ...


OTHER = "other"


def fallback_label(labels: Sequence[str]) -> str:
    """The label for a call nothing decides: ``other`` when offered, else the last label."""
    return OTHER if OTHER in labels else labels[-1]
