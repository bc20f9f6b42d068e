"""Placing calls and reading them back; every query is filtered by the workspace."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants.service import get_active_assistant
from ringline.calls import events, live, variables
from ringline.calls.lifecycle import TERMINAL, transition
from ringline.calls.schemas import CallCreate, CallRetry
from ringline.db.base import utcnow
from ringline.db.tenancy import get_owned
from ringline.errors import BadRequest, Conflict
from ringline.models import Assistant, Call, CallTurn, PhoneNumber
from ringline.numbers.service import caller_ids, check_reachable

# How far ahead a call may be scheduled, and how late a start time still reads as now.
SCHEDULE_HORIZON = timedelta(days=30)
SCHEDULE_SLACK = timedelta(minutes=1)


async def get_call(session: AsyncSession, workspace_id: str, call_id: str) -> Call:
    return await get_owned(session, Call, workspace_id, call_id, "call")


async def transcript(session: AsyncSession, call: Call) -> list[CallTurn]:
    query = select(CallTurn).where(CallTurn.call_id == call.id).order_by(CallTurn.seq)
    return list(await session.scalars(query))


async def create_outbound(
    session: AsyncSession, workspace_id: str, data: CallCreate, idempotency_key: str | None
) -> tuple[Call, bool]:
    """Store a new call to dial; with a known idempotency key, the first call instead.

    Returns the call and whether it was created by this request.
    """
    request_hash = _request_hash(data)
    if idempotency_key:
        earlier = await _by_idempotency_key(session, workspace_id, idempotency_key)
        if earlier is not None:
            return _same_request(earlier, request_hash), False
    call = await _new_call(session, workspace_id, data)
    call.idempotency_key, call.request_hash = idempotency_key, request_hash
    try:
        async with session.begin_nested():
            session.add(call)
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its call.
        earlier = await _by_idempotency_key(session, workspace_id, idempotency_key or "")
        if earlier is None:
            raise
        return _same_request(earlier, request_hash), False
    await events.placed(session, call)
    return call, True


async def _new_call(session: AsyncSession, workspace_id: str, data: CallCreate) -> Call:
    assistant = await get_active_assistant(session, workspace_id, data.assistant_id, "place calls")
    wanted = [data.from_number] if data.from_number else []
    [number] = await caller_ids(session, workspace_id, assistant.id, wanted)
    check_reachable(number, data.to_number)
    return new_call(
        assistant,
        data.dynamic_variables,
        carrier=number.carrier,
        from_number=number.number,
        to_number=data.to_number,
        dynamic_variables=dict(data.dynamic_variables),
        webhook_url=str(data.webhook_url) if data.webhook_url else None,
        webhook_headers=data.webhook_headers,
        scheduled_at=_scheduled(data.scheduled_at),
        max_duration_seconds=data.max_duration_seconds,
        idle_timeout_seconds=data.idle_timeout_seconds,
        **_retry_fields(data.retry),
    )


def _scheduled(at: datetime | None) -> datetime | None:
    """A start time within the next 30 days (a minute late reads as now: clocks differ)."""
    if at is None:
        return None
    now = utcnow()
    if at < now - SCHEDULE_SLACK:
        raise BadRequest("scheduled_at is in the past", {"field": "scheduled_at"})
    if at > now + SCHEDULE_HORIZON:
        raise BadRequest("scheduled_at is more than 30 days ahead", {"field": "scheduled_at"})
    return max(at, now)


def _retry_fields(retry: CallRetry | None) -> dict[str, Any]:
    if retry is None:
        return {}
    return {
        "attempt": 1,
        "retries_left": retry.max_retries,
        "retry_delay_seconds": retry.delay_seconds,
        "retry_on": " ".join(sorted(set(retry.on))),
    }


def new_call(
    assistant: Assistant,
    given: Mapping[str, Any],
    *,
    unfilled: str | None = None,
    **fields: Any,
) -> Call:
    """The one builder of a ``Call`` row, for every kind of call: the assistant's texts
    rendered with ``given`` (and its defaults), so later edits of the assistant leave a
    placed call alone. A placeholder left without a value is a 400 naming it, or reads as
    ``unfilled`` where that is given (a web visitor gives what it gives)."""
    # The voicemail message is rendered when the call is answered: checked here all the same.
    texts = [assistant.prompt, assistant.first_message, assistant.voicemail.get("message", "")]
    if unfilled is not None:
        nobody = variables.placeholders(*texts) - assistant.variable_defaults.keys()
        given = dict.fromkeys(nobody, unfilled) | dict(given)
    values = variables.resolve(texts, given, assistant.variable_defaults)
    return Call(
        workspace_id=assistant.workspace_id,
        assistant_id=assistant.id,
        language=assistant.language,
        prompt=variables.render(assistant.prompt, values),
        first_message=variables.render(assistant.first_message, values),
        **fields,
    )


async def place_campaign_call(
    session: AsyncSession,
    *,
    assistant: Assistant,
    number: PhoneNumber,
    to_number: str,
    dynamic_variables: dict[str, Any],
    campaign_id: str,
) -> Call:
    """Store a campaign's call to dial, its variables filled in; 400 if one is missing."""
    call = new_call(
        assistant,
        dynamic_variables,
        carrier=number.carrier,
        from_number=number.number,
        to_number=to_number,
        campaign_id=campaign_id,
        dynamic_variables={name: str(value) for name, value in dynamic_variables.items()},
    )
    session.add(call)
    await session.flush()
    await events.placed(session, call)
    return call


async def answer_inbound(
    session: AsyncSession,
    *,
    assistant: Assistant,
    number: PhoneNumber,
    from_number: str,
    carrier_call_id: str,
    owner: str,
) -> Call:
    """Store a call that rang one of the workspace's numbers, carried by process ``owner``
    (set as dialed: the dialer leaves it alone, and it counts against the limits)."""
    call = new_call(
        assistant,
        {},
        unfilled="",
        direction="inbound",
        carrier=number.carrier,
        from_number=from_number,
        to_number=number.number,
        carrier_call_id=carrier_call_id or None,
        dial_started_at=utcnow(),
        owner=owner,
    )
    session.add(call)
    await session.flush()
    await events.emit(session, call, "call.initiated")
    return call


async def _by_idempotency_key(session: AsyncSession, workspace_id: str, key: str) -> Call | None:
    return await session.scalar(
        select(Call).where(Call.workspace_id == workspace_id, Call.idempotency_key == key)
    )


def _request_hash(data: CallCreate) -> str:
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _same_request(call: Call, request_hash: str) -> Call:
    if call.request_hash != request_hash:
        raise Conflict(
            "this Idempotency-Key was used with a different request",
            {"header": "Idempotency-Key", "call_id": call.id},
        )
    return call


async def end_call(session: AsyncSession, workspace_id: str, call_id: str) -> tuple[Call, bool]:
    """Ask for the call to end; returns the call and whether it had already ended."""
    call = await get_call(session, workspace_id, call_id)
    if call.status in TERMINAL:
        return call, True
    call.end_requested_at = utcnow()
    if call.status in ("initiated", "ringing"):
        # Nobody answered yet: the call is over as soon as the dial is cancelled.
        await transition(session, call, "failed", failure_reason="ended by request before answer")
    return call, False


@dataclass(frozen=True)
class CallUsage:
    calls: int
    minutes: float
    live: int


async def usage_since(session: AsyncSession, workspace_id: str, since: datetime) -> CallUsage:
    """Calls placed since ``since``, their minutes, and the calls live right now."""
    mine = Call.workspace_id == workspace_id
    calls, seconds = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(Call.duration_seconds), 0)).where(
                mine, Call.created_at >= since
            )
        )
    ).one()
    live_now = await live.live_call_count(session, workspace_id)
    return CallUsage(calls=calls, minutes=round((seconds or 0) / 60, 1), live=live_now)
