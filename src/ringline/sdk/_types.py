"""The "not given" sentinel and the typed shapes of request arguments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final, Literal, NotRequired, Self, TypedDict

__all__ = [
    "NOT_GIVEN",
    "Contact",
    "DateLike",
    "NotGiven",
    "Schedule",
    "given",
]


class NotGiven:
    """Marks an argument that was left out, so that ``None`` can be sent as a value.

    ``numbers.assign(number_id, None)`` unassigns a number; ``assistants.update(id)``
    with a field left out keeps its value.
    """

    _instance: Self | None = None

    def __new__(cls) -> Self:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

DateLike = str | date | datetime


def given(**values: Any) -> dict[str, Any]:
    """The arguments that were given, leaving out the ones still ``NOT_GIVEN``."""
    return {name: value for name, value in values.items() if value is not NOT_GIVEN}


class Contact(TypedDict):
    """One person to call in a campaign."""

    phone: str
    name: NotRequired[str]
    email: NotRequired[str]
    custom_fields: NotRequired[dict[str, Any]]


class Schedule(TypedDict, total=False):
    """When a campaign may dial: ISO 8601 times and an IANA time zone."""

    start_time: str
    end_time: str
    timezone: str
