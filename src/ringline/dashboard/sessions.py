"""Dashboard sign-in: a server-side session per operator, found by the cookie's secret.

The cookie carries a random secret; the table keeps only its SHA-256 and the API key's
ID, so neither the cookie nor the table holds an API key. Each request reads the key
again (``principal_of_key``): a revoked or expired key signs its sessions out.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.service import Principal, authenticate, principal_of_key
from ringline.db.base import utcnow
from ringline.models import DashboardSession

LIFETIME = timedelta(hours=12)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def sign_in(session: AsyncSession, api_key: str) -> tuple[DashboardSession, str]:
    """A new session for the key's workspace and the cookie secret that opens it."""
    principal = await authenticate(session, api_key)
    # Expired sessions open nothing; each sign-in clears them so the table stays small.
    await session.execute(delete(DashboardSession).where(DashboardSession.expires_at <= utcnow()))
    secret = secrets.token_urlsafe(32)
    row = DashboardSession(
        workspace_id=principal.workspace_id,
        key_id=principal.key_id,
        secret_hash=_digest(secret),
        csrf_token=secrets.token_urlsafe(32),
        expires_at=utcnow() + LIFETIME,
    )
    session.add(row)
    await session.flush()
    return row, secret


async def signed_in(
    session: AsyncSession, secret: str
) -> tuple[DashboardSession, Principal] | None:
    """The live session the cookie secret opens, with its key's caller; None if none."""
    row = await session.scalar(
        select(DashboardSession).where(DashboardSession.secret_hash == _digest(secret))
    )
    if row is None or row.expires_at <= utcnow():
        return None
    return row, await principal_of_key(session, row.key_id)


async def sign_out(session: AsyncSession, secret: str) -> None:
    await session.execute(
        delete(DashboardSession).where(DashboardSession.secret_hash == _digest(secret))
    )


def csrf_matches(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
