"""The query parameters the history and the analytics share: a date range and filters.

``from`` and ``to`` take a date (``2026-02-01``) or an ISO 8601 date-time; either without a
zone is read as UTC. ``from`` is inclusive; a date ``to`` includes that whole day and a
date-time ``to`` includes that instant. The range becomes a half-open window
``[start, end)`` in UTC so the queries compare against one bound on each side.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant

from ringline.errors import BadRequest
from ringline.models.call import CallStatus, Direction

DATE_HELP = "A date (2026-02-01) or an ISO 8601 date-time; without a zone, UTC"
# Stored timestamps have microsecond precision: the next microsecond is the first one out.
TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class CallFilters:
    start: datetime | None
    end: datetime | None
    assistant_id: str | None
    status: CallStatus | None
    disposition: str | None
    campaign_id: str | None = None
    source: str | None = None
    direction: str | None = None
    # An extraction field the calls gave, and the value it must have (None: any value).
    extracted_field: str | None = None
    extracted_value: str | None = None


def _bad(field: str, problem: str) -> BadRequest:
    return BadRequest(f"invalid request: check {field}", [{"field": field, "problem": problem}])


def _instant(value: str, field: str, whole_day_after: bool) -> datetime:
    """The UTC instant ``value`` names; a date is its midnight, or the next one's."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    try:
        if day is not None:
            moment = datetime.combine(day, time(), UTC)
            return moment + timedelta(days=1) if whole_day_after else moment
        moment = datetime.fromisoformat(value)
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        return moment + TICK if whole_day_after else moment
    except (ValueError, OverflowError):
        raise _bad(field, f"'{value}' is not a date (2026-02-01) or ISO 8601 date-time") from None


def parse_range(start: str | None, end: str | None) -> tuple[datetime | None, datetime | None]:
    """``[from, to]`` as a half-open UTC window; 400 when either is malformed or reversed."""
    low = None if start is None else _instant(start, "from", whole_day_after=False)
    high = None if end is None else _instant(end, "to", whole_day_after=True)
    if low is not None and high is not None and low >= high:
        raise _bad("from", f"'from' ({start}) is after 'to' ({end})")
    return low, high


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    return names.union(*(_query_names(inner) for inner in dependant.dependencies))


def _refuse_unknown(request: Request) -> None:
    """A misspelt filter is a 400: ignored, it would widen the answer without a word."""
    known = _query_names(request.scope["route"].dependant)
    if unknown := sorted(set(request.query_params) - known):
        details = [{"field": name, "problem": "unknown query parameter"} for name in unknown]
        raise BadRequest(f"unknown query parameter: {', '.join(map(repr, unknown))}", details)
    names = [name for name, _ in request.query_params.multi_items()]
    if repeated := sorted({name for name in names if names.count(name) > 1}):
        details = [{"field": name, "problem": "given more than once"} for name in repeated]
        raise BadRequest(f"query parameter given more than once: {', '.join(repeated)}", details)


def call_filters(
    request: Request,
    from_: str | None = Query(None, alias="from", max_length=64, description=DATE_HELP),
    to: str | None = Query(
        None, max_length=64, description=DATE_HELP + "; a date includes that whole day"
    ),
    assistant_id: str | None = Query(None, max_length=64),
    status: CallStatus | None = Query(None),
    disposition: str | None = Query(None, max_length=64),
    campaign_id: str | None = Query(None, max_length=64),
    source: Literal["phone", "web"] | None = Query(None, description="Phone or web calls only"),
    direction: Direction | None = Query(None, description="Outbound or inbound calls only"),
    extracted_field: str | None = Query(
        None,
        pattern=r"^[a-z][a-z0-9_]{0,49}$",
        description="Calls whose extraction gave this field",
    ),
    extracted_value: str | None = Query(
        None, max_length=200, description="...with this value (needs extracted_field)"
    ),
) -> CallFilters:
    _refuse_unknown(request)
    low, high = parse_range(from_, to)
    if extracted_value is not None and extracted_field is None:
        raise _bad("extracted_value", "needs extracted_field: the field to compare it with")
    return CallFilters(
        low,
        high,
        assistant_id,
        status,
        disposition,
        campaign_id,
        source,
        direction,
        extracted_field,
        extracted_value,
    )


Filters = Depends(call_filters)
