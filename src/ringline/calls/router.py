from typing import Any

from fastapi import APIRouter, Header, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.dependencies import Reader, Session, Writer
from ringline.auth.service import Principal
from ringline.calls import service
from ringline.calls.recordings import recording_path
from ringline.calls.schemas import (
    CallCreate,
    CallCreated,
    CallEnded,
    CallStatusRead,
    Transcript,
    TranscriptTurn,
)
from ringline.errors import CONFLICT_RESPONSE, NotFound
from ringline.models import Call
from ringline.state import AppState, State

router = APIRouter(prefix="/calls", tags=["calls"])


def _fields(model: type[BaseModel], call: Call) -> dict[str, Any]:
    """The call's columns that ``model`` shows (its ``call_id`` is the call's ``id``)."""
    return {name: getattr(call, name) for name in model.model_fields.keys() & vars(Call).keys()}


def call_status(call: Call) -> CallStatusRead:
    return CallStatusRead(call_id=call.id, **_fields(CallStatusRead, call))


async def stop_audio(state: AppState, call: Call) -> None:
    """Hang up here if the call's audio is here (another process carrying it finds the
    stored end request); cancel the dial of a call not answered yet."""
    if state.live_calls is None:
        return
    if call.status == "in-progress":
        await state.live_calls.hang_up(call.id)
    else:
        await state.live_calls.cancel_dial(call.carrier, call.id)


@router.post(
    "/outbound",
    response_model=CallCreated,
    status_code=201,
    responses={
        **CONFLICT_RESPONSE,
        200: {"model": CallCreated, "description": "The call first made with this Idempotency-Key"},
    },
)
async def create_outbound_call(
    body: CallCreate,
    response: Response,
    principal: Principal = Writer,
    session: AsyncSession = Session,
    idempotency_key: str | None = Header(
        None, max_length=255, description="Retries with the same key return the first call"
    ),
) -> CallCreated:
    """Place an outbound call from one of the workspace's numbers."""
    call, created = await service.create_outbound(
        session, principal.workspace_id, body, idempotency_key
    )
    if not created:
        response.status_code = 200
    return CallCreated(call_id=call.id, **_fields(CallCreated, call))


@router.get("/{call_id}/status", response_model=CallStatusRead)
async def get_call_status(
    call_id: str, principal: Principal = Reader, session: AsyncSession = Session
) -> CallStatusRead:
    """The call's status and, once known, its duration, disposition and summary."""
    return call_status(await service.get_call(session, principal.workspace_id, call_id))


@router.get("/{call_id}/transcript", response_model=Transcript)
async def get_call_transcript(
    call_id: str, principal: Principal = Reader, session: AsyncSession = Session
) -> Transcript:
    """What the agent and the customer said so far, in order, with offsets in seconds."""
    call = await service.get_call(session, principal.workspace_id, call_id)
    turns = [
        TranscriptTurn(
            role=t.role,
            text=t.text,
            start=t.start_seconds,
            end=t.end_seconds,
            latency=t.latency,
        )
        for t in await service.transcript(session, call)
    ]
    return Transcript(call_id=call.id, transcript=turns, language=call.language)


@router.get(
    "/{call_id}/recording",
    response_class=FileResponse,
    responses={200: {"content": {"audio/wav": {}}, "description": "Customer left, agent right"}},
)
async def get_call_recording(
    call_id: str,
    principal: Principal = Reader,
    session: AsyncSession = Session,
    state: AppState = State,
) -> FileResponse:
    """The call's audio as a two-channel WAV file (customer left, agent right)."""
    call = await service.get_call(session, principal.workspace_id, call_id)
    path = recording_path(state.settings, call.id)
    if not path.exists():
        raise NotFound(f"call {call.id} has no recording", {"id": call.id, "status": call.status})
    return FileResponse(path, media_type="audio/wav", filename=f"{call.id}.wav")


@router.post("/{call_id}/end", response_model=CallEnded)
async def end_call(
    call_id: str,
    principal: Principal = Writer,
    session: AsyncSession = Session,
    state: AppState = State,
) -> CallEnded:
    """Hang up a live call (or cancel one still ringing); an ended call is left as it is."""
    call, already_ended = await service.end_call(session, principal.workspace_id, call_id)
    if not already_ended:
        await stop_audio(state, call)
    return CallEnded(call_id=call.id, already_ended=already_ended, **_fields(CallStatusRead, call))
