"""Finds the prompt's passage that answers a question: embedding similarity, helped by the
words the two share and by what kind of fact the question asks for (a price, a date...)."""

import re
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ringline.voice.dialogue.documents import DocumentIndex, best_sentence
from ringline.voice.dialogue.embedding import Embedder
from ringline.voice.dialogue.prompt import PURPOSE_TOPIC, Passage
from ringline.voice.dialogue.text import content_stems, spoken

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
# Chunks of the assistant's documents weighed for each question, the closest by embedding.
_DOCUMENT_CHUNKS = 3

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


@dataclass(frozen=True)
class _Candidate:
    passage: Passage
    stems: set[str]
    similarity: float


class Knowledge:
    """A prompt's passages, embedded once per call, and the passages of the assistant's
    documents that come closest to each question."""

    def __init__(
        self,
        passages: tuple[Passage, ...],
        embedder: Embedder | None,
        documents: DocumentIndex | None = None,
    ) -> None:
        self.passages = passages
        self._embedder = embedder
        self._documents = documents if embedder is not None and documents else None
        self._stems = [content_stems(p.key) for p in passages]
        self._vectors: np.ndarray | None = None  # embedded on the first question, off the loop
        # Passages read from documents, numbered after the prompt's as they are found.
        self._found: dict[Passage, int] = {}

    def number(self, passage: Passage) -> int:
        """A passage's place: the prompt's by their order, the documents' after them."""
        if passage in self.passages:
            return self.passages.index(passage)
        return self._found.setdefault(passage, len(self.passages) + len(self._found))

    def find(self, question: str) -> Match | None:
        """The passage that answers ``question``, or None when none is related enough."""
        candidates = self._candidates(question)
        if not candidates:
            return None
        asked = content_stems(question)
        best_score, best, evidence = -1.0, candidates[0], False
        for candidate in candidates:
            shared = len(asked & candidate.stems) / max(len(asked), 1)
            kind = _same_kind(question, candidate.passage.key)
            score = candidate.similarity + _WORD_WEIGHT * shared + _KIND_WEIGHT * kind
            if score > best_score:
                best_score, best, evidence = score, candidate, shared > 0 or kind
        others = [c.similarity for c in candidates if c is not best]
        lead = best.similarity - max(others, default=_UNRELATED)
        confidence = _confidence(best.similarity, lead, evidence)
        if confidence is None:
            return None
        shares_all = bool(asked) and asked <= best.stems
        return Match(best.passage, confidence, round(best_score, 4), shares_all)

    def _candidates(self, question: str) -> list[_Candidate]:
        """The passages that may answer: the reason for the call only answers "when?" (it
        shares its words, "appointment", with every question about the appointment)."""
        if not self.passages and self._documents is None:
            return []
        query = self._embedder.queries([question])[0] if self._embedder is not None else None
        similarity = self._similarity(query)
        asks_when = _KINDS[_WHEN_KIND][0].search(question.lower()) is not None
        own = [
            _Candidate(passage, self._stems[i], float(similarity[i]))
            for i, passage in enumerate(self.passages)
            if passage.topic != PURPOSE_TOPIC or asks_when
        ]
        return own + self._from_documents(question, query)

    def _from_documents(self, question: str, query: np.ndarray | None) -> list[_Candidate]:
        """The best sentence of each of the few closest chunks, scored as its chunk (its
        words are the sentence's: "Yes, " needs every word of the question in what is said)."""
        if self._documents is None or query is None:
            return []
        asked = content_stems(question)
        found: dict[Passage, _Candidate] = {}
        for chunk in self._documents.nearest(query, _DOCUMENT_CHUNKS):
            passage = Passage(spoken(best_sentence(chunk.text, asked)))
            if passage not in found:  # overlapping chunks give the same sentence
                found[passage] = _Candidate(passage, content_stems(passage.key), chunk.score)
        return list(found.values())

    def _similarity(self, query: np.ndarray | None) -> np.ndarray:
        if self._embedder is None or query is None:
            # Without a model only shared words count: a shared word is as good as "close".
            return np.full(len(self.passages), _CLOSE, dtype=np.float32)
        if self._vectors is None:
            self._vectors = self._embedder.passages([p.key for p in self.passages])
        if not self.passages:
            return np.zeros(0, dtype=np.float32)
        scores: np.ndarray = self._vectors @ query
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
