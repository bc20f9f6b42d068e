"""Numbers as a transcript holds them: digits with Western or Indian grouping
("2,50,000"), decimals, and the small numbers speech-to-text writes as words ("five")."""

import re
from dataclasses import dataclass

_UNITS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORDS = {word: value for value, word in enumerate(_UNITS)} | {
    word: 20 + 10 * index for index, word in enumerate(_TENS)
}
# A number, unless it is part of a date, a clock time or an ordinal ("the 12th", "5 pm").
_NUMBER = re.compile(
    r"(?<![\w:.,])(\d{1,3}(?:,\d{2,3})+|\d+)(\.\d+)?"
    r"(?![\w:]|,\d| ?[ap]\.? ?m\b|st\b|nd\b|rd\b|th\b)"
)
_WORD_NUMBER = re.compile(
    r"\b(" + "|".join(_WORDS) + r")(?:[- ](" + "|".join(_UNITS[1:10]) + r"))?\b"
)
# Before a small number: an hour ("at 5", "around 10") or a day ("December 15").
_CLOCK_WORD = re.compile(r"\b(?:at|after|around|by|before|till|until) $")
# A number of minutes or days is a time, not an amount: "call me in 30 minutes".
_DURATION = re.compile(r"\S+ (?:seconds?|minutes?|mins?|hours?|days?|weeks?)\b")
_MONTH_WORD = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? $")


@dataclass(frozen=True)
class Found:
    value: float
    start: int  # where in the text it was written


def number_word(word: str) -> int | None:
    """``"5"`` or ``"five"`` as 5; None for anything else."""
    if word.isdigit():
        return int(word)
    return _WORDS.get(word.lower())


def numbers(text: str) -> list[Found]:
    """The numbers in ``text``, in order, leaving out clock times ("at 5", "5 pm")."""
    lowered = text.lower()
    found = [
        Found(float(m.group(1).replace(",", "") + (m.group(2) or "")), m.start())
        for m in _NUMBER.finditer(lowered)
    ]
    for match in _WORD_NUMBER.finditer(lowered):
        value = _WORDS[match.group(1)] + (_WORDS[match.group(2)] if match.group(2) else 0)
        found.append(Found(float(value), match.start()))
    kept = [
        f
        for f in found
        if not _hour_or_day(lowered[: f.start], f.value) and not _DURATION.match(lowered[f.start :])
    ]
    return sorted(kept, key=lambda f: f.start)


def _hour_or_day(before: str, value: float) -> bool:
    if value > 31:
        return False
    return bool(_MONTH_WORD.search(before) or (value <= 12 and _CLOCK_WORD.search(before)))
