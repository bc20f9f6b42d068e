"""What ``ringline serve`` prints: where to go at start, how to get a key on a restart,
and at the default level one line per call event, not the voice pipeline's debugging."""

import re
import time

import httpx

from tests.fixtures.server import running_server

KEY = "rl_console-tests-admin-key-0123456789"
HEADERS = {"Authorization": f"Bearer {KEY}"}
SHORT_CALL = "+919812340101"


def test_start_up_prints_the_addresses_and_a_restart_says_how_to_get_a_key(tmp_path):
    with running_server(tmp_path) as server:
        first = (server.output(), server.base_url)
    with running_server(tmp_path) as server:
        again = (server.output(), server.base_url)

    for output, base_url in (first, again):
        port = base_url.rsplit(":", 1)[1]
        assert re.search(rf"http://127\.0\.0\.1:{port}/docs$", output, re.MULTILINE), output
        assert re.search(rf"http://127\.0\.0\.1:{port}/demo$", output, re.MULTILINE), output
    assert "shown only now" in first[0] and "ringline keys create" not in first[0]
    assert "shown only now" not in again[0] and "ringline keys create" in again[0]
    assert "Pipecat" not in first[0]  # its banner is not news


def _ended(api: httpx.Client, call_id: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = api.get(f"/calls/{call_id}/status").json()
        if status["status"] in ("completed", "failed", "no-answer", "busy"):
            return status
        time.sleep(0.5)
    raise TimeoutError(call_id)


def test_a_call_prints_one_line_per_event_and_no_pipeline_debugging(tmp_path):
    with (
        running_server(
            tmp_path, RINGLINE_BOOTSTRAP_API_KEY=KEY, RINGLINE_SANDBOX_RING_SECONDS="0.2"
        ) as server,
        httpx.Client(base_url=f"{server.base_url}/v1", headers=HEADERS, timeout=30) as api,
    ):
        callee = {"number": SHORT_CALL, "behaviour": {"hangup_after_seconds": 2}}
        api.post("/sandbox/callees", json=callee).raise_for_status()
        assistant = {"name": "A", "prompt": "Be brief.", "first_message": "Hello there."}
        assistant_id = api.post("/assistants", json=assistant).raise_for_status().json()["id"]
        body = {"assistant_id": assistant_id, "to_number": SHORT_CALL}
        body["from_number"] = "+918001234567"
        call_id = api.post("/calls/outbound", json=body).raise_for_status().json()["call_id"]
        assert _ended(api, call_id)["status"] == "completed"
        output = server.output()

    events = [line for line in output.splitlines() if call_id in line]
    assert [re.search(r"-> (\S+)", line).group(1) for line in events] == [
        "ringing",
        "in-progress",
        "completed",
    ], output
    assert " DEBUG " not in output and "| DEBUG" not in output, output
    assert "GET /v1/calls" not in output  # each request only at --log-level debug


def test_log_level_debug_shows_requests_and_the_pipeline(tmp_path):
    with running_server(tmp_path, RINGLINE_LOG_LEVEL="debug") as server:
        httpx.get(f"{server.base_url}/healthz").raise_for_status()
        time.sleep(0.5)
        output = server.output()

    assert "GET /healthz" in output
    assert "DEBUG" in output
