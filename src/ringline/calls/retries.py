"""Retries of a single call: one that ended busy or unanswered, with retries left, is
placed again as a new call (an ended call's status never changes), linked both ways."""

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ringline.calls import events
from ringline.calls.lifecycle import when_ended
from ringline.db.base import utcnow
from ringline.models import Call

# What the next attempt takes over unchanged: who, from where, what to say, the options.
_KEPT = (
    "workspace_id",
    "assistant_id",
    "language",
    "prompt",
    "first_message",
    "carrier",
    "from_number",
    "to_number",
    "webhook_url",
    "webhook_headers",
    "max_duration_seconds",
    "idle_timeout_seconds",
    "retry_delay_seconds",
    "retry_on",
)


def next_call(call: Call, **fields: Any) -> Call:
    """A new call to the same person, from the same number, saying the same, with the
    same variables and options (a retry, a call back)."""
    kept = {name: getattr(call, name) for name in _KEPT}
    return Call(**kept, dynamic_variables=dict(call.dynamic_variables or {}), **fields)


@when_ended
async def retry_if_wanted(session: AsyncSession, call: Call) -> None:
    """In the transaction of ``call``'s final status: place its next attempt if it asked."""
    if not call.retries_left or call.status not in (call.retry_on or "").split():
        return
    again = next_call(
        call,
        scheduled_at=utcnow() + timedelta(seconds=call.retry_delay_seconds or 0),
        attempt=(call.attempt or 1) + 1,
        retries_left=call.retries_left - 1,
        retry_of=call.id,
    )
    session.add(again)
    await session.flush()
    call.retried_by = again.id
    await events.placed(session, again)
