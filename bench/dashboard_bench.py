"""The dashboard's overview page over a million calls: the time to render it, end to end.

    python bench/dashboard_bench.py [--calls 1000000] [--other 100000] [--runs 20]
                                    [--database-url URL]

Seeds a scratch database as ``history_bench.py`` does (the calls spread over the year
from 2025-11-01), signs in through the dashboard's form and times ``GET /dashboard/``
in-process (ASGI, no network): the 30 days the page shows by default, and the whole year.
Prints the median and the slowest render of each, beside the median of the analytics
service's own query for the same range (the page's floor); nothing is asserted.
"""

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.history_bench import seed  # noqa: E402

from ringline.analytics.service import analytics  # noqa: E402
from ringline.app import create_app  # noqa: E402
from ringline.auth.scopes import Scope  # noqa: E402
from ringline.auth.service import create_key  # noqa: E402
from ringline.config import Settings  # noqa: E402
from ringline.dashboard.overview import Choice, filters_of  # noqa: E402
from ringline.db import Database  # noqa: E402
from ringline.migrations import migrate  # noqa: E402

RANGES = {
    "30 days": {"from": "2026-09-01", "to": "2026-09-30"},
    "whole year": {"from": "2025-11-01", "to": "2026-10-31"},
}


async def _key(db: Database, workspace_id: str) -> str:
    async with db.session() as session:
        _, secret = await create_key(session, workspace_id, name="bench", scope=Scope.read)
    return secret


async def _signed_in(client: httpx.AsyncClient, secret: str) -> None:
    form = (await client.get("/dashboard/sign-in")).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    body = {"api_key": secret, "csrf_token": token.group(1)}
    signed = await client.post("/dashboard/sign-in", data=body)
    assert signed.status_code == 303, signed.text


async def _render_times(client: httpx.AsyncClient, query: dict[str, str], runs: int) -> list[float]:
    took = []
    for _ in range(runs):
        began = time.perf_counter()
        response = await client.get("/dashboard/", params=query)
        took.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.text
    return took


async def _query_times(db: Database, workspace: str, query: dict[str, str], runs: int) -> float:
    filters = filters_of(Choice(query["from"], query["to"], "", ""))
    took = []
    async with db.session(read_only=True) as session:
        for _ in range(runs):
            began = time.perf_counter()
            await analytics(session, workspace, filters, "day")
            took.append((time.perf_counter() - began) * 1000)
    return statistics.median(took)


async def run(args: argparse.Namespace, url: str, scratch: str) -> None:
    db = Database(url)
    try:
        await migrate(db)
        workspace = await seed(db, args.calls, args.other)
        secret = await _key(db, workspace)
        settings = Settings(environment="test", data_dir=Path(scratch), warm_up=False)
        transport = httpx.ASGITransport(app=create_app(settings, db))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await _signed_in(client, secret)
            for name, query in RANGES.items():
                took = await _render_times(client, query, args.runs)
                median, worst = statistics.median(took), max(took)
                floor = await _query_times(db, workspace, query, args.runs)
                print(
                    f"overview, {name}: median {median:.0f} ms, slowest {worst:.0f} ms "
                    f"(the analytics query alone: {floor:.0f} ms)"
                )
    finally:
        await db.dispose()
    print(f"{db.engine.dialect.name}, {args.calls:,} calls in the workspace, {args.runs} runs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--other", type=int, default=100_000, help="calls in a second workspace")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ringline-dashboard-") as scratch:
        url = args.database_url or f"sqlite+aiosqlite:///{scratch}/bench.db"
        asyncio.run(run(args, url, scratch))


if __name__ == "__main__":
    main()
