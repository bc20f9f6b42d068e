"""/healthz, /readyz and /metrics on the real app: alive, ready, and what it did."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from alembic import command

from ringline.app import create_app
from ringline.calls.lifecycle import transition
from ringline.db import Database
from ringline.db.base import utcnow
from ringline.migrations import alembic_config
from ringline.models import WebhookMessage
from tests.conftest import make_settings
from tests.fixtures.rows import call_row, workspace_with_assistant
from tests.fixtures.scratch import scratch_database


def sample(exposition: str, name: str, **labels: str) -> float:
    """The value of one series in Prometheus's text format (0 when it is not there)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = rf"^{re.escape(name)}(?:\{{{re.escape(wanted)}\}})? (\S+)$" if labels else ""
    pattern = pattern or rf"^{re.escape(name)} (\S+)$"
    found = re.search(pattern, exposition, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def test_alive_and_ready_at_the_newest_schema(client):
    alive = await client.get("/healthz")
    ready = await client.get("/readyz")

    assert alive.status_code == 200 and alive.json() == {"status": "ok"}
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready" and ready.json()["database"] == "ok"


@asynccontextmanager
async def served(db: Database, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The real app on ``db``, its requests in their own transactions."""
    transport = httpx.ASGITransport(app=create_app(make_settings(tmp_path), db))
    async with httpx.AsyncClient(transport=transport, base_url="http://ringline.test") as client:
        yield client


async def test_a_database_behind_the_newest_schema_is_not_ready(tmp_path: Path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    async with db.engine.begin() as connection:
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), "0015"))
    try:
        async with served(db, tmp_path) as client:
            ready = await client.get("/readyz")
    finally:
        await db.dispose()

    assert ready.status_code == 503
    assert ready.json()["status"] == "not ready"
    assert ready.json()["schema"].startswith("0015, not the newest")


async def test_metrics_count_requests_by_route_and_calls_by_status(client, auth, session):
    before = (await client.get("/metrics")).text
    workspace, assistant = await workspace_with_assistant(session, "metrics")
    call = call_row(workspace.id, assistant.id)
    session.add(call)
    await session.flush()

    await client.get("/v1/assistants", headers=auth)
    await client.get("/v1/assistants/asst_nope", headers=auth)
    await transition(session, call, "ringing")
    after = (await client.get("/metrics")).text

    listed = {"method": "GET", "route": "/v1/assistants", "status": "200"}
    missing = {"method": "GET", "route": "/v1/assistants/{assistant_id}", "status": "404"}
    count = "ringline_http_request_seconds_count"
    assert sample(after, count, **listed) == sample(before, count, **listed) + 1
    assert sample(after, count, **missing) == sample(before, count, **missing) + 1
    assert "asst_nope" not in after  # a route's template, never its raw path
    ringing = "ringline_call_status_changes_total"
    assert sample(after, ringing, status="ringing") == sample(before, ringing, status="ringing") + 1


async def test_the_webhook_backlog_is_the_messages_not_yet_delivered(tmp_path: Path):
    async for db in scratch_database("sqlite", tmp_path):
        async with db.session() as session:
            workspace, _ = await workspace_with_assistant(session, "backlog")
            for status in ("pending", "pending", "delivered", "failed"):
                message = WebhookMessage(
                    workspace_id=workspace.id,
                    url="https://example.com/hook",
                    event="call.completed",
                    payload={},
                    status=status,
                    next_attempt_at=utcnow(),
                )
                session.add(message)
        async with served(db, tmp_path) as client:
            exposition = (await client.get("/metrics")).text

    assert sample(exposition, "ringline_webhook_backlog") == 2
