"""A visitor talks to an assistant from the demo page in real headless Chromium.

The microphone is a WAV file spoken by the bundled piper voice (Chromium's fake capture
device); the call runs through ``ringline serve`` like any other, and the API, the page
and the webhooks must all tell the same story.
"""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from standardwebhooks import Webhook

from tests.fixtures.server import running_server
from tests.simulation.wer import word_error_rate
from tests.webcall.chromium import launch
from tests.webcall.speech import spoken_wav
from tests.webhooks.receiver import Receiver

KEY = "rl_webcall-browser-admin-key-0123456789"
SAID = "Hello, I would like to book a dental cleaning for next Tuesday morning."
CALL_EVENTS = ["call.initiated", "call.answered", "call.completed", "call.transcript_ready"]
TERMINAL = {"completed", "failed", "no-answer", "busy"}


@pytest.fixture(scope="module")
def caller_wav(tmp_path_factory) -> Path:
    return spoken_wav(tmp_path_factory.mktemp("caller") / "caller.wav", SAID, lead_seconds=1.5)


@pytest.fixture(scope="module")
def browser(playwright, caller_wav):
    browser = launch(playwright, caller_wav)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(
        tmp_path_factory.mktemp("webcall-browser"),
        RINGLINE_BOOTSTRAP_API_KEY=KEY,
        RINGLINE_RATE_LIMIT="100000/minute",
        RINGLINE_ALLOW_PRIVATE_WEBHOOKS="true",
    ) as server:
        yield server


@pytest.fixture(scope="module")
def api(server):
    headers = {"Authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=f"{server.base_url}/v1", headers=headers, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def assistant_id(api):
    body = {
        "name": "Receptionist",
        "prompt": "You are Sam, the receptionist of Acme Dental. Answer in one short sentence.",
    }
    return api.post("/assistants", json=body).raise_for_status().json()["id"]


def eventually(check, timeout=120.0, every=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s: {check.__doc__ or check}")


def test_a_visitor_talks_to_an_assistant_from_the_demo_page(browser, server, api, assistant_id):
    with Receiver() as receiver:
        hook = {"url": receiver.url("/all"), "events": CALL_EVENTS}
        secret = api.post("/webhooks", json=hook).raise_for_status().json()["secret"]
        page = browser.new_page()
        page.goto(f"{server.base_url}/demo")
        page.fill("#api-key", KEY)
        page.click("#load")
        page.wait_for_function("!document.querySelector('#assistant').disabled")
        page.select_option("#assistant", assistant_id)
        page.click("#widget button")

        # The page shows what the visitor said, then the agent's spoken reply.
        page.wait_for_selector(".rl-line.rl-customer", timeout=120_000)
        page.wait_for_selector(".rl-line.rl-agent", timeout=120_000)
        call_id = page.get_attribute("#widget", "data-call-id")
        heard = page.inner_text(".rl-line.rl-customer")
        reply = page.inner_text(".rl-line.rl-agent")

        def transcript():
            turns = api.get(f"/calls/{call_id}/transcript").raise_for_status().json()
            roles = [turn["role"] for turn in turns["transcript"]]
            return turns["transcript"] if {"customer", "agent"} <= set(roles) else None

        turns = eventually(transcript)
        page.click("#widget button.rl-hangup")
        page.wait_for_selector("#summary[data-call-id]", timeout=120_000)
        shown_summary = page.inner_text("#summary")
        status = api.get(f"/calls/{call_id}/status").raise_for_status().json()

        def all_events():
            got = [json.loads(r.body) for r in receiver.to("/all", status=200)]
            return got if len(got) == len(CALL_EVENTS) else None

        events = eventually(all_events, timeout=30)
        completed = next(r for r in receiver.to("/all") if b"call.completed" in r.body)
        page.close()

    customer = " ".join(t["text"] for t in turns if t["role"] == "customer")
    assert word_error_rate(SAID, customer) <= 0.35, customer
    assert word_error_rate(SAID, heard.removeprefix("You:")) <= 0.35, heard
    agent = next(t["text"] for t in turns if t["role"] == "agent")
    assert agent and agent in reply
    assert status["status"] == "completed" and status["source"] == "web"
    assert status["ended_by"] == "customer" and status["summary"]
    assert status["summary"] in shown_summary
    assert [e["event"] for e in events] == CALL_EVENTS
    assert all(e["call_id"] == call_id and e["source"] == "web" for e in events)
    assert Webhook(secret).verify(completed.body, completed.headers)["summary"] == status["summary"]
    recording = api.get(f"/calls/{call_id}/recording")
    assert recording.status_code == 200 and recording.headers["content-type"] == "audio/wav"


@contextmanager
def site(html: str) -> Iterator[str]:
    """Another site on loopback serving ``html``: its own origin, a secure context."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_widget_on_a_site_not_allowed_shows_the_refusal(browser, server, api, assistant_id):
    token = api.post("/webcall/token", json={"assistant_id": assistant_id}).json()["token"]
    embedding = (
        f"<!doctype html><title>Shop</title><body><h1>Shop</h1><script "
        f'src="{server.base_url}/widget.js" data-token="{token}"></script></body>'
    )
    with site(embedding) as shop:
        page = browser.new_page()
        page.goto(f"{shop}/")
        page.click(".rl-widget button")
        error = page.wait_for_selector(".rl-status.rl-error", timeout=60_000).inner_text()
        page.close()

    assert error == f"Call refused: origin {shop} may not call this assistant"
    history = api.get("/calls/history", params={"source": "web"}).json()["calls"]
    assert all(call["status"] == "completed" for call in history)  # no call was opened


GREETING = (
    "Hello and welcome to Acme Dental. We are open from eight in the morning until six in "
    "the evening, Monday to Saturday, and on Sundays we see emergencies only. We offer "
    "cleanings, fillings, crowns, braces and whitening, and our hygienists are happy to "
    "answer any question you have about caring for your teeth at home."
)
INTERRUPTION = "Sorry to interrupt, I need to cancel my appointment."


def test_the_visitor_talking_over_the_agent_silences_it(tmp_path, playwright, server, api):
    wav = spoken_wav(tmp_path / "interrupt.wav", INTERRUPTION, lead_seconds=4.0)
    body = {"name": "Talker", "prompt": "Answer in one sentence.", "first_message": GREETING}
    talker = api.post("/assistants", json=body).raise_for_status().json()["id"]
    browser = launch(playwright, wav)
    try:
        page = browser.new_page()
        page.goto(f"{server.base_url}/demo")
        page.evaluate(
            "document.querySelector('#widget').addEventListener("
            "'ringline:interrupted', () => { window.interrupted = true; })"
        )
        page.fill("#api-key", KEY)
        page.click("#load")
        page.wait_for_function("!document.querySelector('#assistant').disabled")
        page.select_option("#assistant", talker)
        page.click("#widget button")
        # The server told the page to stop playing the greeting: the agent was cut off.
        page.wait_for_function("window.interrupted === true", timeout=120_000)
        call_id = page.get_attribute("#widget", "data-call-id")

        def customer_heard():
            turns = api.get(f"/calls/{call_id}/transcript").raise_for_status().json()
            said = [t for t in turns["transcript"] if t["role"] == "customer"]
            return said or None

        said = eventually(customer_heard)
        page.click("#widget button.rl-hangup")
    finally:
        browser.close()

    assert word_error_rate(INTERRUPTION, said[0]["text"]) <= 0.35, said
    status = eventually(
        lambda: (s := api.get(f"/calls/{call_id}/status").json())["status"] in TERMINAL and s
    )
    assert status["status"] == "completed" and status["source"] == "web"
