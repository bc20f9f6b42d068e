"""Call history and analytics over a million calls: each query next to its raw-SQL floor.

    python bench/history_bench.py [--calls 1000000] [--other 100000] [--runs 50]
                                  [--database-url URL] [--json PATH]

Fills a scratch database (default: a fresh SQLite file; a PostgreSQL URL must name an
empty database) with ``--calls`` calls in one workspace and ``--other`` in a second,
generated inside the database (a recursive CTE on SQLite, ``generate_series`` on
PostgreSQL) evenly over the year from 2025-11-01, then times each case ``--runs`` times: the
service function with its response serialized, and the same SQL sent as text. Figures
go to ``bench/results/history_bench.json``, one entry per backend.
"""

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.analytics import service
from ringline.analytics.params import CallFilters, parse_range
from ringline.analytics.schemas import CallHistory, CallHistoryItem
from ringline.db import Database
from ringline.db.base import UTCDateTime
from ringline.migrations import migrate
from ringline.models import Assistant
from ringline.workspaces.service import create_workspace

RESULT = Path(__file__).resolve().parent / "results" / "history_bench.json"
ASSISTANTS = 5
YEAR_START = datetime(2025, 11, 1, tzinfo=UTC)
YEAR_SECONDS = 365 * 86400

# One row per number n: a status from n's hash (60% completed), a disposition and a
# duration for completed calls, an assistant in turn, and a time n * step seconds in.
ROW = """
    'call_' || {pad} || '{tag}', :workspace, {assistant}, 'outbound', 'sandbox',
    '+918001234567', '+919876543210',
    CASE WHEN h < 60 THEN 'completed' WHEN h < 78 THEN 'no-answer' WHEN h < 86 THEN 'failed'
         WHEN h < 92 THEN 'busy' WHEN h < 96 THEN 'in-progress' WHEN h < 98 THEN 'ringing'
         ELSE 'initiated' END,
    'en', 'p', '', {json}, CASE WHEN h < 60 THEN 30 + n % 571 END,
    CASE WHEN h < 60 THEN {disposition} END, {created}
"""
DISPOSITIONS = ("interested", "not_interested", "callback_requested", "other")
COLUMNS = (
    "id, workspace_id, assistant_id, direction, carrier, from_number, to_number, status, "
    "language, prompt, first_message, dynamic_variables, duration_seconds, disposition, "
    "created_at"
)


def _disposition_case() -> str:
    arms = " ".join(f"WHEN {i} THEN '{label}'" for i, label in enumerate(DISPOSITIONS))
    return f"CASE n % {len(DISPOSITIONS)} {arms} END"


def generate_sql(dialect: str, tag: str, assistants: list[str]) -> str:
    """An INSERT of calls numbered 0..:count-1 for one workspace, built in the database."""
    assistant = "CASE n % {} {} END".format(
        len(assistants), " ".join(f"WHEN {i} THEN '{a}'" for i, a in enumerate(assistants))
    )
    if dialect == "postgresql":
        numbers = (
            "SELECT n, (n * 7919) % 100 AS h"
            " FROM generate_series(0, CAST(:count AS bigint) - 1) AS n"
        )
        pad, json_value = "lpad(n::text, 20, '0')", "'{}'::jsonb"
        created = (
            f"timestamptz '{YEAR_START.isoformat()}'"
            " + n * CAST(:step AS float8) * interval '1 second'"
        )
    else:
        numbers = (
            "WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < :count)"
            " SELECT n, (n * 7919) % 100 AS h FROM s"
        )
        pad, json_value = "printf('%020d', n)", "'{}'"
        # The text form SQLAlchemy stores on SQLite: UTC, six fractional digits.
        created = (
            f"strftime('%Y-%m-%d %H:%M:%S', {int(YEAR_START.timestamp())} + n * :step,"
            " 'unixepoch') || '.000000'"
        )
    row = ROW.format(
        pad=pad,
        tag=tag,
        assistant=assistant,
        json=json_value,
        created=created,
        disposition=_disposition_case(),
    )
    return f"INSERT INTO calls ({COLUMNS}) SELECT {row} FROM ({numbers}) AS numbered"


async def seed(db: Database, calls: int, other: int) -> str:
    """Both workspaces and their calls; returns the main workspace's ID."""
    async with db.session() as session:
        main, second = (
            await create_workspace(session, "bench"),
            await create_workspace(session, "other"),
        )
        ids = {}
        for workspace in (main, second):
            rows = [
                Assistant(
                    workspace_id=workspace.id, name=f"a{i}", language="en", prompt="p", voice="v"
                )
                for i in range(ASSISTANTS)
            ]
            session.add_all(rows)
            await session.flush()
            ids[workspace.id] = [a.id for a in rows]
    dialect = db.engine.dialect.name
    for workspace_id, count, tag in ((main.id, calls, "a"), (second.id, other, "b")):
        sql = text(generate_sql(dialect, tag, ids[workspace_id]))
        params = {"workspace": workspace_id, "count": count, "step": YEAR_SECONDS / count}
        async with db.session() as session:
            await session.execute(sql, params)
    await _analyze(db)
    return main.id


async def _analyze(db: Database) -> None:
    if db.engine.dialect.name == "postgresql":
        # VACUUM fills the visibility map that index-only scans need; it cannot run in a
        # transaction.
        async with db.engine.connect() as connection:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE calls"))
    else:
        async with db.engine.begin() as connection:
            await connection.execute(text("ANALYZE"))


def _filters(start: str | None = None, end: str | None = None, **fields: Any) -> CallFilters:
    low, high = parse_range(start, end)
    values = {"assistant_id": None, "status": None, "disposition": None} | fields
    return CallFilters(low, high, **values)


PAGE_COLUMNS = (
    "id, status, duration_seconds, disposition, summary, ended_at, to_number, from_number,"
    " assistant_id, direction, created_at, answered_at, failure_reason, ended_by"
)
FILTER_FIELDS = ("assistant_id", "status", "disposition")
DAY = {
    "sqlite": "substr(created_at, 1, 10)",
    "postgresql": "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
}


def _raw_where(filters: CallFilters) -> str:
    """The WHERE clause the service builds for ``filters``, written out by hand."""
    where = ["workspace_id = :workspace"]
    if filters.start is not None:
        where.append("created_at >= :start")
    if filters.end is not None:
        where.append("created_at < :end")
    where += [f"{name} = :{name}" for name in FILTER_FIELDS if getattr(filters, name)]
    return " AND ".join(where)


def raw_queries(dialect: str, kind: str, filters: CallFilters) -> list[Any]:
    """The statements one request of ``kind`` runs, as SQL text."""
    where = _raw_where(filters)
    if kind == "history":
        sql = [
            f"SELECT {PAGE_COLUMNS} FROM calls WHERE {where}"
            " ORDER BY created_at DESC, id DESC LIMIT 20",
            f"SELECT count(*) FROM calls WHERE {where}",
        ]
    else:
        key = f"{DAY[dialect]}, " if kind == "day" else ""
        sql = [
            f"SELECT {key}status, disposition, count(*), sum(duration_seconds),"
            f" count(duration_seconds) FROM calls WHERE {where}"
            f" GROUP BY {key}status, disposition"
        ]
    times = [bindparam("start", type_=UTCDateTime()), bindparam("end", type_=UTCDateTime())]
    return [
        text(statement).bindparams(*(t for t in times if f":{t.key}" in statement))
        for statement in sql
    ]


def _params(workspace: str, filters: CallFilters) -> dict[str, Any]:
    values = {"workspace": workspace, "start": filters.start, "end": filters.end}
    return values | {name: getattr(filters, name) for name in FILTER_FIELDS}


async def _served(session: AsyncSession, workspace: str, kind: str, filters: CallFilters):
    """What the endpoint does past authentication: query, then serialize the response."""
    if kind == "history":
        rows, total = await service.history(session, workspace, filters, 20, 0)
        calls = [CallHistoryItem.model_validate(row) for row in rows]
        return CallHistory(calls=calls, total=total, limit=20, offset=0).model_dump_json()
    group_by = "day" if kind == "day" else None
    return (await service.analytics(session, workspace, filters, group_by)).model_dump_json()


async def _raw(session: AsyncSession, statements: list[Any], params: dict[str, Any]) -> None:
    for statement in statements:
        (await session.execute(statement, params)).all()


def cases(assistant: str) -> list[tuple[str, str, CallFilters]]:
    month = ("2026-06-01", "2026-06-30")
    return [
        ("history, default", "history", _filters()),
        ("history, month", "history", _filters(*month)),
        ("history, status=failed", "history", _filters(status="failed")),
        ("history, month + assistant", "history", _filters(*month, assistant_id=assistant)),
        ("history, disposition", "history", _filters(disposition="callback_requested")),
        ("analytics, month", "analytics", _filters(*month)),
        ("analytics, month by day", "day", _filters(*month)),
        ("analytics, whole year", "analytics", _filters()),
    ]


async def _timed(
    runs: int, attempt: Callable[..., Awaitable[Any]], *args: Any
) -> tuple[float, float]:
    """p50 and p95 in milliseconds, after two untimed runs that warm the caches."""
    for _ in range(2):
        await attempt(*args)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        await attempt(*args)
        times.append((time.perf_counter() - began) * 1000)
    cut = statistics.quantiles(times, n=20)
    return statistics.median(times), cut[18]


async def measure(db: Database, workspace: str, runs: int) -> list[dict[str, Any]]:
    dialect = db.engine.dialect.name
    async with db.session(read_only=True) as session:
        assistant = await session.scalar(
            text("SELECT assistant_id FROM calls WHERE workspace_id = :w LIMIT 1"),
            {"w": workspace},
        )
        results = []
        for name, kind, filters in cases(assistant):
            statements = raw_queries(dialect, kind, filters)
            params = _params(workspace, filters)
            served = await _timed(runs, _served, session, workspace, kind, filters)
            floor = await _timed(runs, _raw, session, statements, params)
            results.append(
                {
                    "case": name,
                    "p50_ms": round(served[0], 2),
                    "p95_ms": round(served[1], 2),
                    "raw_sql_p50_ms": round(floor[0], 2),
                    "raw_sql_p95_ms": round(floor[1], 2),
                }
            )
    return results


def show(backend: str, calls: int, results: list[dict[str, Any]]) -> None:
    table = Table(title=f"{backend}: {calls:,} calls in the workspace (ms)")
    for column in ("case", "p50", "p95", "raw SQL p50", "raw SQL p95"):
        table.add_column(column, justify="left" if column == "case" else "right")
    for r in results:
        figures = (r["p50_ms"], r["p95_ms"], r["raw_sql_p50_ms"], r["raw_sql_p95_ms"])
        table.add_row(r["case"], *(f"{f:.2f}" for f in figures))
    Console().print(table)


def save(path: Path, backend: str, entry: dict[str, Any]) -> None:
    """Keeps the other backend's figures: one file holds both."""
    saved = json.loads(path.read_text()) if path.exists() else {}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(saved | {backend: entry}, indent=2) + "\n")


async def run(args: argparse.Namespace, url: str) -> None:
    db = Database(url)
    try:
        await migrate(db)
        began = time.perf_counter()
        workspace = await seed(db, args.calls, args.other)
        seeded = time.perf_counter() - began
        results = await measure(db, workspace, args.runs)
    finally:
        await db.dispose()
    backend = db.engine.dialect.name
    show(backend, args.calls, results)
    print(f"seeded {args.calls + args.other:,} calls in {seeded:.1f} s")
    entry = {"calls": args.calls, "other_workspace_calls": args.other, "runs": args.runs}
    save(args.json, backend, entry | {"seed_seconds": round(seeded, 1), "results": results})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--other", type=int, default=100_000, help="calls in a second workspace")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--json", type=Path, default=RESULT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ringline-history-") as scratch:
        url = args.database_url or f"sqlite+aiosqlite:///{scratch}/bench.db"
        asyncio.run(run(args, url))


if __name__ == "__main__":
    main()
