"""The call lifecycle as a state machine; every status change goes through ``transition``.

    initiated ──> ringing ──> in-progress ──> completed
        │            │             └────────> failed
        └────────────┴──> failed | no-answer | busy

The update is a compare-and-set on the current status, so two writers racing (the
carrier's callback and an API ``end``) can never store an illegal sequence. A campaign's
call reaching a final status settles its contact in the same transaction.
"""

from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.campaigns import progress
from ringline.db.base import utcnow
from ringline.models import Call
from ringline.models.call import LIVE_STATUSES

TERMINAL = frozenset({"completed", "failed", "no-answer", "busy"})


def is_live() -> ColumnElement[bool]:
    """The call has not ended, written as the partial index ``ix_calls_live`` is: with
    the values inlined in the same order (a planner cannot match bound parameters)."""
    statuses = bindparam(None, list(LIVE_STATUSES), expanding=True, literal_execute=True)
    return Call.status.in_(statuses)


TRANSITIONS: dict[str, frozenset[str]] = {
    "initiated": frozenset({"ringing", "in-progress", "failed", "no-answer", "busy"}),
    "ringing": frozenset({"in-progress", "failed", "no-answer", "busy"}),
    "in-progress": frozenset({"completed", "failed"}),
    **{status: frozenset() for status in TERMINAL},
}


class IllegalTransition(Exception):
    def __init__(self, call_id: str, current: str, wanted: str) -> None:
        super().__init__(f"call {call_id} cannot go from {current} to {wanted}")
        self.current = current
        self.wanted = wanted


def can_transition(current: str, wanted: str) -> bool:
    return wanted in TRANSITIONS[current]


async def transition(
    session: AsyncSession, call: Call, wanted: str, *, at: datetime | None = None, **fields: object
) -> None:
    """Move ``call`` to ``wanted`` (and set ``fields``) if legal from its stored status."""
    current = call.status
    if not can_transition(current, wanted):
        raise IllegalTransition(call.id, current, wanted)
    at = at or utcnow()
    values = {"status": wanted, **fields} | _timestamps(call, wanted, at)
    result = await session.execute(
        update(Call)
        .where(Call.id == call.id, Call.status == current)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        await session.refresh(call)
        raise IllegalTransition(call.id, call.status, wanted)
    for name, value in values.items():
        setattr(call, name, value)
    if wanted in TERMINAL and call.campaign_id is not None:
        # Its contact is settled (and a retry planned) in this same transaction.
        await progress.call_ended(session, call)


def _timestamps(call: Call, wanted: str, at: datetime) -> dict[str, object]:
    if wanted == "in-progress":
        return {"answered_at": at}
    if wanted in TERMINAL:
        answered = call.answered_at
        duration = round((at - answered).total_seconds()) if answered else 0
        return {"ended_at": at, "duration_seconds": duration}
    return {}
