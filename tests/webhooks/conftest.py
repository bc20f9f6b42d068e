"""Fixtures for delivery tests: a fresh committed database per test, a receiver, a dispatcher.

Delivery runs in its own transactions, so these tests cannot use the rolled-back session;
each gets an empty database instead, so no test sees another's outbox.
"""

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ringline.config import Settings
from ringline.db import Database
from ringline.jobs import running
from ringline.models import WebhookDelivery, WebhookEndpoint, WebhookMessage
from ringline.webhooks.dispatcher import Dispatcher, Policy
from ringline.webhooks.schemas import WebhookCreate
from ringline.webhooks.service import create_webhook, enqueue_event
from ringline.workspaces.service import create_workspace
from tests.conftest import make_settings
from tests.fixtures.scratch import scratch_database
from tests.webhooks.receiver import Receiver


@pytest.fixture(params=["sqlite", "postgresql"])
async def outbox_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    async for database in scratch_database(request.param, tmp_path):
        yield database


@pytest.fixture
async def workspace_id(outbox_db: Database) -> str:
    async with outbox_db.session() as session:
        return (await create_workspace(session, f"ws-{uuid.uuid4().hex[:8]}")).id


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as receiver:
        yield receiver


def fast_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Delivery settings scaled down from hours to fractions of a second."""
    values: dict[str, Any] = {
        "allow_private_webhooks": True,
        "webhook_retry_schedule": [0.2, 0.4, 0.6],
        "webhook_poll_seconds": 0.05,
        "webhook_timeout_seconds": 1.0,
        "webhook_lease_seconds": 3.0,
    }
    return make_settings(tmp_path, **(values | overrides))


@asynccontextmanager
async def dispatching(db: Database, settings: Settings) -> AsyncIterator[Dispatcher]:
    dispatcher = Dispatcher(db, Policy.from_settings(settings))
    try:
        async with running(dispatcher.dispatch_pass()):
            yield dispatcher
    finally:
        await dispatcher.stop()


async def register(
    db: Database,
    workspace_id: str,
    url: str,
    events: tuple[str, ...] = ("call.completed",),
    secret: str | None = None,
) -> WebhookEndpoint:
    data = WebhookCreate(url=url, events=list(events), secret=secret)
    async with db.session() as session:
        return await create_webhook(session, workspace_id, data, allow_private=True)


async def publish(db: Database, workspace_id: str, count: int = 1, **options: Any) -> None:
    """Queue ``count`` call.completed events, committed, each numbered by ``n``."""
    event = options.pop("event", "call.completed")
    async with db.session() as session:
        for n in range(count):
            payload = {"call_id": "call_x", "n": n}
            await enqueue_event(session, workspace_id, event, payload, **options)


async def messages(db: Database) -> list[WebhookMessage]:
    async with db.session() as session:
        return list(await session.scalars(select(WebhookMessage).order_by(WebhookMessage.seq)))


async def settled(db: Database) -> bool:
    """Whether every message is delivered or failed (its attempt recorded)."""
    return all(m.status != "pending" for m in await messages(db))


async def attempts(db: Database) -> list[WebhookDelivery]:
    async with db.session() as session:
        query = select(WebhookDelivery).order_by(WebhookDelivery.attempted_at)
        return list(await session.scalars(query))


async def endpoint(db: Database, endpoint_id: str) -> WebhookEndpoint:
    async with db.session() as session:
        found = await session.get(WebhookEndpoint, endpoint_id)
        assert found is not None
        return found
