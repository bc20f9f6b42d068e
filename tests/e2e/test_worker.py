"""An API process that only serves (RINGLINE_BACKGROUND=false) beside ``ringline worker``
processes that dial and deliver, sharing one database, as a scaled-out deployment runs."""

import json
import signal
import sqlite3
import time
from contextlib import contextmanager

import httpx

from tests.e2e.test_calls import TERMINAL, wait_for
from tests.fixtures.server import running_server, running_worker
from tests.webhooks.receiver import Receiver

KEY = "rl_e2e-worker-admin-key-0123456789"
FROM = "+918001234567"
SHARED = {
    "RINGLINE_BOOTSTRAP_API_KEY": KEY,
    "RINGLINE_SANDBOX_RING_SECONDS": "0.3",
    "RINGLINE_RATE_LIMIT": "100000/minute",
    "RINGLINE_ALLOW_PRIVATE_WEBHOOKS": "true",
    "RINGLINE_WORKER_HEARTBEAT_SECONDS": "0.3",
    "RINGLINE_DIAL_POLL_SECONDS": "0.2",
    "RINGLINE_WEBHOOK_POLL_SECONDS": "0.2",
}


def events_for(receiver: Receiver, call_id: str) -> list[str]:
    """The call's events as they first arrived: delivery is at least once, so a worker
    killed between sending and recording a delivery sends it again after the restart."""
    first: dict[str, dict] = {}
    for received in list(receiver.received):
        first.setdefault(received.message_id, json.loads(received.body))
    return [body["event"] for body in first.values() if body.get("call_id") == call_id]


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.2)


def place(api: httpx.Client, number: str, hook: str, replies=("Bye.",), **behaviour) -> str:
    persona = {"replies": list(replies)}
    callee = {"number": number, "behaviour": behaviour, "persona": persona}
    api.post("/sandbox/callees", json=callee).raise_for_status()
    assistant = {"name": "Split", "prompt": "Be brief.", "first_message": "Hi, goodbye."}
    assistant_id = api.post("/assistants", json=assistant).raise_for_status().json()["id"]
    body = {"assistant_id": assistant_id, "to_number": number, "from_number": FROM}
    return api.post("/calls/outbound", json=body | {"webhook_url": hook}).json()["call_id"]


@contextmanager
def serving_only(tmp_path):
    """A webhook receiver and an API process that neither dials nor delivers."""
    with (
        Receiver() as receiver,
        running_server(tmp_path, RINGLINE_BACKGROUND="false", **SHARED) as server,
        httpx.Client(
            base_url=f"{server.base_url}/v1", headers={"Authorization": f"Bearer {KEY}"}
        ) as api,
    ):
        yield receiver, server, api


def test_a_worker_dials_and_delivers_for_an_api_process_that_only_serves(tmp_path):
    with serving_only(tmp_path) as (receiver, server, api):
        call_id = place(api, "+919800000001", receiver.url())
        time.sleep(1.5)  # several dial polls: nothing in this process dials
        waiting = api.get(f"/calls/{call_id}/status").json()["status"]
        media = server.base_url.replace("http://", "ws://")
        with running_worker(tmp_path, RINGLINE_MEDIA_URL=media, **SHARED):
            status = wait_for(api, call_id, TERMINAL)
            wait_until(lambda: "call.completed" in events_for(receiver, call_id))

    assert waiting == "initiated"
    assert status["status"] == "completed", status
    assert events_for(receiver, call_id)[:3] == ["call.initiated", "call.ringing", "call.answered"]


def test_a_call_whose_worker_is_killed_fails_and_is_never_dialed_again(tmp_path):
    with serving_only(tmp_path) as (receiver, server, api):
        call_id = place(api, "+919800000002", receiver.url(), rings=10)
        media = server.base_url.replace("http://", "ws://")
        with running_worker(tmp_path, RINGLINE_MEDIA_URL=media, **SHARED) as worker:
            wait_for(api, call_id, {"ringing"})
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        # The API process notices that the call's owner died and fails the call.
        failed = wait_for(api, call_id, TERMINAL, timeout=30)
        with running_worker(tmp_path, RINGLINE_MEDIA_URL=media, **SHARED):
            wait_until(lambda: "call.failed" in events_for(receiver, call_id))
            time.sleep(1.5)  # several dial polls of the new worker
            after = api.get(f"/calls/{call_id}/status").json()
    with sqlite3.connect(tmp_path / "ringline.db") as db:
        [(reason, dialed)] = db.execute(
            "SELECT failure_reason, dial_started_at FROM calls WHERE id = ?", (call_id,)
        ).fetchall()

    assert failed["status"] == "failed" and after == failed
    assert "interrupted" in reason and dialed is not None
    assert events_for(receiver, call_id).count("call.ringing") == 1


def test_end_asked_through_another_api_process_hangs_up_the_call(tmp_path):
    with (
        running_server(tmp_path, **SHARED) as carrying,
        running_server(tmp_path, RINGLINE_BACKGROUND="false", **SHARED) as other,
        httpx.Client(
            base_url=f"{carrying.base_url}/v1", headers={"Authorization": f"Bearer {KEY}"}
        ) as api,
        httpx.Client(
            base_url=f"{other.base_url}/v1", headers={"Authorization": f"Bearer {KEY}"}
        ) as elsewhere,
    ):
        chatty = ["Tell me more.", "And then?", "Go on.", "Really?", "Okay."]
        call_id = place(api, "+919800000003", "http://127.0.0.1:9/unused", replies=chatty)
        wait_for(api, call_id, {"in-progress"})
        time.sleep(2)  # the agent is talking
        ended = elsewhere.post(f"/calls/{call_id}/end").json()
        status = wait_for(elsewhere, call_id, TERMINAL, timeout=30)

    assert ended["already_ended"] is False
    assert status["status"] == "completed" and status["ended_by"] == "request", status
