"""The dashboard in real headless Chromium against ``ringline serve``: sign in, walk every
page with seeded data, compare the numbers with the API's, upload a CSV, talk to an
assistant from its page and end that call from the live calls page.

A screenshot of every page is saved under ``RINGLINE_ARTIFACTS`` (or pytest's tmp dir).
"""

import os
import re
import time
from pathlib import Path

import pytest

from tests.fixtures.server import api_server
from tests.webcall.chromium import launch
from tests.webcall.speech import spoken_wav

KEY = "rl_dashboard-browser-admin-key-0123456789"
SANDBOX = "+918001234567"
CALLEES = {"+919812340201": "busy", "+919812340202": "no-answer", "+919812340203": "fail"}
SAID = "Hello, I would like to book a cleaning."
TERMINAL = {"completed", "failed", "no-answer", "busy"}
PAGE_BUDGET = 200_000  # bytes of HTML, CSS and script before any data is loaded


def eventually(check, timeout=120.0, every=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s: {check.__doc__ or check}")


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("RINGLINE_ARTIFACTS")
    if not folder:
        return tmp_path_factory.mktemp("dashboard-screenshots")
    path = Path(folder) / "dashboard"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with api_server(tmp_path_factory.mktemp("dashboard"), KEY) as (server, api):
        yield server, api


@pytest.fixture(scope="module")
def seeded(server):
    """An assistant, a webhook, a campaign and calls that ended busy, unanswered, failed."""
    _, api = server
    body = {
        "name": "Receptionist",
        "prompt": "Answer in one short sentence.",
        "first_message": "Hello, this is Sam.",
    }
    assistant = api.post("/assistants", json=body).raise_for_status().json()
    api.post("/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["call.completed"]})
    campaign = {"name": "Renewals", "assistant_id": assistant["id"], "from_number": SANDBOX}
    campaign_id = api.post("/campaigns", json=campaign).raise_for_status().json()["id"]
    calls = []
    for number, answer in CALLEES.items():
        callee = {"number": number, "behaviour": {"answer": answer}}
        api.post("/sandbox/callees", json=callee).raise_for_status()
        call = {"assistant_id": assistant["id"], "to_number": number, "from_number": SANDBOX}
        calls.append(api.post("/calls/outbound", json=call).raise_for_status().json()["call_id"])

    def all_ended():
        statuses = [api.get(f"/calls/{c}/status").json()["status"] for c in calls]
        return all(status in TERMINAL for status in statuses)

    eventually(all_ended, timeout=60)
    return {"assistant_id": assistant["id"], "campaign_id": campaign_id, "calls": calls}


@pytest.fixture(scope="module")
def browser(playwright, tmp_path_factory):
    wav = spoken_wav(tmp_path_factory.mktemp("operator") / "operator.wav", SAID, lead_seconds=4)
    browser = launch(playwright, wav)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def context(browser, server):
    base_url = server[0].base_url
    context = browser.new_context(base_url=base_url, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(30_000)
    yield context
    context.close()


def sign_in(page, shots: Path) -> None:
    page.goto("/dashboard/calls")
    assert "/dashboard/sign-in" in page.url
    shot(page, shots, "sign-in")
    page.get_by_label("API key").fill(KEY)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/dashboard/calls$"))
    page.wait_for_selector("#calls")


UNLABELLED = """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(control => !control.labels.length && !control.getAttribute('aria-label'))
    .map(control => control.name)"""


def shot(page, shots: Path, name: str) -> None:
    """A screenshot, once the page is checked to label every control."""
    assert page.evaluate(UNLABELLED) == [], name
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def weight(page) -> int:
    """The page's HTML, stylesheet and script, in bytes."""
    assets = page.evaluate(
        "Promise.all(['/dashboard/static/dashboard.css', '/dashboard/static/dashboard.js']"
        ".map(url => fetch(url).then(r => r.text()))).then(texts => texts.join('').length)"
    )
    return len(page.content().encode()) + assets


def test_an_operator_walks_every_page(context, server, seeded, shots):
    _, api = server
    page = context.new_page()
    sign_in(page, shots)
    shown_calls = page.locator("#calls tbody tr").count()
    shot(page, shots, "calls")

    page.goto("/dashboard/")
    start, end = page.input_value("#from"), page.input_value("#to")
    counts = api.get("/analytics", params={"from": start, "to": end}).json()
    total, completed = page.inner_text("#total-calls"), page.inner_text("#completed")
    seconds = page.get_attribute("#avg-duration", "data-seconds")
    statuses = page.locator("#outcomes table th").all_inner_texts()
    overview_weight = weight(page)
    shot(page, shots, "overview")

    page.goto("/dashboard/calls")
    page.click(f"a[href='/dashboard/calls/{seeded['calls'][0]}']")
    call_status = page.inner_text("#call-status")
    shot(page, shots, "call")

    for name in ("live", "assistants", "campaigns", "numbers", "webhooks"):
        page.goto(f"/dashboard/{name}")
        assert page.locator("h1").count() == 1, name
        shot(page, shots, name)
    webhook_link = page.locator("#webhooks a").first
    webhook_link.click()
    page.wait_for_selector("#deliveries")
    shot(page, shots, "webhook")
    page.goto(f"/dashboard/assistants/{seeded['assistant_id']}")
    shot(page, shots, "assistant")
    page.goto("/dashboard/assistants/new")
    shot(page, shots, "assistant-new")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/dashboard/")
    shot(page, shots, "overview-phone")
    phone_overflow = page.evaluate("document.documentElement.scrollWidth > innerWidth + 1")
    page.close()

    assert shown_calls == api.get("/calls/history").json()["total"] == 3
    assert int(total) == counts["total_calls"] == 3
    assert int(completed) == counts["completed"]
    assert int(seconds) == counts["avg_duration_seconds"]
    assert set(statuses) == {s for s, n in counts["by_status"].items() if n}
    assert call_status == api.get(f"/calls/{seeded['calls'][0]}/status").json()["status"]
    assert overview_weight < PAGE_BUDGET
    assert not phone_overflow


def test_a_csv_upload_shows_rejected_rows(context, seeded, shots, tmp_path):
    csv = tmp_path / "contacts.csv"
    csv.write_text("phone,name\n+919800000001,Asha\nnot-a-number,Ravi\n")
    page = context.new_page()
    page.goto(f"/dashboard/campaigns/{seeded['campaign_id']}")
    page.set_input_files("#file", str(csv))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("#upload-result")
    accepted = page.inner_text("#accepted")
    rejected = page.locator("#rejected-rows tbody tr").all_inner_texts()
    contacts = page.locator("#contacts tbody tr").count()
    shot(page, shots, "campaign-upload")
    page.close()

    assert accepted == "1" and len(rejected) == 1 and rejected[0].startswith("2")
    assert contacts == 1


def test_a_web_call_from_an_assistant_is_watched_live_and_ended(context, server, seeded, shots):
    _, api = server
    talk = context.new_page()
    talk.goto(f"/dashboard/assistants/{seeded['assistant_id']}")
    talk.click("#talk button")
    call_id = eventually(lambda: talk.get_attribute("#talk", "data-call-id"), timeout=60)
    live = context.new_page()
    live.goto("/dashboard/live")
    card = live.locator(f"article[data-call-id='{call_id}']")
    turns = card.locator(".turn")
    card.wait_for(timeout=60_000)
    eventually(lambda: turns.count() >= 1, timeout=120)
    first = turns.count()
    eventually(lambda: turns.count() > first, timeout=120)
    shot(live, shots, "live")
    grew_to = turns.count()
    card.get_by_role("button", name="End call").click()
    ended = eventually(lambda: api.get(f"/calls/{call_id}/status").json()["status"] in TERMINAL)
    live.wait_for_selector("#no-live", timeout=30_000)
    status = api.get(f"/calls/{call_id}/status").json()

    def recorded():
        live.goto(f"/dashboard/calls/{call_id}")
        return live.locator("audio").count() == 1

    eventually(recorded, timeout=30, every=1)
    audio = live.request.get(live.get_attribute("audio", "src"))
    shown_turns = live.locator(".transcript .turn").count()
    shot(live, shots, "call-web")
    live.close()
    talk.close()

    assert ended and grew_to > first >= 1
    assert audio.status == 200 and audio.headers["content-type"] == "audio/wav"
    assert shown_turns == len(api.get(f"/calls/{call_id}/transcript").json()["transcript"])
    assert status["source"] == "web" and status["status"] in TERMINAL
    assert status["ended_by"] != "customer"


def test_a_failed_delivery_is_redelivered_from_its_log(context, server, shots):
    """The web call above completed: its event went to a webhook nobody listens at."""
    _, api = server
    [hook] = api.get("/webhooks").json()["webhooks"]
    page = context.new_page()

    def logged():
        page.goto(f"/dashboard/webhooks/{hook['id']}")
        return page.locator("#deliveries button").count() > 0

    eventually(logged, timeout=60, every=1)
    shot(page, shots, "webhook-log")
    page.locator("#deliveries button").first.click()
    queued = page.get_by_role("status").inner_text()
    page.close()

    assert "queued for delivery again" in queued
