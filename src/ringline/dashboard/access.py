"""Who is looking at a page: the signed-in operator, and the checks on every form post."""

from dataclasses import dataclass

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.dependencies import Session
from ringline.auth.scopes import Scope
from ringline.auth.service import Principal
from ringline.dashboard.sessions import csrf_matches, signed_in
from ringline.errors import Unauthorized

COOKIE = "ringline_session"


class SignInNeeded(Exception):
    """No live session: the page answers with a redirect to the sign-in form."""


class Refused(Exception):
    """A form the operator may not post (no CSRF token, or a read-only key): a 403 page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Operator:
    principal: Principal
    csrf_token: str

    @property
    def workspace_id(self) -> str:
        return self.principal.workspace_id

    @property
    def can_write(self) -> bool:
        return self.principal.scope.allows(Scope.write)


async def operator(request: Request, session: AsyncSession = Session) -> Operator:
    secret = request.cookies.get(COOKIE)
    try:
        found = await signed_in(session, secret) if secret else None
    except Unauthorized:  # the key was revoked or has expired since
        found = None
    if found is None:
        raise SignInNeeded()
    row, principal = found
    return Operator(principal, row.csrf_token)


async def form_writer(request: Request, who: Operator = Depends(operator)) -> Operator:
    """The operator posting a form that changes something: its CSRF token and scope checked."""
    form = await request.form()
    token = form.get("csrf_token")
    if not csrf_matches(who.csrf_token, token if isinstance(token, str) else None):
        raise Refused("This form has expired or was not sent by the dashboard. Reload the page.")
    if not who.can_write:
        raise Refused("Your API key is read-only: it can view the dashboard but change nothing.")
    return who


Viewer = Depends(operator)
Writer = Depends(form_writer)
