"""The bookkeeping of live calls next to a million ended ones.

    python bench/live_calls_bench.py [--calls 1000000] [--live 50] [--database-url URL]

Every process runs these queries all the time, whatever the history holds: the lease
check that fails calls of dead processes (each heartbeat), the dialer's room per
workspace (each pass, at least once a second), the campaign scheduler's live calls per
caller ID, and the live count of ``GET /v1/workspace``. This fills a scratch database
(default: a fresh SQLite file; a PostgreSQL URL must name an empty database) with
``--calls`` ended calls and ``--live`` live ones and prints each query's p50 and p95.
Figures go to ``bench/results/live_calls_bench.json``, one entry per backend.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.history_bench import _timed, save, seed  # noqa: E402

from ringline.calls.lifecycle import is_live  # noqa: E402
from ringline.calls.live import owned_live_calls, room_for_calls  # noqa: E402
from ringline.calls.service import usage_since  # noqa: E402
from ringline.db import Database  # noqa: E402
from ringline.db.base import utcnow  # noqa: E402
from ringline.migrations import migrate  # noqa: E402
from ringline.models import Call  # noqa: E402

RESULT = Path(__file__).resolve().parent / "results" / "live_calls_bench.json"


async def prepare(db: Database, calls: int, live: int) -> str:
    """``calls`` ended calls (the history generator's, all ended) and ``live`` live ones."""
    workspace = await seed(db, calls, calls // 10)  # and a tenth in another workspace
    async with db.session() as session:
        await session.execute(update(Call).where(is_live()).values(status="completed"))
        ids = await session.scalars(select(Call.id).limit(live))
        await session.execute(
            update(Call)
            .where(Call.id.in_(list(ids)))
            .values(status="in-progress", dial_started_at=utcnow(), owner="elsewhere:1")
        )
    if db.engine.dialect.name == "postgresql":
        async with db.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE calls"))
    return workspace


async def measure(db: Database, workspace: str, runs: int) -> list[dict[str, Any]]:
    async def reap_check() -> None:
        async with db.session(read_only=True) as session:
            await owned_live_calls(session)

    async def dialer_room() -> None:
        async with db.session(read_only=True) as session:
            await room_for_calls(session)

    async def live_per_caller_id() -> None:
        async with db.session(read_only=True) as session:
            await session.execute(
                select(Call.from_number, func.count())
                .where(Call.workspace_id == workspace, is_live())
                .group_by(Call.from_number)
            )

    async def workspace_usage() -> None:
        async with db.session(read_only=True) as session:
            await usage_since(session, workspace, utcnow() - timedelta(days=30))

    cases = {
        "lease check (every heartbeat)": reap_check,
        "dialer room per workspace (every pass)": dialer_room,
        "scheduler: live calls per caller ID": live_per_caller_id,
        "GET /v1/workspace usage (30 days)": workspace_usage,
    }
    results = []
    for name, case in cases.items():
        p50, p95 = await _timed(runs, case)
        results.append({"case": name, "p50_ms": round(p50, 2), "p95_ms": round(p95, 2)})
    return results


def show(backend: str, calls: int, live: int, results: list[dict[str, Any]]) -> None:
    table = Table(title=f"{backend}: {calls:,} ended calls, {live} live (ms)")
    for column in ("query", "p50", "p95"):
        table.add_column(column, justify="left" if column == "query" else "right")
    for r in results:
        table.add_row(r["case"], f"{r['p50_ms']:.2f}", f"{r['p95_ms']:.2f}")
    Console().print(table)


async def run(args: argparse.Namespace, url: str) -> None:
    db = Database(url)
    try:
        await migrate(db)
        began = time.perf_counter()
        workspace = await prepare(db, args.calls, args.live)
        print(f"seeded {args.calls:,} calls in {time.perf_counter() - began:.1f} s")
        results = await measure(db, workspace, args.runs)
    finally:
        await db.dispose()
    backend = db.engine.dialect.name
    show(backend, args.calls, args.live, results)
    entry = {"calls": args.calls, "live": args.live, "runs": args.runs, "results": results}
    save(args.json, backend, entry)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--live", type=int, default=50)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--json", type=Path, default=RESULT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(scratch) / 'live.db'}"
        asyncio.run(run(args, url))


if __name__ == "__main__":
    main()
