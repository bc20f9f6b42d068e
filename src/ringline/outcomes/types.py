"""The values post-call analysis reads and writes, and the analyzer interface."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Utterance:
    """One line of a finished call's transcript."""

    role: str  # "agent" or "customer"
    text: str


@dataclass(frozen=True)
class CallAnalysis:
    summary: str
    disposition: str


class CallAnalyzer(Protocol):
    async def analyze(self, turns: Sequence[Utterance], labels: Sequence[str]) -> CallAnalysis: ...


OTHER = "other"


def fallback_label(labels: Sequence[str]) -> str:
    """The label for a call nothing decides: ``other`` when offered, else the last label."""
    return OTHER if OTHER in labels else labels[-1]
