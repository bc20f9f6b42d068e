"""Campaigns: launch time for a large contact list, and dialing throughput.

    python bench/campaigns_bench.py [--contacts 100000] [--dial 200] [--database-url URL]

Against a real ``ringline serve`` on loopback (a fresh SQLite file unless
``--database-url`` names PostgreSQL):

1. launch: one ``POST /v1/campaigns/launch`` with ``--contacts`` contacts (scheduled for
   later, so nothing dials), timed from sending the request to reading the answer;
   then ``GET .../status`` on that campaign;
2. bookkeeping: the scheduler's pass over that campaign (the contacts due, the room
   left, the calls created), timed in this process while the campaign holds the
   contacts, for a pass that places calls and one with no room left;
3. dialing: a campaign of ``--dial`` contacts whose sandbox callees answer and hang up
   at once, run to the end; calls started per second from the first call to the last.

Prints a table and writes ``bench/results/campaigns_bench.json``.
"""

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import select, update

from ringline.campaigns import scheduler
from ringline.db import Database
from ringline.models import Call, Campaign, CampaignContact

RESULT = Path(__file__).resolve().parent / "results" / "campaigns_bench.json"
KEY = "rl_bench-campaigns-admin-key-0123456789"
FROM = "+918001234567"
LATER = {"start_time": "2099-01-01T09:00:00+05:30", "timezone": "Asia/Kolkata"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: Path, database_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RINGLINE_")} | {
        "RINGLINE_DATA_DIR": str(data_dir),
        "RINGLINE_BOOTSTRAP_API_KEY": KEY,
        "RINGLINE_RATE_LIMIT": "1000000/minute",
        "RINGLINE_SANDBOX_RING_SECONDS": "0.1",
        "RINGLINE_CAMPAIGN_POLL_SECONDS": "0.2",
    }
    if database_url:
        env["RINGLINE_DATABASE_URL"] = database_url
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "ringline", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server did not start; see {data_dir / 'server.log'}")


def contacts(count: int, first: int = 0) -> list[dict[str, Any]]:
    return [
        {"phone": f"+9198{n:08d}", "name": f"Customer {n}", "custom_fields": {"policy": f"P{n}"}}
        for n in range(first, first + count)
    ]


def new_campaign(api: httpx.Client, name: str, **fields: Any) -> str:
    assistant = api.post(
        "/assistants", json={"name": name, "prompt": "Call {{name}} about {{policy}}."}
    ).raise_for_status()
    body = {"name": name, "assistant_id": assistant.json()["id"], "from_number": FROM} | fields
    return str(api.post("/campaigns", json=body).raise_for_status().json()["id"])


def bench_launch(api: httpx.Client, count: int) -> dict[str, Any]:
    campaign_id = new_campaign(api, "Launch")
    body = json.dumps({"campaign_id": campaign_id, "contacts": contacts(count), "schedule": LATER})
    started = time.perf_counter()
    response = api.post(
        "/campaigns/launch", content=body, headers={"Content-Type": "application/json"}
    )
    launch_seconds = time.perf_counter() - started
    response.raise_for_status()
    started = time.perf_counter()
    api.get(f"/campaigns/{campaign_id}/status").raise_for_status()
    status_seconds = time.perf_counter() - started
    return {
        "campaign_id": campaign_id,
        "contacts": count,
        "accepted": response.json()["accepted"],
        "request_mb": round(len(body) / 1e6, 1),
        "launch_seconds": round(launch_seconds, 3),
        "status_seconds": round(status_seconds, 3),
    }


async def bench_bookkeeping(database_url: str, campaign_id: str) -> dict[str, Any]:
    """The scheduler's pass over the large campaign, started and inside its windows."""
    db = Database(database_url)
    now = datetime(2099, 1, 1, 12, 0, tzinfo=UTC)
    try:
        async with db.session() as session:
            await session.execute(
                update(Campaign)
                .where(Campaign.id == campaign_id)
                .values(status="running", schedule_start=None, started_at=now)
            )
        placing, full = [], []
        for _ in range(5):
            started = time.perf_counter()
            async with db.session() as session:
                placed = await scheduler.advance(session, campaign_id, now)
            placing.append(time.perf_counter() - started)
            started = time.perf_counter()
            async with db.session() as session:
                await scheduler.advance(session, campaign_id, now)
            full.append(time.perf_counter() - started)
            await _free_the_room(db, campaign_id, now)
        return {
            "pass_placing_calls_ms": round(min(placing) * 1000, 1),
            "pass_without_room_ms": round(min(full) * 1000, 1),
            "calls_per_pass": placed,
        }
    finally:
        async with db.session() as session:
            await session.execute(
                update(Campaign).where(Campaign.id == campaign_id).values(status="cancelled")
            )
        await db.dispose()


async def _free_the_room(db: Database, campaign_id: str, now: datetime) -> None:
    """Settle the calls the pass made, as their ends would, without waiting for them."""
    async with db.session() as session:
        dialing = select(CampaignContact.id).where(
            CampaignContact.campaign_id == campaign_id, CampaignContact.state == "dialing"
        )
        ids = list(await session.scalars(dialing))
        await session.execute(
            update(CampaignContact).where(CampaignContact.id.in_(ids)).values(state="completed")
        )
        await session.execute(
            update(Call)
            .where(Call.campaign_id == campaign_id, Call.status == "initiated")
            .values(status="failed", dial_started_at=now, ended_at=now + timedelta(seconds=1))
        )


def bench_dialing(api: httpx.Client, count: int) -> dict[str, Any]:
    api.patch("/workspace/campaign-settings", json={"quiet_hours": None}).raise_for_status()
    people = contacts(count, first=10_000_000)
    for person in people:
        behaviour = {"answer": "answer", "rings": 0, "hangup_after_seconds": 0.1}
        callee = {"number": person["phone"], "behaviour": behaviour}
        api.post("/sandbox/callees", json=callee).raise_for_status()
    campaign_id = new_campaign(api, "Dialing", max_concurrent_calls=10)
    launch = {"campaign_id": campaign_id, "contacts": people}
    api.post("/campaigns/launch", json=launch).raise_for_status()
    while api.get(f"/campaigns/{campaign_id}/status").json()["status"] != "completed":
        time.sleep(0.5)
    created = []
    for offset in range(0, count, 100):
        page = api.get(
            "/calls/history", params={"campaign_id": campaign_id, "limit": 100, "offset": offset}
        ).json()
        created += [datetime.fromisoformat(call["created_at"]) for call in page["calls"]]
    span = (max(created) - min(created)).total_seconds()
    status = api.get(f"/campaigns/{campaign_id}/status").json()
    return {
        "contacts": count,
        "calls": len(created),
        "completed": status["counts"]["completed"],
        "seconds_first_to_last_call": round(span, 2),
        "calls_started_per_second": round((len(created) - 1) / span, 2) if span else None,
    }


def report(results: dict[str, Any]) -> None:
    table = Table("measure", "value", title=f"campaigns ({results['backend']})")
    for section in ("launch", "bookkeeping", "dialing"):
        for name, value in results[section].items():
            table.add_row(f"{section}.{name}", str(value))
    Console().print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000, help="contacts in the launch")
    parser.add_argument("--dial", type=int, default=200, help="contacts dialed for throughput")
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--json", type=Path, default=RESULT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ringline-bench-") as tmp:
        data_dir = Path(tmp)
        database_url = args.database_url or f"sqlite+aiosqlite:///{data_dir / 'ringline.db'}"
        process, url = start_server(data_dir, args.database_url)
        headers = {"Authorization": f"Bearer {KEY}"}
        try:
            with httpx.Client(base_url=f"{url}/v1", headers=headers, timeout=120) as api:
                launch = bench_launch(api, args.contacts)
                bookkeeping = asyncio.run(bench_bookkeeping(database_url, launch["campaign_id"]))
                dialing = bench_dialing(api, args.dial)
        finally:
            process.terminate()
            process.wait(timeout=30)
    backend = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    results = {
        "backend": backend,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "launch": launch,
        "bookkeeping": bookkeeping,
        "dialing": dialing,
    }
    report(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
