"""The call lifecycle as a state machine; every status change goes through ``transition``.

    initiated ──> ringing ──> in-progress ──> completed
        │            │             └────────> failed
        └────────────┴──> failed | no-answer | busy

The update is a compare-and-set on the current status, so two writers racing (the
carrier's callback and an API ``end``) can never store an illegal sequence. Whatever
must follow a call's end in the same transaction (a campaign settling its contact)
registers with ``when_ended``: the lifecycle knows no domain above it.
"""

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import BindParameter, ColumnElement, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.db.base import rows_changed, utcnow
from ringline.models import Call
from ringline.models.call import LIVE_STATUSES
from ringline.operations.metrics import CALL_STATUSES

TERMINAL = frozenset({"completed", "failed", "no-answer", "busy"})

EndedHook = Callable[[AsyncSession, Call], Awaitable[None]]
_ENDED_HOOKS: list[EndedHook] = []

logger = logging.getLogger(__name__)


def when_ended(hook: EndedHook) -> EndedHook:
    """Run ``hook`` in the transaction of every call's final status (usable as a decorator)."""
    if hook not in _ENDED_HOOKS:
        _ENDED_HOOKS.append(hook)
    return hook


def is_live() -> ColumnElement[bool]:
    """The call has not ended, written as the partial index ``ix_calls_live`` is: with
    the values inlined in the same order (a planner cannot match bound parameters)."""
    statuses: BindParameter[list[str]] = bindparam(
        None, list(LIVE_STATUSES), expanding=True, literal_execute=True
    )
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
    if rows_changed(result) != 1:
        await session.refresh(call)
        raise IllegalTransition(call.id, call.status, wanted)
    for name, value in values.items():
        setattr(call, name, value)
    CALL_STATUSES.labels(wanted).inc()
    logger.info("%s", _event_line(call, current))
    if wanted in TERMINAL:
        for hook in _ENDED_HOOKS:
            await hook(session, call)


def _event_line(call: Call, was: str) -> str:
    """One console line per status change: the server's INFO log follows calls by it."""
    line = f"call {call.id} to {call.to_number}: {was} -> {call.status}"
    if call.status in TERMINAL:
        line += f" after {call.duration_seconds or 0} s"
        if call.failure_reason:
            line += f" ({call.failure_reason})"
    return line


def _timestamps(call: Call, wanted: str, at: datetime) -> dict[str, object]:
    if wanted == "in-progress":
        return {"answered_at": at}
    if wanted in TERMINAL:
        answered = call.answered_at
        duration = round((at - answered).total_seconds()) if answered else 0
        return {"ended_at": at, "duration_seconds": duration}
    return {}
