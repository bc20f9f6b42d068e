"""The assistant's HTTP tools in the bundled dialogue, which calls no functions: a tool is
used when the customer asks for what its description says, its arguments are read from
the customer's words (or the call's variables), and its answer is said in its own words.

- **Choosing**: the customer's turn against each tool's name and description, by e5
  similarity, and only with a content word in common ("Where is my *order*?" and "Look
  up the status of an *order*"): a tool's call has effects, so a guess is not enough.
- **Arguments**, by the parameter's JSON Schema: an ``enum`` value named in the turn; a
  ``pattern`` found in it; a number (digits, or digits spelled out one by one, "four five
  two one"); yes or no for a boolean; a plain string is the call's variable of that
  name, else the customer's whole turn. A required argument not found is asked for, once,
  by its description, and read from the next turn.
- **Answers**: the endpoint's ``say`` (or ``message``, ``text``, ``answer``, ``result``)
  string, else its first few fields read out ("The status is shipped."); a failure is
  said as such. Nothing is composed beyond that.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ringline.voice.dialogue.embedding import Embedder
from ringline.voice.dialogue.text import DIGIT_WORDS, content_stems, words
from ringline.voice.tools import ToolCall, ToolSpec

# e5 cosine similarity of a request and the description of the tool that serves it: 0.80-0.88
# on the scenarios of tests/voice/test_dialogue_tools.py, unrelated turns 0.72-0.79.
_SIMILAR = 0.79
_ARGUMENTS_GIVEN = 0.03
_SAID_FIELDS = ("say", "message", "text", "answer", "result")
_MOST_FIELDS_READ = 3
_DIGITS = DIGIT_WORDS | {"oh": "0"}
_SPELLED_RUN = re.compile(r"\b(?:(?:" + "|".join(_DIGITS) + r")[\s,-]*){2,}", re.IGNORECASE)
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
_YES = re.compile(r"\b(?:yes|yeah|yep|sure|correct|right|please do|i do|i have|it is)\b")
_NO = re.compile(r"\b(?:no|nope|not|never|don't|do not|haven't|isn't)\b")


@dataclass(frozen=True)
class ToolUse:
    """A tool the dialogue decided to call, with the arguments it read."""

    spec: ToolSpec
    arguments: dict[str, Any] = field(default_factory=dict)
    similarity: float = 0.0  # of the turn and the tool's description

    def missing(self) -> list[str]:
        return [name for name in self.spec.required if name not in self.arguments]


class ToolChooser:
    """One call's tools, embedded once, on the first turn that might want one."""

    def __init__(
        self, specs: Sequence[ToolSpec], embedder: Embedder | None, variables: Mapping[str, Any]
    ) -> None:
        self.specs = tuple(specs)
        self._embedder = embedder
        self._variables = variables
        self._texts = [f"{spec.name.replace('_', ' ')}: {spec.description}" for spec in specs]
        # A turn naming one of a tool's values ("Dr. Rao", "Pune") shares a word with it.
        self._stems = [
            content_stems(f"{text} {_values(spec)}")
            for text, spec in zip(self._texts, specs, strict=True)
        ]
        self._vectors: np.ndarray | None = None

    def choose(self, heard: str) -> ToolUse | None:
        """The tool the customer asks for, with what arguments the turn gives; or None."""
        if not self.specs:
            return None
        asked = content_stems(heard)
        similarity = self._similarity(heard)
        best: ToolUse | None = None
        best_score = 0.0
        for index, spec in enumerate(self.specs):
            if not asked & self._stems[index] or similarity[index] < _SIMILAR:
                continue
            use = ToolUse(spec, self.read_arguments(spec, heard, {}), float(similarity[index]))
            # A turn that carries what a tool needs asks for that tool rather than another.
            score = use.similarity + (_ARGUMENTS_GIVEN if not use.missing() else 0.0)
            if score > best_score:
                best, best_score = use, score
        return best

    def read_arguments(
        self, spec: ToolSpec, heard: str, known: Mapping[str, Any]
    ) -> dict[str, Any]:
        """``known`` with what ``heard`` (and the call's variables) add to it."""
        found = dict(known)
        for name, schema in spec.properties.items():
            if name in found:
                continue
            value = argument(schema, heard)
            if value is None and schema.get("type") == "string" and name in self._variables:
                value = str(self._variables[name])
            if value is None and _free_text(schema):
                value = heard.strip()
            if value is not None:
                found[name] = value
        return found

    def _similarity(self, heard: str) -> np.ndarray:
        if self._embedder is None:
            # Without a model only shared words count, and they must be there anyway.
            return np.full(len(self.specs), _SIMILAR, dtype=np.float32)
        if self._vectors is None:
            self._vectors = self._embedder.passages(self._texts)
        query = self._embedder.queries([heard])[0]
        scores: np.ndarray = self._vectors @ query
        return scores


def _values(spec: ToolSpec) -> str:
    return " ".join(str(v) for schema in spec.properties.values() for v in schema.get("enum") or [])


def _free_text(schema: Mapping[str, Any]) -> bool:
    return schema.get("type") == "string" and not schema.get("enum") and not schema.get("pattern")


def argument(schema: Mapping[str, Any], heard: str) -> Any:
    """The value of one parameter in the customer's words, or None."""
    kind = schema.get("type")
    if enum := schema.get("enum"):
        return _named(enum, heard)
    if pattern := schema.get("pattern"):
        return _matching(pattern, heard)
    if kind == "integer":
        number = _first_number(heard)
        return int(float(number)) if number is not None else None
    if kind == "number":
        number = _first_number(heard)
        return float(number) if number is not None else None
    if kind == "boolean":
        said = heard.lower()
        if _NO.search(said):
            return False
        return True if _YES.search(said) else None
    return None


def _named(options: Sequence[Any], heard: str) -> Any:
    said = f" {' '.join(words(heard))} "
    for option in options:
        if f" {' '.join(words(str(option)))} " in said:
            return option
    return None


def _matching(pattern: str, heard: str) -> str | None:
    """The first whole word or number of the turn the pattern matches (its anchors are for
    the whole value): "order 45210" holds no four-digit number."""
    inner = pattern.removeprefix("^").removesuffix("$")
    unanchored = re.compile(rf"(?<![0-9A-Za-z])(?:{inner})(?![0-9A-Za-z])", re.IGNORECASE)
    for text in (heard, _spelled_digits(heard), _joined_digits(_spelled_digits(heard))):
        if found := unanchored.search(text):
            return found.group(0)
    return None


def _first_number(heard: str) -> str | None:
    found = _NUMBER.search(_joined_digits(_spelled_digits(heard)))
    return found.group(0).replace(",", "") if found else None


def _spelled_digits(text: str) -> str:
    """ "four five two one" -> "4521": a number read out digit by digit."""

    def digits(match: re.Match[str]) -> str:
        return "".join(_DIGITS[w] for w in words(match.group(0)) if w in _DIGITS) + " "

    return _SPELLED_RUN.sub(digits, text).strip()


def _joined_digits(text: str) -> str:
    """ "45 21" or "4,521" -> "4521": speech-to-text splits a number read out in groups, and
    writes thousands apart."""
    return re.sub(r"(?<=\d)(?:[\s-]+|,(?=\d{3}\b))(?=\d)", "", text)


def asking_for(spec: ToolSpec, name: str) -> str:
    """How to ask the customer for a required argument: "Could you tell me your order
    number?", from its description ("The order number, four digits") or its name."""
    described = str(spec.properties.get(name, {}).get("description", "")).strip()
    phrase = re.split(r"[,.;:(]", described, maxsplit=1)[0].strip() or name.replace("_", " ")
    phrase = re.sub(r"^(?:the|a|an|your|their|customer's)\s+", "", phrase, flags=re.IGNORECASE)
    return f"Could you tell me your {phrase[:1].lower()}{phrase[1:]}?"


def answer_of(called: ToolCall) -> str:
    """What the agent says of the tool's answer (the endpoint's own words), or "" for none."""
    result = called.result
    if isinstance(result, str | int | float) and not isinstance(result, bool):
        return str(result)
    if not isinstance(result, dict):
        return ""
    for key in _SAID_FIELDS:
        if isinstance(result.get(key), str) and result[key].strip():
            return str(result[key]).strip()
    read = [
        f"The {key.replace('_', ' ')} is {value}."
        for key, value in result.items()
        if isinstance(value, str | int | float) and not isinstance(value, bool)
    ]
    return " ".join(read[:_MOST_FIELDS_READ])
