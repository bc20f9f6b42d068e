"""FastAPI dependencies: the request's session and the authenticated, rate-limited caller."""

from collections.abc import AsyncIterator, Awaitable, Callable

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.scopes import Scope
from ringline.auth.service import Principal, authenticate
from ringline.errors import Forbidden, Unauthorized
from ringline.state import app_state

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer <key>`")


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed before the response is sent."""
    read_only = request.method in ("GET", "HEAD")
    async with app_state(request).db.session(read_only=read_only) as session:
        yield session


async def _principal(
    request: Request,
    response: Response,
    credentials: HTTPAuthorizationCredentials | None,
    session: AsyncSession,
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("missing API key: send 'Authorization: Bearer <key>'")
    principal = await authenticate(session, credentials.credentials)
    headers = await app_state(request).rate_limiter.hit(principal.key_id)
    response.headers.update(headers)
    return principal


def require(scope: Scope) -> Callable[..., Awaitable[Principal]]:
    """A dependency giving the caller, refused unless its key's scope covers ``scope``."""

    async def dependency(
        request: Request,
        response: Response,
        credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
        session: AsyncSession = Depends(get_session, scope="function"),
    ) -> Principal:
        principal = await _principal(request, response, credentials, session)
        if not principal.scope.allows(scope):
            raise Forbidden(
                f"this API key has scope '{principal.scope}'; this operation needs '{scope}'",
                {"key_scope": principal.scope, "required_scope": scope},
            )
        return principal

    return dependency


Reader = Depends(require(Scope.read))
Writer = Depends(require(Scope.write))
Admin = Depends(require(Scope.admin))
Session = Depends(get_session, scope="function")
