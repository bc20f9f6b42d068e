from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.dependencies import Admin, Reader, Session
from ringline.auth.service import Principal
from ringline.providers import service
from ringline.providers.schemas import ProviderList, ProviderRead, ProviderSet, Stage
from ringline.state import app_state

router = APIRouter(prefix="/workspace/providers", tags=["workspace"])


@router.get("", response_model=ProviderList)
async def list_providers(
    principal: Principal = Reader, session: AsyncSession = Session
) -> ProviderList:
    """The hosted services the workspace's calls use (never their keys)."""
    providers = await service.list_providers(session, principal.workspace_id)
    return ProviderList(providers=[ProviderRead.model_validate(p) for p in providers])


@router.put("/{stage}", response_model=ProviderRead)
async def set_provider(
    stage: Stage,
    body: ProviderSet,
    request: Request,
    principal: Principal = Admin,
    session: AsyncSession = Session,
) -> ProviderRead:
    """Serve one stage (llm, stt or tts) of every new call with a hosted service."""
    secret = app_state(request).settings.secret_key.get_secret_value()
    provider = await service.set_provider(session, principal.workspace_id, stage, body, secret)
    return ProviderRead.model_validate(provider)


@router.delete("/{stage}", status_code=204, response_class=Response)
async def remove_provider(
    stage: Stage, principal: Principal = Admin, session: AsyncSession = Session
) -> None:
    """Go back to ringline's bundled model for that stage."""
    await service.remove_provider(session, principal.workspace_id, stage)
