"""The live calls are found through the partial index ``ix_calls_live``: the queries that
run every second must spell its condition exactly, or the database reads every call."""

from datetime import timedelta

import pytest
from sqlalchemy import event, select, text

from ringline.calls.live import owned_live_calls, room_for_calls
from ringline.calls.service import usage_since
from ringline.db.base import utcnow
from ringline.models import Call
from tests.fixtures.scratch import scratch_database


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request, tmp_path):
    async for db in scratch_database(request.param, tmp_path):
        yield db


async def plans_of(db, run) -> list[str]:
    """The query plan of each statement that ``run(session)`` sends."""
    sent: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        async with db.session(read_only=True) as session:
            await run(session)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
    plans = []
    async with db.engine.connect() as connection:
        postgres = db.engine.dialect.name == "postgresql"
        if postgres:  # an empty table is cheaper to scan: ask whether the index CAN serve
            await connection.exec_driver_sql("SET enable_seqscan = off")
        explain = "EXPLAIN" if postgres else "EXPLAIN QUERY PLAN"
        for statement, parameters in sent:
            if statement.lstrip().upper().startswith("SELECT") and "calls" in statement:
                rows = await connection.exec_driver_sql(f"{explain} {statement}", parameters)
                plans.append("\n".join(str(row) for row in rows))
    return plans


async def test_the_queries_run_every_second_read_only_the_live_calls(database, tmp_path):
    month_ago = utcnow() - timedelta(days=30)
    # Across workspaces only the live index avoids reading every call; within one
    # workspace, its (workspace, status) index finds the live ones as well.
    runs = {
        "lease check": (owned_live_calls, ("ix_calls_live",)),
        "dialer room": (room_for_calls, ("ix_calls_live",)),
        "workspace usage": (
            lambda session: usage_since(session, "ws_1", month_ago),
            ("ix_calls_live", "ix_calls_workspace_status"),
        ),
    }

    for name, (run, indexes) in runs.items():
        plans = await plans_of(database, run)
        live = [p for p in plans if any(index in p for index in indexes)]
        assert plans and live, (name, plans)


async def test_the_condition_spelled_otherwise_misses_the_index_on_sqlite(tmp_path):
    reordered = select(Call.id).where(
        Call.status.in_(["in-progress", "ringing", "initiated"]), Call.owner.is_not(None)
    )

    async for database in scratch_database("sqlite", tmp_path):
        compiled = reordered.compile(database.engine, compile_kwargs={"literal_binds": True})

        async def run(session, sql=str(compiled)):
            await session.execute(text(sql))

        [plan] = await plans_of(database, run)
        # SQLite matches a partial index's condition literally: this is why is_live() exists.
        assert "ix_calls_live" not in plan
