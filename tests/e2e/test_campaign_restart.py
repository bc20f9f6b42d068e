"""A campaign survives ``kill -9``: a real ``ringline serve`` is killed while the campaign's
calls are under way and started again on the same database. Counting the calls each
contact got shows none was called twice at once and none was called again after a
completed call.
"""

import signal
import sqlite3
import time
from datetime import datetime

import httpx

from tests.fixtures.server import running_server

KEY = "rl_e2e-campaign-restart-key-0123456789"
HEADERS = {"Authorization": f"Bearer {KEY}"}
FROM = "+918001234567"
ANSWERING = [f"+9198100000{i:02d}" for i in range(8)]
UNANSWERED = [f"+9198200000{i:02d}" for i in range(4)]
BUSY = [f"+9198300000{i:02d}" for i in range(2)]
MAX_ATTEMPTS = 2
ENV = {
    "RINGLINE_BOOTSTRAP_API_KEY": KEY,
    "RINGLINE_SANDBOX_RING_SECONDS": "0.3",
    "RINGLINE_RATE_LIMIT": "100000/minute",
    "RINGLINE_CAMPAIGN_POLL_SECONDS": "0.2",
    "RINGLINE_DIAL_POLL_SECONDS": "0.2",
}


def _client(server) -> httpx.Client:
    return httpx.Client(base_url=f"{server.base_url}/v1", headers=HEADERS, timeout=30)


def _set_up(api: httpx.Client) -> str:
    """Callees that answer and hang up at once, never answer, or are busy; a campaign."""
    for number in ANSWERING:
        behaviour = {"answer": "answer", "rings": 0, "hangup_after_seconds": 1.0}
        body = {"number": number, "behaviour": behaviour, "persona": {"replies": ["Bye."]}}
        api.post("/sandbox/callees", json=body).raise_for_status()
    for numbers, answer in ((UNANSWERED, "no-answer"), (BUSY, "busy")):
        for number in numbers:
            body = {"number": number, "behaviour": {"answer": answer}}
            api.post("/sandbox/callees", json=body).raise_for_status()
    assistant = api.post(
        "/assistants",
        json={"name": "Renewals", "prompt": "Greet {{name}}.", "first_message": "Hi {{name}}."},
    ).raise_for_status()
    # Any hour of the test machine's clock: no quiet hours for this workspace.
    api.patch("/workspace/campaign-settings", json={"quiet_hours": None}).raise_for_status()
    campaign = api.post(
        "/campaigns",
        json={
            "name": "Restart",
            "assistant_id": assistant.json()["id"],
            "from_number": FROM,
            "max_concurrent_calls": 4,
            "retry": {"max_attempts": MAX_ATTEMPTS, "gap_seconds": 1},
        },
    ).raise_for_status()
    return campaign.json()["id"]


def _status(api: httpx.Client, campaign_id: str) -> dict:
    return api.get(f"/campaigns/{campaign_id}/status").raise_for_status().json()


def _wait(api, campaign_id, done, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = _status(api, campaign_id)
        if done(status):
            return status
        time.sleep(0.2)
    raise AssertionError(f"campaign did not get there in {timeout} s: {status}")


def _calls(database) -> dict[str, list[tuple]]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT to_number, status, created_at, ended_at, answered_at FROM calls "
            "WHERE campaign_id IS NOT NULL ORDER BY created_at"
        ).fetchall()
    per_contact: dict[str, list[tuple]] = {}
    for to_number, status, created, ended, answered in rows:
        moments = [datetime.fromisoformat(v) if v else None for v in (created, ended, answered)]
        per_contact.setdefault(to_number, []).append((status, *moments))
    return per_contact


def test_a_campaign_killed_mid_way_resumes_without_calling_anyone_twice(tmp_path):
    contacts = [{"phone": p, "name": f"C{i}"} for i, p in enumerate(ANSWERING + UNANSWERED + BUSY)]
    with running_server(tmp_path, **ENV) as server, _client(server) as api:
        campaign_id = _set_up(api)
        launch = {"campaign_id": campaign_id, "contacts": contacts}
        assert api.post("/campaigns/launch", json=launch).status_code == 201
        # Kill it once some calls have ended and others are still going.
        _wait(
            api,
            campaign_id,
            lambda s: (
                s["counts"]["completed"] >= 1
                and s["counts"]["dialing"] + s["counts"]["in-progress"] >= 1
            ),
            timeout=240,
        )
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=20)
    killed_with = _calls(tmp_path / "ringline.db")

    with running_server(tmp_path, **ENV) as server, _client(server) as api:
        final = _wait(api, campaign_id, lambda s: s["status"] == "completed", timeout=400)

    calls = _calls(tmp_path / "ringline.db")
    assert set(calls) == {c["phone"] for c in contacts}
    assert sum(map(len, calls.values())) > sum(map(len, killed_with.values()))
    for number, attempts in calls.items():
        assert len(attempts) <= MAX_ATTEMPTS, (number, attempts)
        for (status, _, ended, answered), (_, next_created, _, _) in zip(
            attempts, attempts[1:], strict=False
        ):
            # The next call began only after this one ended, and never after an answer.
            assert ended is not None and next_created >= ended, (number, attempts)
            assert status != "completed" and answered is None, (number, attempts)
    counts = final["counts"]
    assert counts["pending"] == counts["dialing"] == counts["retrying"] == 0
    assert counts["no-answer"] == len(UNANSWERED) and counts["busy"] == len(BUSY)
    assert counts["completed"] + counts["failed"] == len(ANSWERING)
    assert final["progress"] == 1.0 and final["finished_at"] is not None
