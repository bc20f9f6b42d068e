"""Web call tokens: signed, expiring, bound to a workspace and assistant, usable once."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.db import Database
from ringline.models import Assistant, Call, WebcallToken, Workspace
from ringline.webcall import tokens
from ringline.webcall.schemas import WebcallTokenCreate
from ringline.webcall.service import Refused, create_token, open_call
from tests.fixtures.rows import workspace_with_assistant

SECRET = "test-secret"
OWN = "http://ringline.test"


def claims(**changes) -> tokens.TokenClaims:
    values = {
        "token_id": "wct_1",
        "workspace_id": "ws_1",
        "assistant_id": "asst_1",
        "expires_at": datetime(2030, 1, 1, tzinfo=UTC),
    }
    return tokens.TokenClaims(**(values | changes))


def test_a_signed_token_verifies_to_its_claims():
    token = tokens.sign(SECRET, claims())

    assert token.startswith("wct.")
    assert tokens.verify(SECRET, token) == claims()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "wct.abc",
        "jwt.abc.def",
        tokens.sign("another-secret", claims()),
        tokens.sign(SECRET, claims()).replace("wct.", "wct.x", 1),
    ],
)
def test_tokens_not_signed_here_or_altered_are_refused(token):
    with pytest.raises(tokens.BadToken):
        tokens.verify(SECRET, token)


def test_a_token_for_another_assistant_cannot_be_made_from_a_valid_one():
    genuine = tokens.sign(SECRET, claims())
    _, payload, signature = genuine.split(".")
    forged_payload = tokens.sign(SECRET, claims(assistant_id="asst_2")).split(".")[1]

    with pytest.raises(tokens.BadToken):
        tokens.verify(SECRET, f"wct.{forged_payload}.{signature}")


async def _token(session: AsyncSession, lifetime: int = 300, **visitor) -> tuple[str, str]:
    workspace, assistant = await workspace_with_assistant(session, "web")
    assistant.prompt = "You help {{name}} on {{page_url}}; {{missing}}."
    assistant.allowed_origins = ["https://shop.example"]
    data = WebcallTokenCreate(assistant_id=assistant.id, visitor_info=visitor)
    _, token = await create_token(session, workspace.id, data, SECRET, lifetime)
    return token, assistant.id


async def test_a_token_opens_one_web_call_with_the_visitor_filled_in(session: AsyncSession):
    token, assistant_id = await _token(session, name="Ada", page_url="https://shop.example/pricing")

    call = await open_call(session, SECRET, token, "https://shop.example", OWN, owner="web:1")

    assert (call.source, call.direction, call.status) == ("web", "inbound", "initiated")
    assert call.owner == "web:1"  # the process carrying its audio answers for it
    assert call.assistant_id == assistant_id
    assert call.prompt == "You help Ada on https://shop.example/pricing; ."
    assert call.dial_started_at is not None  # the dialer never picks it up
    row = await session.scalar(select(WebcallToken).where(WebcallToken.call_id == call.id))
    assert row is not None and row.used_at is not None


async def test_a_used_token_is_refused(session: AsyncSession):
    token, _ = await _token(session)
    await open_call(session, SECRET, token, OWN, OWN)

    with pytest.raises(Refused, match="already used"):
        await open_call(session, SECRET, token, OWN, OWN)


async def test_an_expired_token_is_refused(session: AsyncSession):
    token, _ = await _token(session, lifetime=1)
    row = await session.scalar(select(WebcallToken).order_by(WebcallToken.created_at.desc()))
    expired = tokens.sign(
        SECRET,
        tokens.TokenClaims(
            row.id, row.workspace_id, row.assistant_id, datetime.now(UTC) - timedelta(seconds=1)
        ),
    )

    with pytest.raises(Refused, match="expired"):
        await open_call(session, SECRET, expired, OWN, OWN)


@pytest.mark.parametrize("origin", ["https://evil.example", "http://shop.example", None, ""])
async def test_a_page_of_an_origin_not_listed_is_refused(session: AsyncSession, origin):
    token, _ = await _token(session)

    with pytest.raises(Refused, match="origin"):
        await open_call(session, SECRET, token, origin, OWN)
    # The refusal did not spend the token: the allowed site can still use it.
    call = await open_call(session, SECRET, token, "https://shop.example", OWN)
    assert call.source == "web"


async def test_an_inactive_assistant_takes_no_web_calls(session: AsyncSession):
    token, assistant_id = await _token(session)
    assistant = await session.get(Assistant, assistant_id)
    assistant.status = "inactive"

    with pytest.raises(Refused, match="not taking calls"):
        await open_call(session, SECRET, token, OWN, OWN)


async def test_a_full_workspace_refuses_until_a_line_frees(session: AsyncSession):
    token, _ = await _token(session)
    row = await session.scalar(select(WebcallToken).order_by(WebcallToken.created_at.desc()))
    workspace = await session.get(Workspace, row.workspace_id)
    workspace.concurrent_call_limit = 0

    with pytest.raises(Refused) as refused:
        await open_call(session, SECRET, token, OWN, OWN)
    assert refused.value.code == 1013


async def test_two_sockets_racing_with_one_token_open_one_call(db: Database):
    async with db.session() as session:
        token, assistant_id = await _token(session)

    async def attempt() -> Call | Refused:
        try:
            async with db.session() as session:
                return await open_call(session, SECRET, token, OWN, OWN)
        except Refused as refused:
            return refused

    results = await asyncio.gather(*(attempt() for _ in range(4)))

    calls = [r for r in results if isinstance(r, Call)]
    refusals = [r for r in results if isinstance(r, Refused)]
    assert len(calls) == 1 and len(refusals) == 3
    assert all("already used" in r.reason for r in refusals)
    async with db.session() as session:
        made = await session.scalars(select(Call.id).where(Call.assistant_id == assistant_id))
        assert list(made) == [calls[0].id]
