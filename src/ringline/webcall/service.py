"""Web call tokens, and the web calls a valid token opens; every query names the workspace.

A web call is a ``Call`` with ``source`` "web": it is created when the widget's socket
presents a valid token from an allowed origin, answered at once, and from then on lives
the life of any call (engine, transcript, analysis, webhooks, history).
"""

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants.service import check_active, get_active_assistant, get_assistant
from ringline.calls import events
from ringline.calls.live import room_for_calls
from ringline.calls.service import new_call
from ringline.db.base import rows_changed, utcnow
from ringline.errors import BadRequest, NotFound
from ringline.models import Assistant, Call, WebcallToken
from ringline.webcall import tokens
from ringline.webcall.schemas import WebcallTokenCreate

# What a web call stores where a phone call stores numbers: there is no line.
WEB_ENDPOINT = "web"
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class Refused(Exception):
    """The socket may not open a call; ``reason`` is shown to the visitor."""

    def __init__(self, reason: str, code: int = 1008) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


async def create_token(
    session: AsyncSession,
    workspace_id: str,
    data: WebcallTokenCreate,
    secret_key: str,
    lifetime_seconds: int,
) -> tuple[WebcallToken, str]:
    """A stored one-time token for ``data.assistant_id`` and its signed text."""
    assistant = await get_active_assistant(
        session, workspace_id, data.assistant_id, "take web calls"
    )
    expires_at = (utcnow() + timedelta(seconds=lifetime_seconds)).replace(microsecond=0)
    row = WebcallToken(
        workspace_id=workspace_id,
        assistant_id=assistant.id,
        visitor_info=data.visitor_info,
        expires_at=expires_at,
    )
    session.add(row)
    await session.flush()
    claims = tokens.TokenClaims(row.id, workspace_id, assistant.id, expires_at)
    return row, tokens.sign(secret_key, claims)


def origin_allowed(assistant: Assistant, origin: str | None, own_origin: str) -> bool:
    """Browsers always send ``Origin``: a socket without one is not from an embedding page."""
    if not origin:
        return False
    origin = origin.lower().rstrip("/")
    return origin == own_origin.lower() or origin in assistant.allowed_origins


async def open_call(
    session: AsyncSession,
    secret_key: str,
    token: str,
    origin: str | None,
    own_origin: str,
    owner: str | None = None,
) -> Call:
    """Spend ``token`` on a new web call from ``origin``, owned by the process ``owner``
    that carries its audio (``calls.leases``); ``Refused`` says why not."""
    try:
        claims = tokens.verify(secret_key, token)
    except tokens.BadToken as exc:
        raise Refused(f"invalid token: {exc}") from None
    now = utcnow()
    if claims.expires_at <= now:
        raise Refused("the token has expired: fetch a new one")
    try:
        assistant = await get_assistant(session, claims.workspace_id, claims.assistant_id)
    except NotFound:
        raise Refused("the token's assistant no longer exists") from None
    try:
        check_active(assistant, "take web calls")
    except BadRequest:
        raise Refused("the assistant is not taking calls") from None
    if not origin_allowed(assistant, origin, own_origin):
        raise Refused(f"origin {origin or '(none)'} may not call this assistant")
    if not await _room_for_a_call(session, claims.workspace_id):
        raise Refused("all lines are busy: try again in a minute", code=1013)
    # Compare-and-set: of two sockets racing with one token, exactly one updates the row.
    claimed = await session.execute(
        update(WebcallToken)
        .where(
            WebcallToken.id == claims.token_id,
            WebcallToken.workspace_id == claims.workspace_id,
            WebcallToken.assistant_id == claims.assistant_id,
            WebcallToken.used_at.is_(None),
            WebcallToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(claimed) != 1:
        raise Refused("the token was already used: each token opens one call")
    row = await session.get(WebcallToken, claims.token_id)
    assert row is not None  # just claimed
    call = _new_call(assistant, row.visitor_info, now)
    call.owner = owner
    session.add(call)
    await session.flush()
    row.call_id = call.id
    await events.placed(session, call)
    return call


def _new_call(assistant: Assistant, visitor_info: dict[str, Any], now: datetime) -> Call:
    given = {
        key: value
        for key, value in visitor_info.items()
        if _VARIABLE.match(key) and isinstance(value, str | int | float | bool)
    }
    return new_call(
        assistant,
        given,
        unfilled="",
        direction="inbound",
        source="web",
        carrier=WEB_ENDPOINT,
        from_number=WEB_ENDPOINT,
        to_number=WEB_ENDPOINT,
        dynamic_variables={"visitor_info": visitor_info},
        # Set: the dialer leaves it alone, and it counts as live against the workspace limit.
        dial_started_at=now,
    )


async def _room_for_a_call(session: AsyncSession, workspace_id: str) -> bool:
    return (await room_for_calls(session, workspace_id)).get(workspace_id, 0) > 0
