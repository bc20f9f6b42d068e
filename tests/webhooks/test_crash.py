"""A server killed with SIGKILL mid-delivery loses no message: after a restart it sends them all.

The real ``ringline serve`` runs as a subprocess on its own SQLite file; events go into
that file's outbox through ``enqueue_event``, as another process of the platform would.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from ringline.db import Database
from ringline.models import WebhookMessage
from ringline.webhooks.service import enqueue_event
from tests.webhooks.receiver import Receiver, Reply, eventually

ADMIN_KEY = "rl_crash-test-admin-key-0123456789abcdef"
EVENTS = 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``ringline serve`` in a subprocess, started and killed on demand."""

    def __init__(self, data_dir: Path) -> None:
        self.log = data_dir / "server.log"
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {
            "RINGLINE_DATA_DIR": str(data_dir),
            "RINGLINE_PORT": str(self.port),
            "RINGLINE_BOOTSTRAP_API_KEY": ADMIN_KEY,
            "RINGLINE_ALLOW_PRIVATE_WEBHOOKS": "true",
            "RINGLINE_WEBHOOK_TIMEOUT_SECONDS": "1",
            "RINGLINE_WEBHOOK_LEASE_SECONDS": "2",
            "RINGLINE_WEBHOOK_POLL_SECONDS": "0.1",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, within: float = 60) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ringline", "serve"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + within
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        tail = self.log.read_text(errors="replace")[-3000:]
        raise AssertionError(f"ringline serve did not start within {within:g} s:\n{tail}")

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=20)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path)
    yield server
    server.kill(signal.SIGTERM)


async def _enqueue(data_dir: Path, workspace_id: str) -> set[str]:
    db = Database(f"sqlite+aiosqlite:///{data_dir / 'ringline.db'}")
    try:
        async with db.session() as session:
            for n in range(EVENTS):
                payload = {"call_id": f"call_{n}", "status": "completed"}
                await enqueue_event(session, workspace_id, "call.completed", payload)
        async with db.session() as session:
            return set(await session.scalars(select(WebhookMessage.id)))
    finally:
        await db.dispose()


async def test_a_sigkilled_server_delivers_every_message_after_restart(server: Server, tmp_path):
    auth = {"Authorization": f"Bearer {ADMIN_KEY}"}
    with Receiver() as receiver:
        receiver.answer("/hook", then=Reply(200, delay=0.3))
        server.start()
        async with httpx.AsyncClient(base_url=server.base_url, headers=auth) as client:
            workspace_id = (await client.get("/v1/workspace")).json()["id"]
            body = {"url": receiver.url(), "events": ["call.completed"]}
            assert (await client.post("/v1/webhooks", json=body)).status_code == 201

        queued = await _enqueue(tmp_path, workspace_id)
        await eventually(lambda: len(receiver.to("/hook")) >= 8)
        server.kill()
        before_kill = {r.message_id for r in receiver.to("/hook")}
        server.start()
        await eventually(lambda: {r.message_id for r in receiver.to("/hook")} >= queued, 60)

    assert len(queued) == EVENTS
    assert 8 <= len(before_kill) < EVENTS
