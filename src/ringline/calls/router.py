from typing import Any

from fastapi import APIRouter, Header, Request, Response
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
    CallStatus,
    Transcript,
    TranscriptTurn,
)
from ringline.errors import CONFLICT_RESPONSE, NotFound
from ringline.models import Call

router = APIRouter(prefix="/calls", tags=["calls"])


def _fields(model: type[BaseModel], call: Call) -> dict[str, Any]:
    """The call's columns that ``model`` shows (its ``call_id`` is the call's ``id``)."""
    return {name: getattr(call, name) for name in model.model_fields.keys() & vars(Call).keys()}


def call_status(call: Call) -> CallStatus:
    return CallStatus(call_id=call.id, **_fields(CallStatus, call))


async def _stop_audio(request: Request, call: Call) -> None:
    if call.status == "in-progress":
        await request.app.state.voice.hang_up(call.id)
    elif carrier := request.app.state.carriers.get(call.carrier):
        await carrier.cancel(call.id)


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


@router.get("/{call_id}/status", response_model=CallStatus)
async def get_call_status(
    call_id: str, principal: Principal = Reader, session: AsyncSession = Session
) -> CallStatus:
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
            latency=t.latency,  # type: ignore[arg-type]
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
    call_id: str, request: Request, principal: Principal = Reader, session: AsyncSession = Session
) -> FileResponse:
    """The call's audio as a two-channel WAV file (customer left, agent right)."""
    call = await service.get_call(session, principal.workspace_id, call_id)
    path = recording_path(request.app.state.settings, call.id)
    if not path.exists():
        raise NotFound(f"call {call.id} has no recording", {"id": call.id, "status": call.status})
    return FileResponse(path, media_type="audio/wav", filename=f"{call.id}.wav")


@router.post("/{call_id}/end", response_model=CallEnded)
async def end_call(
    call_id: str, request: Request, principal: Principal = Writer, session: AsyncSession = Session
) -> CallEnded:
    """Hang up a live call (or cancel one still ringing); an ended call is left as it is."""
    call, already_ended = await service.end_call(session, principal.workspace_id, call_id)
    if not already_ended:
        await _stop_audio(request, call)
    return CallEnded(call_id=call.id, already_ended=already_ended, **_fields(CallStatus, call))
