"""Phone menus: "For sales, press 1. For accounts, press 2." read from what the line said,
and the key that leads to what the agent is calling about.

An option's words are weighed against the prompt's: the content words they share, then
(on a tie) how close their embeddings are. An agent calling about a policy renewal
presses the key of "renewals and billing", not the one of "new policies".
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ringline.voice.dialogue.embedding import Embedder
from ringline.voice.dialogue.text import DIGIT_WORDS, content_stems

_KEY_WORDS = DIGIT_WORDS | {"star": "*", "hash": "#", "pound": "#"}
_KEY = r"(\d|" + "|".join(_KEY_WORDS) + r")\b"
_ANCHOR = re.compile(rf"\b(?:press|dial|enter)\s+{_KEY}", re.IGNORECASE)
_LEADS = re.compile(r"^\W*(?:for|to)\s", re.IGNORECASE)
_FOR = re.compile(r"\bfor\s", re.IGNORECASE)
_TO = re.compile(r"\bto\s", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.?!]\s")
_LABEL_END = re.compile(r"[,.;:?!]|\s(?:or|and then)\s", re.IGNORECASE)


@dataclass(frozen=True)
class MenuOption:
    key: str  # "2", "*", "#"
    label: str  # what it leads to: "accounts and billing"


def menu_options(heard: str) -> list[MenuOption]:
    """The options a menu just read out, in the order it read them; [] for anything else.

    Each "press N" is an anchor; its label is the "for ..." before it ("For sales, press
    1") or after it ("press 1 for sales"). Which one a menu uses is told by its last
    anchor: only the second way has words after it. The menu's punctuation is not
    trusted: speech-to-text puts full stops where it hears pauses ("for sales, press 1
    for renewals. Press 2.").
    """
    anchors = list(_ANCHOR.finditer(heard))
    if not anchors:
        return []
    gaps = [heard[a.end() : b.start()] for a, b in zip(anchors, anchors[1:], strict=False)]
    after = [*gaps, heard[anchors[-1].end() :]]
    before = [heard[: anchors[0].start()], *gaps]
    key_first = _LEADS.match(after[-1]) is not None
    found: dict[str, MenuOption] = {}
    for anchor, text_before, text_after in zip(anchors, before, after, strict=True):
        label = _label_after(text_after) if key_first else _label_before(text_before)
        key = _KEY_WORDS.get(anchor.group(1).lower(), anchor.group(1))
        if label:
            found.setdefault(key, MenuOption(key, label))
    return list(found.values())


def _label_after(text: str) -> str:
    """ " for new policies, " -> "new policies" """
    if (lead := _LEADS.match(text)) is None:
        return ""
    rest = text[lead.end() :]
    return rest[: m.start() if (m := _LABEL_END.search(rest)) else len(rest)].strip()


def _label_before(text: str) -> str:
    """The last "for ..." of ``text`` ("Welcome to Acme. For sales, "), else its last
    sentence's first "to ..." ("To speak to an operator, ")."""
    fors = list(_FOR.finditer(text))
    if fors:
        rest = text[fors[-1].end() :]
    else:
        sentences = list(_SENTENCE_END.finditer(text))
        tail = text[sentences[-1].end() :] if sentences else text
        if (to := _TO.search(tail)) is None:
            return ""
        rest = tail[to.end() :]
    return rest.strip(" ,.;:?!")


def choose(
    options: Sequence[MenuOption], purpose: str, embedder: Embedder | None = None
) -> MenuOption | None:
    """The option that leads to ``purpose`` (the prompt's words); the only one if one."""
    if len(options) <= 1:
        return options[0] if options else None
    shared = [len(_shared_words(option, purpose)) for option in options]
    closeness = _closeness(options, purpose, embedder)
    best = max(range(len(options)), key=lambda i: (shared[i], closeness[i]))
    return options[best]


def names_purpose(option: MenuOption, purpose: str) -> bool:
    """Whether the option's label shares a content word with ``purpose``."""
    return bool(_shared_words(option, purpose))


def _shared_words(option: MenuOption, purpose: str) -> set[str]:
    return content_stems(option.label) & content_stems(purpose)


def _closeness(
    options: Sequence[MenuOption], purpose: str, embedder: Embedder | None
) -> list[float]:
    if embedder is None:
        return [0.0] * len(options)
    labels = embedder.queries([option.label for option in options])
    (goal,) = embedder.passages([purpose])
    return [float(score) for score in np.asarray(labels) @ np.asarray(goal)]
