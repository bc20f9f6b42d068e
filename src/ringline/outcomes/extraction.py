"""Structured extraction: the values an assistant's JSON schema asks for, read from a
finished call's transcript without any model.

Each field is read by what its schema says of it: an ``enum`` value the customer named
(negation-aware), a ``pattern`` found in the words, a day and time for ``format:
date-time``/``date``, a yes or a no to a question that names the field, a number or an
identifier next to the words of the field's name and description. The customer's words
count first; a value the schema does not accept is left out, never guessed at.
"""

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ringline.outcomes.fields import accepts, properties
from ringline.outcomes.numbers import numbers
from ringline.outcomes.rules import negated
from ringline.outcomes.types import Utterance
from ringline.outcomes.when import spoken_time
from ringline.voice.dialogue.intents import Intent, normalise, recognise_by_rules
from ringline.voice.dialogue.text import STOP_WORDS, stem, words

# Words every field's description uses and none tells apart.
_GENERIC = frozenset(
    {"customer", "customers", "caller", "callee", "person", "whether", "give", "gives"}
    | {"given", "says", "said", "asked", "asks", "wants", "value", "field", "call", "called"}
)
_ID_WORDS = frozenset({"id", "number", "no", "code", "reference", "ref", "identifier"})
# Common enum values, said in other words (the value's own words always count too).
_SAID_AS = {
    "price": r"expensive|costly|cost too much|too much|afford|price|premium is (?:too )?high|"
    r"cheaper",
    "timing": r"busy|not a good time|bad time|not (?:right )?now|call (?:me )?back|call me|"
    r"later|driving|in a meeting|at work|let me think|some other time|another time|"
    r"try (?:me )?(?:again|later|tomorrow|on)",
    "already_insured": r"already (?:have|got|insured|covered|bought)|another (?:company|insurer)|"
    r"other (?:company|insurer)|elsewhere",
    "not_interested": r"not interested|don't want|do not want|no need|not for me|don't need",
    "salaried": r"salaried|salary|(?:a )?job at|work (?:for|at) (?:a|an|the)|employee",
    "self_employed": r"self[- ]employed|own business|my business|freelanc\w*",
    "student": r"student|studying|in college",
    "retired": r"retired|pension\w*",
}
# A question asking for a yes or a no, also after a greeting: "Hello, do you have ...?"
_YES_NO_QUESTION = re.compile(
    r"(?:^|[,;] )(?:and |so |also )?(?:are|is|do|does|did|would|will|can|could|shall|should|"
    r"have|has|were|was|may)\b"
)
# Letters and digits said one by one ("P N 3 3 0"), written back as one identifier.
_SPELLED = re.compile(r"(?<![\w'-])(?:(?:[A-Za-z]|[A-Z]{2,3}|\d+) ){1,}(?:[A-Za-z]|\d+)\b(?!-)")
# ...or joined by dashes or dots ("4-8-2", "P.N"), digits by commas ("4, 8, 2", "482,913").
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_SINGLES = re.compile(
    r"(?<![\w'.-])[A-Za-z0-9](?:[-.] ?[A-Za-z0-9](?!\w))+|(?<![\w,])\d(?:, \d(?!\w))+"
)
# A code with a digit in it; an ordinal ("20th") is a day.
_IDENTIFIER = re.compile(
    r"\b(?!\d+(?:st|nd|rd|th)\b)(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,31}\b"
)
_NEAR = 6  # words after a field's name within which its value is said


@dataclass(frozen=True)
class Exchange:
    """A customer's turn and the agent's words just before it (its question, if any)."""

    asked: str
    said: str


@dataclass(frozen=True)
class _Field:
    name: str
    schema: Mapping[str, Any]
    own: frozenset[str]  # stems of the field's name
    described: frozenset[str]  # stems of its description

    def relevance(self, text: str) -> int:
        stems = {stem(w) for w in words(text)}
        return 2 * len(self.own & stems) + len(self.described & stems)


def extract(turns: Sequence[Utterance], schema: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The values of ``schema``'s fields the call gives, each one its field accepts."""
    fields = [_field(name, spec) for name, spec in properties(schema).items()]
    exchanges = _exchanges(turns)
    found = {}
    for field in fields:
        value = _read(field, fields, exchanges, turns, now)
        if value is not None and accepts(field.schema, value):
            found[field.name] = value
    return found


def _field(name: str, spec: Mapping[str, Any]) -> _Field:
    def stems(text: str) -> frozenset[str]:
        kept = (w for w in words(text) if w not in STOP_WORDS and w not in _GENERIC)
        return frozenset(stem(w) for w in kept)

    own = stems(name.replace("_", " "))
    return _Field(name, spec, own, stems(str(spec.get("description", ""))) - own)


def _exchanges(turns: Sequence[Utterance]) -> list[Exchange]:
    """The customer's turns, latest first, each with what the agent said before it."""
    found, asked = [], ""
    for turn in turns:
        if turn.role == "customer" and turn.text.strip():
            found.append(Exchange(asked, turn.text.strip()))
        elif turn.role == "agent":
            asked = turn.text
    return found[::-1]


def _read(
    field: _Field,
    fields: Sequence[_Field],
    exchanges: Sequence[Exchange],
    turns: Sequence[Utterance],
    now: datetime,
) -> Any:
    spec = field.schema
    kind = spec.get("type")
    if "enum" in spec:
        return _named_value(spec["enum"], exchanges)
    if kind == "boolean":
        return _yes_or_no(field, fields, exchanges)
    if kind in ("number", "integer"):
        return _number(field, fields, exchanges, integer=kind == "integer")
    if spec.get("format") in ("date-time", "date"):
        return _moment(exchanges, now, spec["format"])
    if "pattern" in spec:
        return _matching(spec["pattern"], exchanges, turns)
    if _ID_WORDS & field.own:
        return _identifier(field, fields, exchanges)
    return None


def _sentences(text: str) -> Iterator[str]:
    yield from (s.strip() for s in re.split(r"(?<=[.!?;])\s+", text) if s.strip())


def _named_value(values: Sequence[Any], exchanges: Sequence[Exchange]) -> Any:
    """The enum value the customer's latest turn naming one names first, not negated."""
    said_as = {
        value: re.compile(r"\b(?:" + _SAID_AS.get(value, r"(?!x)x") + "|" + _words_of(value) + ")")
        for value in values
        if isinstance(value, str)
    }
    for exchange in exchanges:
        hits = [
            (index, match.start(), value)
            for index, sentence in enumerate(_sentences(normalise(exchange.said)))
            for value, pattern in said_as.items()
            for match in pattern.finditer(sentence)
            if value.startswith("not_") or not negated(sentence[: match.start()])
        ]
        if hits:
            return min(hits)[2]
    return None


def _words_of(value: str) -> str:
    return r"[ -]".join(re.escape(part) for part in value.lower().split("_")) + r"\b"


def _claims(field: _Field, fields: Sequence[_Field], text: str) -> bool:
    """Whether ``text`` is about ``field`` at least as much as about any other field."""
    mine = field.relevance(text)
    return mine > 0 and all(other.relevance(text) <= mine for other in fields)


def _questions(text: str) -> list[str]:
    return [s for s in _sentences(text) if s.endswith("?")]


def _yes_or_no(
    field: _Field, fields: Sequence[_Field], exchanges: Sequence[Exchange]
) -> bool | None:
    """A yes or a no to a question about the field, or the customer saying it outright."""
    for exchange in exchanges:
        asked = [
            q
            for q in _questions(exchange.asked)
            if _YES_NO_QUESTION.search(q.lower()) and _claims(field, fields, q)
        ]
        if asked:
            intent = recognise_by_rules(exchange.said)
            if intent in (Intent.AGREE, Intent.DECLINE):
                return intent is Intent.AGREE
        stated = _stated(field, exchange.said)
        if stated is not None:
            return stated
    return None


def _stated(field: _Field, said: str) -> bool | None:
    """ "I want to renew" (true) or "I am not satisfied" (false): the field's own word."""
    lowered = normalise(said)
    for word in re.finditer(r"[a-z']+", lowered):
        before = lowered[: word.start()]
        if stem(word.group()) in field.own and not before.endswith("already "):
            return not negated(before)  # "already renewed" is a fact, not a want
    return None


def _number(
    field: _Field, fields: Sequence[_Field], exchanges: Sequence[Exchange], *, integer: bool
) -> float | int | None:
    """The number answering a question about the field, or said right by its words."""
    for exchange in exchanges:
        about = any(_claims(field, fields, q) for q in _questions(exchange.asked))
        for sentence in _sentences(exchange.said):
            if not (about or _claims(field, fields, sentence)):
                continue
            for found in numbers(sentence):
                if not _after_an_id_word(sentence[: found.start]):
                    value = found.value
                    return int(value) if value.is_integer() else (None if integer else value)
    return None


def _after_an_id_word(before: str) -> bool:
    """ "order id is 48213": an identifier, not an amount."""
    return bool(_ID_WORDS & set(words(before)[-3:]))


def _moment(exchanges: Sequence[Exchange], now: datetime, format_: str) -> str | None:
    """The latest day (``date``) or day and time (``date-time``) the customer named."""
    for exchange in exchanges:
        for sentence in reversed(list(_sentences(exchange.said))):
            spoken = spoken_time(sentence, now)
            if spoken is None:
                continue
            if format_ == "date" and spoken.day is not None:
                return spoken.day.isoformat()
            moment = spoken.moment(now) if format_ == "date-time" else None
            if moment is not None:
                return moment.isoformat()
    return None


def _compact(text: str) -> str:
    """Identifiers said a character or a group at a time, written as one: "P N 3 3 0",
    "4-8-2-9", "4, 8, 2" and "482,913" as speech-to-text writes digits read out."""
    text = _THOUSANDS.sub("", text)
    text = _SINGLES.sub(lambda m: re.sub(r"[-.,] ?", "", m.group()), text)
    return _SPELLED.sub(lambda m: m.group().replace(" ", ""), text)


def _matching(pattern: str, exchanges: Sequence[Exchange], turns: Sequence[Utterance]) -> Any:
    """The first text matching ``pattern``: the customer's words, then the agent's."""
    inner = re.compile(pattern.removeprefix("^").removesuffix("$"), re.IGNORECASE)
    agent = [t.text for t in reversed(turns) if t.role == "agent"]
    for text in [e.said for e in exchanges] + agent:
        for match in inner.finditer(_compact(text)):
            for candidate in (match.group(), match.group().upper()):
                if re.fullmatch(pattern.removeprefix("^").removesuffix("$"), candidate):
                    return candidate
    return None


def _identifier(
    field: _Field, fields: Sequence[_Field], exchanges: Sequence[Exchange]
) -> str | None:
    """A code with a digit in it, said after the field's name or to a question about it."""
    for exchange in exchanges:
        said = _compact(exchange.said)
        for sentence in _sentences(said):
            if _claims(field, fields, sentence):
                found = _identifier_after(field, sentence)
                if found is not None:
                    return found
        if any(_claims(field, fields, q) for q in _questions(exchange.asked)):
            match = _IDENTIFIER.search(said)
            if match is not None:
                return match.group()
    return None


def _identifier_after(field: _Field, sentence: str) -> str | None:
    tokens = list(re.finditer(r"\S+", sentence))
    for index, token in enumerate(tokens):
        if stem(token.group().lower().strip(".,?!")) not in field.own:
            continue
        for later in tokens[index + 1 : index + 1 + _NEAR]:
            match = _IDENTIFIER.fullmatch(later.group().strip(".,?!;:"))
            if match is not None:
                return match.group()
    return None
