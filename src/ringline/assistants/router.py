from dataclasses import asdict

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants import service
from ringline.assistants.catalog import VOICES
from ringline.assistants.schemas import (
    AssistantCreate,
    AssistantList,
    AssistantRead,
    AssistantUpdate,
    VoiceList,
    VoiceRead,
)
from ringline.auth.dependencies import Reader, Session, Writer
from ringline.auth.service import Principal
from ringline.state import AppState, State

router = APIRouter(prefix="/assistants", tags=["assistants"])
voices_router = APIRouter(prefix="/voices", tags=["assistants"])


@router.get("", response_model=AssistantList)
async def list_assistants(
    principal: Principal = Reader, session: AsyncSession = Session
) -> AssistantList:
    """List the workspace's voice assistants, oldest first."""
    assistants = await service.list_assistants(session, principal.workspace_id)
    return AssistantList(assistants=[AssistantRead.model_validate(a) for a in assistants])


@router.post("", response_model=AssistantRead, status_code=201)
async def create_assistant(
    body: AssistantCreate,
    principal: Principal = Writer,
    session: AsyncSession = Session,
    state: AppState = State,
) -> AssistantRead:
    """Create a voice assistant."""
    allow_private = state.settings.allow_private_webhooks
    assistant = await service.create_assistant(
        session, principal.workspace_id, body, allow_private=allow_private
    )
    return AssistantRead.model_validate(assistant)


@router.get("/{assistant_id}", response_model=AssistantRead)
async def get_assistant(
    assistant_id: str, principal: Principal = Reader, session: AsyncSession = Session
) -> AssistantRead:
    """One assistant with its prompt, voice and first message."""
    assistant = await service.get_assistant(session, principal.workspace_id, assistant_id)
    return AssistantRead.model_validate(assistant)


@router.patch("/{assistant_id}", response_model=AssistantRead)
async def update_assistant(
    assistant_id: str,
    body: AssistantUpdate,
    principal: Principal = Writer,
    session: AsyncSession = Session,
    state: AppState = State,
) -> AssistantRead:
    """Change some of an assistant's fields; the others keep their values."""
    allow_private = state.settings.allow_private_webhooks
    assistant = await service.update_assistant(
        session, principal.workspace_id, assistant_id, body, allow_private=allow_private
    )
    return AssistantRead.model_validate(assistant)


@voices_router.get("", response_model=VoiceList)
async def list_voices(principal: Principal = Reader) -> VoiceList:
    """The voice names an assistant can use, and what each maps to per TTS provider."""
    return VoiceList(voices=[VoiceRead(**asdict(voice)) for voice in VOICES.values()])
