from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from ringline.calls.lifecycle import transition
from ringline.config import Settings
from ringline.db.base import utcnow
from ringline.models import Assistant, Call, WebhookMessage
from ringline.outcomes import BundledAnalyzer
from ringline.runtime.engine import CallEngine, extraction_of
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

    async def analyze(self, turns, labels, extraction=None):
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


POLICY = {
    "type": "object",
    "properties": {
        "policy_number": {"type": "string", "pattern": "^PN[0-9]{6}$"},
        "callback_time": {"type": "string", "format": "date-time"},
    },
}


async def call_extracting(db) -> str:
    """A live call to India whose assistant extracts POLICY, sending its events to a URL."""
    async with db.session() as session:
        workspace, assistant = await workspace_with_assistant(session, "extraction")
        assistant.extraction = POLICY
        call = call_row(workspace.id, assistant.id, webhook_url="https://crm.example/hook")
        session.add(call)
        await session.flush()
        await transition(session, call, "in-progress")
        return call.id


@pytest.mark.parametrize("analyzer", [BundledAnalyzer(), BrokenAnalyzer()])
async def test_a_finished_call_stores_and_sends_what_was_extracted(database, tmp_path, analyzer):
    call_id = await call_extracting(database)
    async with database.session() as session:
        call = await session.get(Call, call_id)
        assistant = await session.get(Assistant, call.assistant_id)
    # 21:00 in India (UTC+05:30): "tomorrow" is the customer's tomorrow.
    ended_at = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)
    said = [SpokenTurn("customer", "It's PN 482913. Call me tomorrow at 5 pm.", 1.0, 2.0)]
    result = SessionResult("customer", 3.0, None, said)
    settings = Settings(data_dir=tmp_path)
    engine = CallEngine(database, settings, ProcessLease(database, settings), None)

    extraction = extraction_of(call, assistant, ended_at)
    await engine._wrap_up(call_id, result, ended_at, analyzer, ["other"], extraction=extraction)

    wanted = {"policy_number": "PN482913", "callback_time": "2026-12-04T17:00:00+05:30"}
    async with database.session() as session:
        stored = await session.get(Call, call_id)
        completed = await session.scalar(
            select(WebhookMessage).where(WebhookMessage.event == "call.completed")
        )
    assert stored.extracted == wanted
    assert completed.payload["extracted"] == wanted and completed.payload["call_id"] == call_id


async def test_an_assistant_without_fields_extracts_nothing(database):
    call_id = await live_call(database)
    async with database.session() as session:
        call = await session.get(Call, call_id)
        assistant = await session.get(Assistant, call.assistant_id)
    assert extraction_of(call, assistant, utcnow()) is None
    assert call.extracted == {}
