"""Spoken days and times ("tomorrow at 5 pm", "next Monday", "in two hours") resolved
against the moment of the call, in the zone that moment carries: the customer's clock.

A bare hour is read as people on a business call mean it: 8 to 11 in the morning, 12 at
noon, 1 to 7 in the afternoon or evening. A part of the day without an hour stands for a
fixed one (morning 10:00, afternoon 15:00, evening 18:00, tonight 20:00).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ringline.outcomes.numbers import number_word

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    *("january", "february", "march", "april", "may", "june", "july", "august"),
    *("september", "october", "november", "december"),
)
_MONTH = r"(" + "|".join(m[:3] + r"(?:" + m[3:] + r")?" for m in _MONTHS) + r")\.?"
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_PARTS = {"morning": 10, "afternoon": 15, "evening": 18, "tonight": 20, "noon": 12}
_PM_PARTS = ("afternoon", "evening", "tonight")

_RELATIVE = re.compile(r"\bin (an?|\w+|\d+) (hour|hours|minutes|mins|days)\b")
_DAY_AFTER = re.compile(r"\bday after tomorrow\b")
_TOMORROW = re.compile(r"\btomorrow\b")
_TODAY = re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b")
_MONTH_DAY = re.compile(rf"\b{_MONTH} {_ORDINAL}\b")
_DAY_MONTH = re.compile(rf"\b{_ORDINAL} (?:of )?{_MONTH}")
_THE_DAY = re.compile(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b")
_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))? ?([ap])\.? ?m\b\.?")
_BARE_HOUR = re.compile(
    r"\b(?:at|after|around|by|about) (\d{1,2})(?::(\d{2}))?(?! ?[ap]\.? ?m)(?![\d,.]*\d)\b"
)
_PART = re.compile(r"\b(" + "|".join(_PARTS) + r")\b")


@dataclass(frozen=True)
class Spoken:
    """What a sentence says of a moment: a day, a clock time, or both."""

    day: date | None
    clock: time | None

    def moment(self, now: datetime) -> datetime | None:
        """The instant meant, in ``now``'s zone; an hour alone is its next coming."""
        if self.clock is None:
            return None
        day = self.day
        if day is None:
            today = datetime.combine(now.date(), self.clock, now.tzinfo)
            day = now.date() if today > now else now.date() + timedelta(days=1)
        return datetime.combine(day, self.clock, now.tzinfo)


def spoken_time(text: str, now: datetime) -> Spoken | None:
    """The day and time ``text`` names, resolved against ``now``; None if it names none."""
    said = text.lower().replace("’", "'")
    relative = _relative(said, now)
    if relative is not None:
        return Spoken(relative.date(), relative.time().replace(second=0, microsecond=0))
    day, clock = _day(said, now.date()), _clock(said)
    if day is None and clock is None:
        return None
    return Spoken(day, clock)


def _relative(said: str, now: datetime) -> datetime | None:
    match = _RELATIVE.search(said)
    if match is None:
        return None
    amount = 1 if match.group(1) in ("a", "an") else number_word(match.group(1))
    if amount is None:
        return None
    unit = match.group(2)
    if unit.startswith("day"):
        return None  # a day with no hour: see _day
    minutes = amount * 60 if unit.startswith("hour") else amount
    return now + timedelta(minutes=minutes)


def _day(said: str, today: date) -> date | None:
    if _DAY_AFTER.search(said):
        return today + timedelta(days=2)
    if _TOMORROW.search(said):
        return today + timedelta(days=1)
    if _TODAY.search(said):
        return today
    if match := _WEEKDAY.search(said):
        ahead = (_WEEKDAYS.index(match.group(1)) - today.weekday()) % 7
        return today + timedelta(days=ahead or 7)  # "on Thursday", said on one: next week's
    return _dated(said, today)


def _dated(said: str, today: date) -> date | None:
    """A day of a month ("December 15", "5th of January", "the 12th"): its next coming."""
    month_day = _MONTH_DAY.search(said)
    day_month = _DAY_MONTH.search(said)
    if month_day:
        month, number = _month(month_day.group(1)), int(month_day.group(2))
    elif day_month:
        month, number = _month(day_month.group(2)), int(day_month.group(1))
    elif the_day := _THE_DAY.search(said):
        return _next_monthly(today, int(the_day.group(1)))
    else:
        return None
    for year in (today.year, today.year + 1):
        try:
            day = date(year, month, number)
        except ValueError:
            return None
        if day >= today:
            return day
    return None


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name[:3]))


def _next_monthly(today: date, number: int) -> date | None:
    year, month = today.year, today.month
    for _ in range(3):  # the 31st may skip a month or two
        try:
            day = date(year, month, number)
        except ValueError:
            day = None
        if day is not None and day >= today:
            return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _clock(said: str) -> time | None:
    if match := _CLOCK.search(said):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        return time(hour % 12 + (12 if match.group(3) == "p" else 0), minute)
    part = _PART.search(said)
    if match := _BARE_HOUR.search(said):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        in_the_afternoon = part is not None and part.group(1) in _PM_PARTS
        if hour < 8 or (in_the_afternoon and hour < 12):
            hour += 12
        return time(hour % 24, minute)
    return time(_PARTS[part.group(1)]) if part else None
