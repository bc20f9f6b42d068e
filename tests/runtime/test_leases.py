import subprocess
import sys
from datetime import timedelta

import pytest

from ringline.config import Settings
from ringline.db.base import utcnow
from ringline.models import Call, Worker
from ringline.runtime.leases import ProcessLease
from tests.fixtures.rows import call_row, workspace_with_assistant
from tests.fixtures.scratch import scratch_database


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request, tmp_path):
    async for db in scratch_database(request.param, tmp_path):
        yield db


def lease_for(db, tmp_path) -> ProcessLease:
    return ProcessLease(db, Settings(data_dir=tmp_path, worker_lease_seconds=20))


def finished_pid() -> int:
    """The ID of a process of this machine that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


async def live_calls(db, owners: list[str | None], status: str = "in-progress") -> list[str]:
    async with db.session() as session:
        workspace, assistant = await workspace_with_assistant(session, "leases")
        rows = [call_row(workspace.id, assistant.id) for _ in owners]
        for row, owner in zip(rows, owners, strict=True):
            row.status, row.owner, row.dial_started_at = status, owner, utcnow()
        session.add_all(rows)
        await session.flush()
        return [row.id for row in rows]


async def add_worker(db, name: str, host: str, pid: int, silent_for: timedelta) -> None:
    async with db.session() as session:
        session.add(Worker(name=name, host=host, pid=pid, heartbeat_at=utcnow() - silent_for))


async def statuses(db, ids: list[str]) -> list[tuple[str, str | None]]:
    async with db.session() as session:
        calls = [await session.get(Call, call_id) for call_id in ids]
        return [(c.status, c.failure_reason) for c in calls]


async def test_calls_of_processes_that_stopped_renewing_are_failed(database, tmp_path):
    await add_worker(database, "a:1", "elsewhere-a", 1, silent_for=timedelta(seconds=5))
    await add_worker(database, "b:2", "elsewhere-b", 2, silent_for=timedelta(seconds=60))
    alive, stale, unknown, legacy = await live_calls(database, ["a:1", "b:2", "c:3", None])
    lease = lease_for(database, tmp_path)

    await lease.start()
    await lease.stop()

    found = await statuses(database, [alive, stale, unknown, legacy])
    assert found[0] == ("in-progress", None)
    for status, reason in found[1:]:
        assert status == "failed" and "interrupted" in reason


async def test_a_dead_process_on_this_host_is_known_dead_before_its_lease_runs_out(
    database, tmp_path
):
    lease = lease_for(database, tmp_path)
    pid = finished_pid()
    await add_worker(database, f"{lease.host}:{pid}", lease.host, pid, timedelta(0))
    [orphan] = await live_calls(database, [f"{lease.host}:{pid}"], status="ringing")

    assert await lease.reap() == [orphan]
    assert (await statuses(database, [orphan]))[0][0] == "failed"


async def test_a_live_process_keeps_its_calls_and_takes_over_the_ones_it_carries(
    database, tmp_path
):
    await add_worker(database, "dialer:7", "elsewhere", 7, silent_for=timedelta(0))
    [call_id] = await live_calls(database, ["dialer:7"])
    lease = lease_for(database, tmp_path)
    await lease.start()

    await lease.take(call_id)
    reaped = await lease.reap()
    async with database.session() as session:
        owner = (await session.get(Call, call_id)).owner
        registered = await session.get(Worker, lease.name)
    await lease.stop()
    async with database.session() as session:
        gone = await session.get(Worker, lease.name)

    assert reaped == [] and owner == lease.name
    assert registered is not None and gone is None


async def test_ended_and_undialed_calls_are_left_alone(database, tmp_path):
    [ended] = await live_calls(database, ["gone:1"], status="completed")
    async with database.session() as session:
        workspace, assistant = await workspace_with_assistant(session, "waiting")
        waiting = call_row(workspace.id, assistant.id)
        session.add(waiting)
    lease = lease_for(database, tmp_path)

    assert await lease.reap() == []
    assert await statuses(database, [ended, waiting.id]) == [
        ("completed", None),
        ("initiated", None),
    ]
