"""A ringline app whose carriers are real, over a scratch database (a carrier opens its
own transactions), and workspaces each with a carrier account, a number and a call."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from ringline.app import create_app
from ringline.carrier_accounts.schemas import (
    ExotelAccountCreate,
    PlivoAccountCreate,
    TwilioAccountCreate,
)
from ringline.carrier_accounts.service import create_account
from ringline.config import Settings
from ringline.db import Database
from ringline.models import Call, PhoneNumber
from ringline.runtime.process import Runtime
from tests.conftest import make_settings
from tests.fixtures.rows import call_row, workspace_with_assistant
from tests.fixtures.scratch import scratch_database


@dataclass(frozen=True)
class Line:
    """A workspace's carrier account, its number, and one outbound call placed from it."""

    workspace_id: str
    assistant_id: str
    account_sid: str  # Twilio's Account SID, or Plivo's auth ID
    auth_token: str
    number: str
    call_id: str
    call_sid: str  # the carrier's ID of the call


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request, tmp_path) -> AsyncIterator[Database]:
    async for database in scratch_database(request.param, tmp_path):
        yield database


@pytest.fixture
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def app(db, settings) -> FastAPI:
    app = create_app(settings, db)
    app.state.ringline.live_calls = Runtime(db, settings)  # its carriers; nothing started
    return app


@pytest.fixture
async def client(app, settings) -> AsyncIterator[httpx.AsyncClient]:
    # The public URL Twilio signs is this server's own: requests go to exactly that.
    transport = httpx.ASGITransport(app=app)
    base = settings.resolved_public_url
    async with httpx.AsyncClient(transport=transport, base_url=base) as client:
        yield client


AccountCreate = ExotelAccountCreate | PlivoAccountCreate | TwilioAccountCreate


def _account(carrier: str, name: str, token: str) -> AccountCreate:
    if carrier == "exotel":
        return ExotelAccountCreate(
            carrier="exotel", api_key=f"{name}-key", api_token=token, account_sid=name,
            subdomain="api.in.exotel.com",
        )  # fmt: skip
    if carrier == "plivo":
        auth_id = "MA" + (name.upper().encode().hex().upper() * 18)[:18]
        return PlivoAccountCreate(carrier="plivo", auth_id=auth_id, auth_token=token)
    sid = "AC" + (name.encode().hex() * 32)[:32]
    return TwilioAccountCreate(carrier="twilio", account_sid=sid, auth_token=token)


async def open_line(
    db: Database, settings: Settings, carrier: str, name: str, number: str, token: str
) -> Line:
    secret = settings.secret_key.get_secret_value()
    credentials = _account(carrier, name, token)
    call_sid = "CA" + "1" * 32
    async with db.session() as session:
        workspace, assistant = await workspace_with_assistant(session, name)
        account = await create_account(session, workspace.id, credentials, secret)
        session.add(
            PhoneNumber(
                workspace_id=workspace.id,
                number=number,
                carrier=carrier,
                carrier_account_id=account.id,
                assistant_id=assistant.id,
            )
        )
        row = call_row(
            workspace.id, assistant.id, carrier=carrier, from_number=number,
            carrier_call_id=call_sid,
        )  # fmt: skip
        session.add(row)
        await session.flush()
    login = getattr(credentials, "account_sid", None) or getattr(credentials, "auth_id", "")
    if isinstance(credentials, ExotelAccountCreate):
        login = credentials.api_key.get_secret_value()
    return Line(workspace.id, assistant.id, login, token, number, row.id, call_sid)


@pytest.fixture
async def acme(db, settings, carrier) -> Line:
    return await open_line(db, settings, carrier, "acme", "+14155550100", "a" * 32)


@pytest.fixture
async def other(db, settings, carrier) -> Line:
    return await open_line(db, settings, carrier, "other", "+14155550199", "b" * 32)


async def call_of(db: Database, call_id: str) -> Call:
    async with db.session() as session:
        call = await session.scalar(select(Call).where(Call.id == call_id))
        assert call is not None
        return call
