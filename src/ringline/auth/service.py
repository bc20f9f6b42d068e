"""Creating, listing, revoking and checking API keys."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.scopes import Scope
from ringline.auth.secrets import display_prefix, generate_secret, hash_secret
from ringline.db.base import utcnow
from ringline.db.tenancy import get_owned, list_owned
from ringline.errors import BadRequest, Unauthorized
from ringline.models import ApiKey


@dataclass(frozen=True)
class Principal:
    """Who is calling: the workspace and the key it used."""

    workspace_id: str
    key_id: str
    scope: Scope


async def create_key(
    session: AsyncSession,
    workspace_id: str,
    *,
    name: str,
    scope: Scope,
    expires_at: datetime | None = None,
    secret: str | None = None,
) -> tuple[ApiKey, str]:
    """Store a new key and return it with its secret, which is never retrievable again."""
    if expires_at is not None and expires_at <= utcnow():
        raise BadRequest("expires_at must be in the future", {"field": "expires_at"})
    secret = secret or generate_secret()
    key = ApiKey(
        workspace_id=workspace_id,
        name=name,
        scope=scope.value,
        prefix=display_prefix(secret),
        secret_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    session.add(key)
    await session.flush()
    return key, secret


async def list_keys(session: AsyncSession, workspace_id: str) -> list[ApiKey]:
    return await list_owned(session, ApiKey, workspace_id)


async def revoke_key(session: AsyncSession, workspace_id: str, key_id: str) -> ApiKey:
    key = await get_owned(session, ApiKey, workspace_id, key_id, "API key")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return key


async def authenticate(session: AsyncSession, secret: str) -> Principal:
    key = await session.scalar(select(ApiKey).where(ApiKey.secret_hash == hash_secret(secret)))
    return _usable(key)


async def principal_of_key(session: AsyncSession, key_id: str) -> Principal:
    """The caller of a key authenticated earlier (a dashboard session), if still usable."""
    return _usable(await session.get(ApiKey, key_id))


def _usable(key: ApiKey | None) -> Principal:
    if key is None:
        raise Unauthorized("invalid API key")
    if key.revoked_at is not None:
        raise Unauthorized("this API key has been revoked")
    if key.expires_at is not None and key.expires_at <= utcnow():
        raise Unauthorized("this API key has expired")
    return Principal(workspace_id=key.workspace_id, key_id=key.id, scope=Scope(key.scope))
