"""The chunks of the documents an assistant answers from, held in memory for one call:
one matrix of unit vectors, searched by cosine similarity (a product) on each turn."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ringline.voice.dialogue.embedding import Embedder
from ringline.voice.dialogue.text import content_stems, sentences

EMBEDDING_DTYPE = np.float32
# A sentence this short ("Renewals.", "Yes, it does.") says little without the next one.
_SHORT_SENTENCE_WORDS = 6


@dataclass(frozen=True)
class Found:
    text: str
    source: str  # the document's name
    score: float  # cosine similarity to the question
    row: int  # which chunk: its row in the index


class DocumentIndex:
    """Chunks with their embeddings; ``vectors`` is n x d, each row of unit length."""

    def __init__(self, texts: Sequence[str], sources: Sequence[str], vectors: np.ndarray) -> None:
        if not len(texts) == len(sources) == len(vectors):
            raise ValueError("one text, one source and one vector per chunk")
        self.texts = tuple(texts)
        self.sources = tuple(sources)
        self.vectors = _unit_rows(np.asarray(vectors, dtype=EMBEDDING_DTYPE))

    @classmethod
    def from_blobs(cls, rows: Sequence[tuple[str, str, bytes]]) -> "DocumentIndex":
        """From (text, source, float32 bytes) rows as the database keeps them."""
        matrix = np.frombuffer(b"".join(r[2] for r in rows), dtype=EMBEDDING_DTYPE)
        vectors = matrix.reshape(len(rows), -1) if rows else matrix.reshape(0, 0)
        return cls([r[0] for r in rows], [r[1] for r in rows], vectors)

    def __len__(self) -> int:
        return len(self.texts)

    def nearest(self, query: np.ndarray, limit: int) -> list[Found]:
        """The ``limit`` chunks closest to ``query`` (an embedded question), best first."""
        if not self.texts or limit < 1:
            return []
        scores = self.vectors @ np.asarray(query, dtype=EMBEDDING_DTYPE)
        limit = min(limit, len(scores))
        # A partial sort: only the few best of thousands are ordered.
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top])]
        return [Found(self.texts[i], self.sources[i], float(scores[i]), int(i)) for i in top]

    def search(self, embedder: Embedder, question: str, limit: int) -> list[Found]:
        return self.nearest(embedder.queries([question])[0], limit)


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    if vectors.size == 0:
        return vectors.reshape(len(vectors), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return unit


def within_budget(found: Sequence[Found], characters: int) -> list[Found]:
    """The best of ``found`` whose texts fit in ``characters`` together (at least none)."""
    kept: list[Found] = []
    used = 0
    for item in found:
        if used + len(item.text) > characters:
            break
        kept.append(item)
        used += len(item.text)
    return kept


def best_sentence(chunk: str, asked: set[str]) -> str:
    """The sentence of ``chunk`` sharing the most words with the question (a chunk is too
    long to say on the phone); a sentence of a few words takes the next one with it."""
    parts = sentences(chunk) or [chunk]
    best = max(range(len(parts)), key=lambda i: len(asked & content_stems(parts[i])))
    said = parts[best]
    if len(said.split()) < _SHORT_SENTENCE_WORDS and best + 1 < len(parts):
        said = f"{said} {parts[best + 1]}"
    return said
