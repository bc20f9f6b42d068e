"""The live calls: who may dial how many more, which process owns each, which must end.

Every query here reads live calls through ``is_live()``, so it is served by the partial
index ``ix_calls_live`` however many ended calls the table holds.
"""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.calls.lifecycle import is_live
from ringline.db.base import rows_changed, utcnow
from ringline.models import Assistant, Call, Workspace


def due() -> ColumnElement[bool]:
    """The call is not scheduled for later: one that is takes no room until its time."""
    return or_(Call.scheduled_at.is_(None), Call.scheduled_at <= utcnow())


async def live_call(session: AsyncSession, call_id: str) -> tuple[Call, Assistant] | None:
    """An answered call whose conversation can run now, with its assistant."""
    row = (
        await session.execute(
            select(Call, Assistant)
            .join(Assistant, Assistant.id == Call.assistant_id)
            .where(Call.id == call_id, Call.status == "in-progress")
        )
    ).first()
    return (row[0], row[1]) if row else None


async def live_call_count(session: AsyncSession, workspace_id: str) -> int:
    """The workspace's calls dialed (or opened from the web) and not yet ended."""
    live = await session.scalar(
        select(func.count()).where(
            Call.workspace_id == workspace_id, Call.dial_started_at.is_not(None), is_live()
        )
    )
    return live or 0


async def calls_in_progress(session: AsyncSession, workspace_id: str, limit: int) -> list[Call]:
    """The workspace's answered calls not yet ended, the newest first."""
    rows = await session.scalars(
        select(Call)
        .where(Call.workspace_id == workspace_id, is_live(), Call.status == "in-progress")
        .order_by(Call.created_at.desc(), Call.id.desc())
        .limit(limit)
    )
    return list(rows)


async def live_calls_per_caller_id(session: AsyncSession, workspace_id: str) -> dict[str, int]:
    """The workspace's live calls (queued ones too, not those scheduled for later) per
    ``from_number``."""
    rows = await session.execute(
        select(Call.from_number, func.count())
        .where(Call.workspace_id == workspace_id, is_live(), due())
        .group_by(Call.from_number)
    )
    return {number: count for number, count in rows}


async def room_for_calls(
    session: AsyncSession, workspace_id: str | None = None, *, counting_queued: bool = False
) -> dict[str, int]:
    """The one rule for room: how many more calls each workspace (or just
    ``workspace_id``) may have live now. Its ``concurrent_call_limit`` less its calls
    dialed (or opened from the web) and not ended; with ``counting_queued``, less the
    calls placed and not dialed yet too, since each takes room as soon as it is dialed
    (what a scheduler creating calls must count, and a dialer placing them must not)."""
    live = select(Call.workspace_id, func.count().label("live")).where(is_live(), due())
    if not counting_queued:
        live = live.where(Call.dial_started_at.is_not(None))
    limits = select(Workspace.id, Workspace.concurrent_call_limit)
    if workspace_id is not None:
        live = live.where(Call.workspace_id == workspace_id)
        limits = limits.where(Workspace.id == workspace_id)
    counts = live.group_by(Call.workspace_id).subquery()
    workspaces = limits.subquery()
    rows = await session.execute(
        select(
            workspaces.c.id, workspaces.c.concurrent_call_limit - func.coalesce(counts.c.live, 0)
        ).outerjoin(counts, counts.c.workspace_id == workspaces.c.id)
    )
    return {workspace: room for workspace, room in rows}


async def waiting_to_dial(session: AsyncSession, limit: int) -> list[Call]:
    """Placed calls no dialer has claimed yet, oldest first."""
    rows = await session.scalars(
        select(Call)
        .where(Call.status == "initiated", Call.dial_started_at.is_(None), due())
        .order_by(Call.created_at)
        .limit(limit)
    )
    return list(rows)


async def claim_for_dialing(session: AsyncSession, call: Call, owner: str) -> bool:
    """Claim ``call`` for the dialer of process ``owner``; False if another claimed it."""
    result = await session.execute(
        update(Call)
        .where(Call.id == call.id, Call.dial_started_at.is_(None))
        .values(dial_started_at=utcnow(), owner=owner)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result) == 1


async def set_owner(session: AsyncSession, call_id: str, owner: str) -> None:
    await session.execute(update(Call).where(Call.id == call_id).values(owner=owner))


async def owned_live_calls(session: AsyncSession) -> list[tuple[str, str | None]]:
    """Each live call some process answers for, with that process's name."""
    rows = await session.execute(
        select(Call.id, Call.owner).where(
            or_(Call.dial_started_at.is_not(None), Call.owner.is_not(None)), is_live()
        )
    )
    return [(call_id, owner) for call_id, owner in rows]


async def end_requested(session: AsyncSession, call_ids: Sequence[str]) -> list[str]:
    """Which of ``call_ids`` someone asked to end."""
    rows = await session.scalars(
        select(Call.id).where(Call.id.in_(list(call_ids)), Call.end_requested_at.is_not(None))
    )
    return list(rows)
