import pytest

from ringline.calls.lifecycle import transition
from ringline.config import Settings
from ringline.db.base import utcnow
from ringline.models import Call
from ringline.runtime.engine import CallEngine
from ringline.runtime.leases import ProcessLease
from ringline.runtime.plan import PlanBuilder
from ringline.voice.session import SessionResult, SpokenTurn
from tests.fixtures.rows import call_row, workspace_with_assistant
from tests.fixtures.scratch import scratch_database


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request, tmp_path):
    async for db in scratch_database(request.param, tmp_path):
        yield db


class BrokenAnalyzer:
    """A hosted model that is down: every analysis fails."""

    async def analyze(self, turns, labels):
        raise ConnectionError("the analysis endpoint is unreachable")


async def live_call(db) -> str:
    async with db.session() as session:
        workspace, assistant = await workspace_with_assistant(session, "engine")
        call = call_row(workspace.id, assistant.id)
        session.add(call)
        await session.flush()
        await transition(session, call, "in-progress")
        return call.id


async def test_a_failed_analysis_still_completes_the_call(database, tmp_path):
    call_id = await live_call(database)
    settings = Settings(data_dir=tmp_path)
    lease = ProcessLease(database, settings)
    engine = CallEngine(database, settings, lease, PlanBuilder(database, settings))
    said = [SpokenTurn("customer", "Yes, go ahead.", 1.0, 2.0)]
    result = SessionResult("customer", 3.0, None, said)

    await engine._wrap_up(call_id, result, utcnow(), BrokenAnalyzer(), ["other"])

    async with database.session() as session:
        call = await session.get(Call, call_id)
    assert (call.status, call.disposition, call.ended_by) == ("completed", "other", "customer")
    assert "failed" in call.summary
