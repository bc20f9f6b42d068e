from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth import service
from ringline.auth.dependencies import Admin, Session
from ringline.auth.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyList, ApiKeyRead
from ringline.auth.service import Principal

router = APIRouter(prefix="/keys", tags=["keys"])


@router.get("", response_model=ApiKeyList)
async def list_keys(principal: Principal = Admin, session: AsyncSession = Session) -> ApiKeyList:
    """List the workspace's API keys (never their secrets)."""
    keys = await service.list_keys(session, principal.workspace_id)
    return ApiKeyList(keys=[ApiKeyRead.model_validate(key) for key in keys])


@router.post("", response_model=ApiKeyCreated, status_code=201)
async def create_key(
    body: ApiKeyCreate, principal: Principal = Admin, session: AsyncSession = Session
) -> ApiKeyCreated:
    """Create an API key; its secret is in this response only."""
    key, secret = await service.create_key(
        session,
        principal.workspace_id,
        name=body.name,
        scope=body.scope,
        expires_at=body.expires_at,
    )
    return ApiKeyCreated(**ApiKeyRead.model_validate(key).model_dump(), key=secret)


@router.delete("/{key_id}", response_model=ApiKeyRead)
async def revoke_key(
    key_id: str, principal: Principal = Admin, session: AsyncSession = Session
) -> ApiKeyRead:
    """Revoke an API key: requests with it are refused from now on."""
    key = await service.revoke_key(session, principal.workspace_id, key_id)
    return ApiKeyRead.model_validate(key)
