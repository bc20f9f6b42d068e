"""Finds the prompt's passage that answers a question: embedding similarity, helped by the
words the two share and by what kind of fact the question asks for (a price, a date...)."""

import re
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ringline.voice.dialogue.embedding import Embedder
from ringline.voice.dialogue.prompt import PURPOSE_TOPIC, Passage
from ringline.voice.dialogue.text import content_stems

# Cosine similarities of e5 crowd into 0.70-0.90; these were set on the scenarios in
# tests/voice/test_dialogue*.py (an answering passage scores 0.80-0.88, an unrelated one
# 0.72-0.79).
_SURE = 0.835
_SURE_WITH_EVIDENCE = 0.80
_CLOSE = 0.785
_WORD_WEIGHT = 0.06
_KIND_WEIGHT = 0.05
# A passage far ahead of the others answers even at a lower similarity.
_CLEAR_LEAD = 0.05
_LEAD_WITH_EVIDENCE = 0.025
_SURE_IF_AHEAD = 0.76
_UNRELATED = 0.75  # about what an unrelated passage scores: the lead of a lone passage

_MONTHS = "january february march april may june july august september october november december"
_KINDS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (  # how much -> an amount
        re.compile(
            r"\b(?:cost|costs|price|how much|premium|fee|fees|charge|pay|amount|rate|"
            r"expensive|cheap|afford)\b"
        ),
        re.compile(r"\d|\b(?:rupees|dollars|euros|pounds|free|price|cost|fee|percent)\b"),
    ),
    (  # when -> a date or a time
        re.compile(r"\b(?:when|date|day|time|deadline|expire|expires|until|till|how long)\b"),
        re.compile(
            r"\b(?:" + "|".join(_MONTHS.split()) + r"|monday|tuesday|wednesday|thursday|friday|"
            r"saturday|sunday|today|tomorrow|tonight|am|pm|\d{1,2}:\d\d|\d{1,2}(?:st|nd|rd|th))\b"
        ),
    ),
    (  # who -> a person
        re.compile(r"\b(?:who|whom|doctor|dentist|person|specialist|agent|manager)\b"),
        re.compile(r"\b(?:dr|doctor|mr|mrs|ms|prof|professor|sir|madam)\b"),
    ),
    (  # where -> a place
        re.compile(r"\b(?:where|address|location|located|branch|office|come|visit)\b"),
        re.compile(r"\b(?:road|street|lane|floor|building|near|city|nagar|avenue|address)\b"),
    ),
)


_WHEN_KIND = 1


class Confidence(StrEnum):
    SURE = "sure"  # the passage answers the question
    CLOSE = "close"  # the passage is related: said with a hedge, never as a yes


@dataclass(frozen=True)
class Match:
    passage: Passage
    confidence: Confidence
    score: float
    shares_all_words: bool  # every content word of the question is in the passage


class Knowledge:
    """A prompt's passages, embedded once per call."""

    def __init__(self, passages: tuple[Passage, ...], embedder: Embedder | None) -> None:
        self.passages = passages
        self._embedder = embedder
        self._stems = [content_stems(p.key) for p in passages]
        self._vectors: np.ndarray | None = None  # embedded on the first question, off the loop

    def find(self, question: str) -> Match | None:
        """The passage that answers ``question``, or None when none is related enough."""
        if not self.passages:
            return None
        asked = content_stems(question)
        similarity = self._similarity(question)
        candidates = self._candidates(question)
        if not candidates:
            return None
        best_score, best, evidence = -1.0, candidates[0], False
        for i in candidates:
            passage = self.passages[i]
            shared = len(asked & self._stems[i]) / max(len(asked), 1)
            kind = _same_kind(question, passage.key)
            score = similarity[i] + _WORD_WEIGHT * shared + _KIND_WEIGHT * kind
            if score > best_score:
                best_score, best, evidence = score, i, shared > 0 or kind
        others = [float(similarity[i]) for i in candidates if i != best]
        lead = float(similarity[best]) - max(others, default=_UNRELATED)
        confidence = _confidence(float(similarity[best]), lead, evidence)
        if confidence is None:
            return None
        shares_all = bool(asked) and asked <= self._stems[best]
        return Match(self.passages[best], confidence, round(best_score, 4), shares_all)

    def _candidates(self, question: str) -> list[int]:
        """The passages that may answer: the reason for the call only answers "when?" (it
        shares its words, "appointment", with every question about the appointment)."""
        asks_when = _KINDS[_WHEN_KIND][0].search(question.lower()) is not None
        return [
            i
            for i, passage in enumerate(self.passages)
            if passage.topic != PURPOSE_TOPIC or asks_when
        ]

    def _similarity(self, question: str) -> np.ndarray:
        if self._embedder is None:
            # Without a model only shared words count: a shared word is as good as "close".
            return np.full(len(self.passages), _CLOSE, dtype=np.float32)
        if self._vectors is None:
            self._vectors = self._embedder.passages([p.key for p in self.passages])
        scores: np.ndarray = self._vectors @ self._embedder.queries([question])[0]
        return scores


def _same_kind(question: str, passage: str) -> bool:
    q, p = question.lower(), passage.lower()
    return any(asks.search(q) and has.search(p) for asks, has in _KINDS)


def _confidence(similarity: float, lead: float, evidence: bool) -> Confidence | None:
    if similarity >= _SURE or (evidence and similarity >= _SURE_WITH_EVIDENCE):
        return Confidence.SURE
    if similarity >= _SURE_IF_AHEAD and (
        lead >= _CLEAR_LEAD or (evidence and lead >= _LEAD_WITH_EVIDENCE)
    ):
        return Confidence.SURE
    if similarity >= _CLOSE and evidence:
        return Confidence.CLOSE
    return None
