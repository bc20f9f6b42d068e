"""Placing calls and reading them back; every query is filtered by the workspace."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants.service import get_assistant
from ringline.calls import events, variables
from ringline.calls.lifecycle import TERMINAL, is_live, transition
from ringline.calls.schemas import CallCreate
from ringline.db.base import utcnow
from ringline.db.tenancy import get_owned
from ringline.errors import BadRequest, Conflict
from ringline.models import Assistant, Call, CallTurn, PhoneNumber


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
    assistant = await get_assistant(session, workspace_id, data.assistant_id)
    if assistant.status != "active":
        raise BadRequest(
            f"assistant {assistant.id} is {assistant.status}; activate it to place calls",
            {"field": "assistant_id"},
        )
    number = await _caller_id(session, workspace_id, assistant, data.from_number)
    _check_reachable(number, data.to_number)
    return _rendered_call(
        assistant,
        number,
        data.to_number,
        data.dynamic_variables,
        dynamic_variables=dict(data.dynamic_variables),
        webhook_url=str(data.webhook_url) if data.webhook_url else None,
    )


def _rendered_call(
    assistant: Assistant,
    number: PhoneNumber,
    to_number: str,
    given: Mapping[str, Any],
    **fields: Any,
) -> Call:
    """A call from ``number`` to ``to_number`` with the assistant's texts filled in from
    ``given`` (and its defaults); 400 naming any placeholder left without a value."""
    texts = [assistant.prompt, assistant.first_message]
    values = variables.resolve(texts, given, assistant.variable_defaults)
    return Call(
        workspace_id=assistant.workspace_id,
        assistant_id=assistant.id,
        carrier=number.carrier,
        from_number=number.number,
        to_number=to_number,
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
    call = _rendered_call(
        assistant,
        number,
        to_number,
        dynamic_variables,
        campaign_id=campaign_id,
        dynamic_variables={name: str(value) for name, value in dynamic_variables.items()},
    )
    session.add(call)
    await session.flush()
    await events.placed(session, call)
    return call


async def _caller_id(
    session: AsyncSession, workspace_id: str, assistant: Assistant, from_number: str | None
) -> PhoneNumber:
    query = select(PhoneNumber).where(PhoneNumber.workspace_id == workspace_id)
    if from_number is not None:
        number = await session.scalar(query.where(PhoneNumber.number == from_number))
        if number is None:
            raise BadRequest(
                f"{from_number} is not one of this workspace's numbers (GET /v1/numbers)",
                {"field": "from_number"},
            )
        return number
    number = await session.scalar(
        query.where(PhoneNumber.assistant_id == assistant.id).order_by(PhoneNumber.created_at)
    )
    if number is None:
        raise BadRequest(
            "from_number is required: the assistant has no number assigned",
            {"field": "from_number"},
        )
    return number


def _check_reachable(number: PhoneNumber, to_number: str) -> None:
    # Only the sandbox carrier can dial from this build; real carriers plug in here.
    if number.carrier != "sandbox":
        raise BadRequest(
            f"{number.number} is on carrier '{number.carrier}', which is not configured here",
            {"field": "from_number", "carrier": number.carrier},
        )
    if to_number == number.number:
        raise BadRequest("to_number must differ from from_number", {"field": "to_number"})


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
    live = await live_call_count(session, workspace_id)
    return CallUsage(calls=calls, minutes=round(seconds / 60, 1), live=live)


async def live_call_count(session: AsyncSession, workspace_id: str) -> int:
    """The workspace's calls dialed (or opened from the web) and not yet ended."""
    live = await session.scalar(
        select(func.count()).where(
            Call.workspace_id == workspace_id, Call.dial_started_at.is_not(None), is_live()
        )
    )
    return live or 0
