import asyncio
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import select

from ringline.config import Settings
from ringline.db.base import utcnow
from ringline.jobs import running
from ringline.models import Call, SandboxCallee
from ringline.runtime.dialer import Dialer, Reports
from ringline.runtime.leases import ProcessLease
from ringline.telephony.sandbox.carrier import SandboxCarrier
from tests.fixtures.rows import call_row, workspace_with_assistant
from tests.fixtures.scratch import scratch_database


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request, tmp_path):
    async for db in scratch_database(request.param, tmp_path):
        yield db


async def seed(db, calls: int, limit: int, answer: str = "no-answer") -> list[str]:
    """A workspace allowed ``limit`` live calls and ``calls`` calls waiting to be dialed."""
    async with db.session() as session:
        workspace, assistant = await workspace_with_assistant(
            session, "dialer", concurrent_call_limit=limit
        )
        callee = SandboxCallee(
            workspace_id=workspace.id,
            number="+919876543210",
            behaviour={"answer": answer},
            persona={"replies": ["hi"]},
        )
        rows = [call_row(workspace.id, assistant.id) for _ in range(calls)]
        session.add_all([callee, *rows])
        await session.flush()
        return [row.id for row in rows]


def dialer_for(db, tmp_path):
    settings = Settings(data_dir=tmp_path, dial_poll_seconds=0.05)
    carrier = SandboxCarrier(
        db, llm=None, reports_dir=tmp_path, ring_seconds=0.05, ring_timeout_seconds=0.3
    )
    return Dialer(db, settings, {"sandbox": carrier}, ProcessLease(db, settings), Reports(db))


@asynccontextmanager
async def dialing(dialer):
    """The dial pass running for the block, as a process's runtime runs it."""
    try:
        async with running(dialer.dial_pass()):
            yield
    finally:
        await dialer.stop()


async def calls_of(db):
    async with db.session() as session:
        return list(await session.scalars(select(Call)))


async def test_never_more_live_calls_than_the_workspace_allows(database, tmp_path):
    await seed(database, calls=5, limit=2)
    async with dialing(dialer_for(database, tmp_path)):
        for _ in range(200):
            calls = await calls_of(database)
            if all(c.status == "no-answer" for c in calls):
                break
            await asyncio.sleep(0.05)

    calls = await calls_of(database)
    assert [c.status for c in calls] == ["no-answer"] * 5
    spans = [(c.dial_started_at, c.ended_at) for c in calls]
    most_at_once = max(sum(1 for s, e in spans if s <= moment < e) for moment, _ in spans)
    assert most_at_once == 2


async def test_calls_interrupted_by_a_restart_fail_and_are_never_redialed(database, tmp_path):
    interrupted, waiting = await seed(database, calls=2, limit=5)
    async with database.session() as session:
        call = await session.get(Call, interrupted)
        call.status, call.dial_started_at = "ringing", utcnow()

    dialer = dialer_for(database, tmp_path)
    await dialer.lease.start()  # what a restart does first: fail the calls of the dead
    try:
        async with dialing(dialer):
            for _ in range(200):
                if (await _status(database, waiting)) == "no-answer":
                    break
                await asyncio.sleep(0.05)
    finally:
        await dialer.lease.stop()

    async with database.session() as session:
        restarted = await session.get(Call, interrupted)
    assert restarted.status == "failed"
    assert "interrupted" in restarted.failure_reason
    assert await _status(database, waiting) == "no-answer"


async def _status(db, call_id):
    async with db.session() as session:
        return (await session.get(Call, call_id)).status
