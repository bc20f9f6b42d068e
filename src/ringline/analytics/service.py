"""The call history and its counts, read from the calls table of one workspace.

Both queries filter on the workspace and a ``created_at`` window first, then on an
assistant, status or disposition: the indexes of migration 0004 lead with exactly that.
"""

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import ColumnElement, RowMapping, String, Text, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.analytics.params import CallFilters
from ringline.analytics.schemas import Analytics, AnalyticsGroup
from ringline.calls.schemas import CallStatusRead
from ringline.models.call import CALL_STATUSES, Call
from ringline.workspaces.service import call_count

GroupBy = Literal["day", "assistant", "campaign"]

# Only what a history item shows: a call's prompt and variables can be large.
HISTORY_COLUMNS = (
    Call.id.label("call_id"),
    *(getattr(Call, name) for name in CallStatusRead.model_fields if name != "call_id"),
    Call.campaign_id,
)
NEWEST_FIRST = (Call.created_at.desc(), Call.id.desc())
UNFILTERED = CallFilters(start=None, end=None, assistant_id=None, status=None, disposition=None)


def _where(workspace_id: str, filters: CallFilters) -> list[ColumnElement[bool]]:
    conditions = [Call.workspace_id == workspace_id]
    if filters.start is not None:
        conditions.append(Call.created_at >= filters.start)
    if filters.end is not None:
        conditions.append(Call.created_at < filters.end)
    for column, value in (
        (Call.assistant_id, filters.assistant_id),
        (Call.status, filters.status),
        (Call.disposition, filters.disposition),
        (Call.campaign_id, filters.campaign_id),
        (Call.source, filters.source),
        (Call.direction, filters.direction),
    ):
        if value is not None:
            conditions.append(column == value)
    if filters.extracted_field is not None:
        conditions.append(_extracted_is(filters.extracted_field, filters.extracted_value))
    return conditions


def _extracted(name: str) -> ColumnElement[str]:
    """The field's value in ``calls.extracted`` as JSON text ('"PN123"', '42', 'true'),
    alike on SQLite and PostgreSQL (whose ->> would give 1 and 'true' for a boolean)."""
    return cast(Call.extracted.op("->")(literal(name, String)), Text)


def _extracted_is(name: str, value: str | None) -> ColumnElement[bool]:
    """The call gave the field (``value`` None), or gave it as ``value``: a query string
    cannot tell "42" from 42, so the string matches and so does the number it spells."""
    stored = _extracted(name)
    if value is None:
        return stored.is_not(None)
    texts = [json.dumps(value, ensure_ascii=False)]
    try:
        spelt = json.loads(value)
    except ValueError:
        spelt = None
    if isinstance(spelt, bool | int | float):
        texts.append(json.dumps(spelt))
    return stored.in_(texts)


async def history(
    session: AsyncSession, workspace_id: str, filters: CallFilters, limit: int, offset: int
) -> tuple[Sequence[RowMapping], int]:
    """One page of the workspace's calls, newest first, and how many match in all."""
    where = _where(workspace_id, filters)
    query = select(*HISTORY_COLUMNS).where(*where).order_by(*NEWEST_FIRST)
    rows = (await session.execute(query.limit(limit).offset(offset))).mappings().all()
    if len(rows) < limit and (rows or offset == 0):
        # A short page is the last one: the total is known without counting.
        return rows, offset + len(rows)
    if filters == UNFILTERED:
        return rows, await call_count(session, workspace_id)
    total = await session.scalar(select(func.count()).select_from(Call).where(*where))
    return rows, total or 0


@dataclass
class Tally:
    """Counts of calls by status and disposition, and the durations of completed ones."""

    by_status: Counter[str] = field(default_factory=Counter)
    dispositions: Counter[str] = field(default_factory=Counter)
    seconds: int = 0
    timed: int = 0

    def add(
        self, status: str, disposition: str | None, calls: int, seconds: int, timed: int
    ) -> None:
        self.by_status[status] += calls
        if disposition is not None:
            self.dispositions[disposition] += calls
        if status == "completed":
            self.seconds += seconds
            self.timed += timed

    def counts(self) -> dict[str, Any]:
        return {
            "total_calls": self.by_status.total(),
            "completed": self.by_status["completed"],
            "failed": self.by_status["failed"],
            "no_answer": self.by_status["no-answer"],
            "busy": self.by_status["busy"],
            # Half up: 132.5 seconds reads as 133, as a person would round it.
            "avg_duration_seconds": int(self.seconds / self.timed + 0.5) if self.timed else 0,
            "dispositions": dict(sorted(self.dispositions.items())),
            "by_status": {status: self.by_status[status] for status in CALL_STATUSES},
        }


def _group_key(session: AsyncSession, group_by: GroupBy) -> ColumnElement[str]:
    if group_by == "assistant":
        return Call.assistant_id.expression
    if group_by == "campaign":
        # Calls placed outside any campaign are counted under "none".
        return func.coalesce(Call.campaign_id, "none")
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Call.created_at), "YYYY-MM-DD")
    # SQLite keeps UTC timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff' text.
    return func.substr(Call.created_at, 1, 10, type_=String)


async def analytics(
    session: AsyncSession, workspace_id: str, filters: CallFilters, group_by: GroupBy | None
) -> Analytics:
    """Counts over the calls matching ``filters``, in all and per day or assistant."""
    keys: list[ColumnElement[Any]] = [Call.status.expression, Call.disposition.expression]
    if group_by:
        keys.insert(0, _group_key(session, group_by))
    durations = func.sum(Call.duration_seconds), func.count(Call.duration_seconds)
    query = select(*keys, func.count(), *durations).where(*_where(workspace_id, filters))
    overall, groups = Tally(), defaultdict[str, Tally](Tally)
    for row in await session.execute(query.group_by(*keys)):
        *group, status, disposition, calls, seconds, timed = row
        outcome = (status, disposition, calls, seconds or 0, timed)
        overall.add(*outcome)
        if group:
            groups[group[0]].add(*outcome)
    per_key = [AnalyticsGroup(key=key, **groups[key].counts()) for key in sorted(groups)]
    values = await _extracted_values(session, workspace_id, filters)
    return Analytics(**overall.counts(), groups=per_key if group_by else None, extracted=values)


async def _extracted_values(
    session: AsyncSession, workspace_id: str, filters: CallFilters
) -> dict[str, int] | None:
    """Calls per value of ``filters.extracted_field``, when it is given."""
    if filters.extracted_field is None:
        return None
    value = _extracted(filters.extracted_field)
    query = select(value, func.count()).where(*_where(workspace_id, filters)).group_by(value)
    counts: Counter[str] = Counter()
    for text, calls in await session.execute(query):
        decoded = json.loads(text)
        counts[decoded if isinstance(decoded, str) else json.dumps(decoded)] += calls
    return dict(sorted(counts.items()))
