"""Cuts a document's text into passages of about a paragraph: long enough to hold a fact
with its context, short enough that one embedding still says what it is about."""

import re

from ringline.voice.dialogue.text import sentences

TARGET_WORDS = 60  # a chunk closes at the first paragraph end past this
MAX_WORDS = 120  # and at a sentence end before it grows past this
# The last sentence of a chunk opens the next one too, so that a fact split between two
# chunks is whole in one of them.
OVERLAP_SENTENCES = 1

_PARAGRAPH = re.compile(r"\n\s*\n")


def chunk_text(text: str) -> list[str]:
    """The chunks of ``text``, in order; none for blank text."""
    chunks: list[str] = []
    current: list[str] = []
    carried = 0  # how many sentences of ``current`` the last chunk already holds
    for paragraph in _PARAGRAPH.split(text):
        for sentence in _pieces(paragraph):
            if len(current) > carried and _count([*current, sentence]) > MAX_WORDS:
                current, carried = _close(chunks, current)
            current.append(sentence)
        if _count(current) >= TARGET_WORDS:
            current, carried = _close(chunks, current)
    if len(current) > carried:
        chunks.append(" ".join(current))
    return chunks


def _pieces(paragraph: str) -> list[str]:
    """The paragraph's sentences, a sentence longer than a chunk cut into chunk-long runs."""
    pieces: list[str] = []
    for sentence in sentences(paragraph):
        words = sentence.split()
        pieces.extend(" ".join(words[i : i + MAX_WORDS]) for i in range(0, len(words), MAX_WORDS))
    return pieces


def _close(chunks: list[str], current: list[str]) -> tuple[list[str], int]:
    """Ends the chunk; the next starts with its overlap."""
    chunks.append(" ".join(current))
    overlap = current[-OVERLAP_SENTENCES:] if len(current) > OVERLAP_SENTENCES else []
    return overlap, len(overlap)


def _count(parts: list[str]) -> int:
    return sum(len(part.split()) for part in parts)
