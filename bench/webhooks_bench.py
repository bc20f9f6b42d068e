"""Webhook delivery: deliveries per second to a local receiver, and event-to-delivery delay.

    python bench/webhooks_bench.py [--events 2000] [--database-url URL] [--json PATH]

Three runs against a receiver in its own process (Uvicorn on loopback, answering 200 at
once), with the dispatcher running in this process as the server runs it and its default
settings: a burst of events queued in one transaction to one endpoint, the same burst
spread over eight endpoints, and a steady trickle of one event per transaction. Delay
runs from the event's transaction (its commit for a burst) to the receiver reading it.
Figures go to ``bench/results/webhooks_bench.json``.
"""

import argparse
import asyncio
import json
import multiprocessing
import socket
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from rich.console import Console
from rich.table import Table

from ringline.config import Settings
from ringline.db import Database
from ringline.jobs import running
from ringline.migrations import migrate
from ringline.webhooks.dispatcher import Dispatcher, Policy
from ringline.webhooks.schemas import WebhookCreate
from ringline.webhooks.service import create_webhook, enqueue_event
from ringline.workspaces.service import create_workspace

RESULT = Path(__file__).resolve().parent / "results" / "webhooks_bench.json"
Seen = list[tuple[float, float | None]]


def receiver_app() -> Any:
    """A bare ASGI app: POST records (arrival, enqueued_at); GET returns and forgets them."""
    seen: Seen = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        if scope["method"] == "POST":
            seen.append((time.time(), json.loads(body).get("enqueued_at")))
            reply = b"ok"
        else:
            reply = json.dumps(seen).encode()
            seen.clear()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", str(len(reply)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": reply})

    return app


def serve_receiver(port: int) -> None:
    uvicorn.run(
        receiver_app(),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        loop="uvloop",
        http="httptools",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def collect(url: str, expected: int, timeout: float = 600) -> Seen:
    """Poll the receiver until ``expected`` deliveries arrived; return them all."""
    seen: Seen = []
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while len(seen) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            try:
                seen += (await client.get(f"{url}/stats")).json()
            except httpx.TransportError:
                continue  # not up yet
    return seen


async def setup(db: Database, receiver_url: str, endpoints: int) -> str:
    async with db.session() as session:
        workspace = await create_workspace(session, f"bench-{time.time_ns()}")
        for n in range(endpoints):
            data = WebhookCreate(url=f"{receiver_url}/hook/{n}", events=["call.completed"])
            await create_webhook(session, workspace.id, data, allow_private=True)
        return workspace.id


def summary(name: str, seen: Seen, started: float) -> dict[str, Any]:
    """Throughput from the first commit to the last arrival; delay from each event's commit."""
    delays = sorted(arrival - (enqueued or started) for arrival, enqueued in seen)
    span = max(arrival for arrival, _ in seen) - started
    return {
        "run": name,
        "deliveries": len(seen),
        "deliveries_per_second": round(len(seen) / span, 1),
        "delay_p50_ms": round(statistics.median(delays) * 1000, 1),
        "delay_p95_ms": round(delays[max(0, int(len(delays) * 0.95) - 1)] * 1000, 1),
    }


async def burst(db: Database, url: str, events: int, endpoints: int) -> dict[str, Any]:
    """``events`` deliveries in all, queued in one transaction; delay counts from its commit."""
    workspace_id = await setup(db, url, endpoints)
    async with db.session() as session:
        for n in range(events // endpoints):
            await enqueue_event(session, workspace_id, "call.completed", {"call_id": f"call_{n}"})
    committed = time.time()
    seen = await collect(url, events // endpoints * endpoints)
    return summary(f"burst, {endpoints} endpoint(s)", seen, committed)


async def trickle(db: Database, url: str, rate: int, seconds: float) -> dict[str, Any]:
    """One event per transaction at ``rate`` per second: the delay a live call's events see."""
    workspace_id = await setup(db, url, 1)
    started, count = time.time(), int(rate * seconds)
    for n in range(count):
        async with db.session() as session:
            payload = {"call_id": f"call_{n}", "enqueued_at": time.time()}
            await enqueue_event(session, workspace_id, "call.completed", payload)
        await asyncio.sleep(max(0.0, started + (n + 1) / rate - time.time()))
    seen = await collect(url, count)
    return summary(f"trickle, {rate}/s for {seconds:g} s", seen, started)


async def run(args: argparse.Namespace, data_dir: Path, url: str) -> list[dict[str, Any]]:
    settings = Settings(
        data_dir=data_dir, database_url=args.database_url, allow_private_webhooks=True
    )
    db = Database(settings.resolved_database_url)
    await migrate(db)
    dispatcher = Dispatcher(db, Policy.from_settings(settings))
    try:
        async with running(dispatcher.dispatch_pass()):
            await collect(url, 0)
            return [
                await burst(db, url, args.events, 1),
                await burst(db, url, args.events, 8),
                await trickle(db, url, args.rate, args.seconds),
            ]
    finally:
        await dispatcher.stop()
        await db.dispose()


def report(results: list[dict[str, Any]], backend: str) -> None:
    table = Table(
        "run",
        "deliveries",
        "deliveries/s",
        "delay p50 ms",
        "delay p95 ms",
        title=f"webhook delivery ({backend})",
    )
    for row in results:
        table.add_row(
            row["run"],
            str(row["deliveries"]),
            f"{row['deliveries_per_second']:g}",
            f"{row['delay_p50_ms']:g}",
            f"{row['delay_p95_ms']:g}",
        )
    Console().print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="deliveries per burst")
    parser.add_argument("--rate", type=int, default=50, help="trickle events per second")
    parser.add_argument("--seconds", type=float, default=5.0, help="trickle duration")
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--json", type=Path, default=RESULT)
    args = parser.parse_args()
    port = free_port()
    receiver = multiprocessing.get_context("spawn").Process(
        target=serve_receiver, args=(port,), daemon=True
    )
    receiver.start()
    try:
        with tempfile.TemporaryDirectory(prefix="ringline-bench-") as data_dir:
            results = asyncio.run(run(args, Path(data_dir), f"http://127.0.0.1:{port}"))
    finally:
        receiver.terminate()
    backend = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    report(results, backend)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"backend": backend, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
