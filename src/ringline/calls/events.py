"""What happens to a call after it is placed, each change in its own transaction with
its webhook event, so the stored status and the events sent can never disagree."""

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.calls.lifecycle import IllegalTransition, transition
from ringline.db import Database
from ringline.db.signals import CommitSignal
from ringline.models import Call, CallTurn
from ringline.webhooks.service import enqueue_event

# Set when a transaction that placed calls commits: the dialer then looks at once.
CALLS_PLACED = CommitSignal("calls-placed")


def event_payload(call: Call, transcript_available: bool) -> dict[str, Any]:
    """A call event body, field for field like the reference's ``call.completed``."""
    return {
        "call_id": call.id,
        "assistant_id": call.assistant_id,
        "to_number": call.to_number,
        "from_number": call.from_number,
        "status": call.status,
        "duration_seconds": call.duration_seconds,
        "disposition": call.disposition,
        "summary": call.summary,
        "transcript_available": transcript_available,
        "failure_reason": call.failure_reason,
        "ended_by": call.ended_by,
        "voicemail_detected": call.voicemail_detected,
        "tool_calls": call.tool_calls or [],
        "callback_requested": call.callback_requested,
        "callback_call_id": call.callback_call_id,
        "extracted": call.extracted or {},
        "direction": call.direction,
        "source": call.source,
    }


async def emit(session: AsyncSession, call: Call, *events: str) -> None:
    """Queue ``events`` for the call's webhooks and its own ``webhook_url``, in order."""
    turns = await session.scalar(select(func.count()).where(CallTurn.call_id == call.id))
    payload = event_payload(call, transcript_available=bool(turns))
    extra_urls = [call.webhook_url] if call.webhook_url else []
    for event in events:
        await enqueue_event(
            session,
            call.workspace_id,
            event,
            payload,
            extra_urls=extra_urls,
            extra_headers=call.webhook_headers,
            ordering_key=call.id,
        )


async def _move(db: Database, call_id: str, status: str, *events: str, **fields: Any) -> None:
    """Transition the call and queue its events, unless it already moved past ``status``."""
    async with db.session() as session:
        call = await session.get(Call, call_id)
        if call is None:
            return
        try:
            await transition(session, call, status, **fields)
        except IllegalTransition:
            return  # a late or repeated report: the call has moved on
        await emit(session, call, *events)


async def ringing(db: Database, call_id: str) -> None:
    await _move(db, call_id, "ringing", "call.ringing")


async def answered(db: Database, call_id: str) -> None:
    await _move(db, call_id, "in-progress", "call.answered")


async def unanswered(db: Database, call_id: str, status: str, reason: str | None = None) -> None:
    """``busy``, ``no-answer`` or ``failed`` before answer: a ``call.failed`` event."""
    await _move(db, call_id, status, "call.failed", failure_reason=reason)


async def failed(db: Database, call_id: str, reason: str) -> None:
    await _move(db, call_id, "failed", "call.failed", failure_reason=reason)


async def finished(
    db: Database,
    call_id: str,
    *,
    ended_at: datetime,
    ended_by: str,
    disposition: str,
    summary: str,
    tool_calls: list[dict[str, Any]] | None = None,
    callback_requested: str | None = None,
    callback_at: datetime | None = None,
    extracted: dict[str, Any] | None = None,
) -> None:
    """A conversation ended: completed, with its outcome, and its transcript is ready.
    A ``callback_at`` has the call back placed in the same transaction."""
    await _move(
        db,
        call_id,
        "completed",
        "call.completed",
        "call.transcript_ready",
        at=ended_at,
        ended_by=ended_by,
        disposition=disposition,
        summary=summary,
        tool_calls=tool_calls or [],
        callback_requested=callback_requested,
        callback_at=callback_at,
        extracted=extracted or {},
    )


async def placed(session: AsyncSession, call: Call) -> None:
    """In the transaction that creates the call: ``call.initiated``, and wake the dialer."""
    await emit(session, call, "call.initiated")
    CALLS_PLACED.after_commit(session)
