"""The /demo page in real headless Chromium: what it lets a visitor do, when, and what it
keeps on screen (the microphone is a WAV file)."""

import httpx
import pytest

from tests.fixtures.server import running_server
from tests.webcall.chromium import launch
from tests.webcall.speech import spoken_wav

KEY = "rl_webcall-demo-admin-key-0123456789"
GREETING = (
    "Hello, this is Sam from Acme Dental. Thank you for calling us today. I can book a "
    "cleaning, move an appointment, or answer a question about your last visit."
)
# The visitor starts talking five seconds in: over the greeting, warm models or not.
SAID = "Sorry, I only want to move my appointment."


@pytest.fixture(scope="module")
def browser(playwright, tmp_path_factory):
    wav = spoken_wav(tmp_path_factory.mktemp("visitor") / "visitor.wav", SAID, lead_seconds=5)
    browser = launch(playwright, wav)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(
        tmp_path_factory.mktemp("webcall-demo"),
        RINGLINE_BOOTSTRAP_API_KEY=KEY,
        RINGLINE_RATE_LIMIT="100000/minute",
    ) as server:
        yield server


@pytest.fixture(scope="module")
def assistant_id(server):
    body = {
        "name": "Receptionist",
        "prompt": "Answer in one short sentence.",
        "first_message": GREETING,
    }
    headers = {"Authorization": f"Bearer {KEY}"}
    created = httpx.post(f"{server.base_url}/v1/assistants", json=body, headers=headers)
    return created.raise_for_status().json()["id"]


def start_button_disabled(page) -> bool:
    return page.eval_on_selector("#widget button", "button => button.disabled")


def test_start_call_waits_for_a_key_and_an_assistant(browser, server, assistant_id):
    page = browser.new_page()
    page.goto(f"{server.base_url}/demo")
    at_first = start_button_disabled(page)
    page.fill("#api-key", KEY)
    with_a_key = start_button_disabled(page)
    page.click("#load")
    page.wait_for_function("!document.querySelector('#assistant').disabled")
    loaded = start_button_disabled(page)
    page.close()

    assert at_first and with_a_key  # nothing to call yet: no key, then no assistant
    assert not loaded


def test_a_successful_load_clears_the_last_error(browser, server, assistant_id):
    page = browser.new_page()
    page.goto(f"{server.base_url}/demo")
    page.fill("#api-key", KEY)
    page.click("#load")
    page.wait_for_function("!document.querySelector('#assistant').disabled")
    page.fill("#api-key", "rl_not-a-key-of-this-server-0123456789")
    page.click("#widget button")  # the token request is refused
    page.wait_for_selector(".rl-status.rl-error")
    page.fill("#api-key", KEY)
    page.click("#load")
    page.wait_for_selector(".rl-status:not(.rl-error)")
    status = page.inner_text(".rl-status")
    message = page.inner_text("#message")
    page.close()

    assert status == "Ready" and message == ""


def test_an_interrupted_greeting_stays_in_the_transcript(browser, server, assistant_id):
    page = browser.new_page()
    page.goto(f"{server.base_url}/demo")
    page.fill("#api-key", KEY)
    page.click("#load")
    page.wait_for_function("!document.querySelector('#assistant').disabled")
    page.select_option("#assistant", assistant_id)
    page.click("#widget button")
    page.wait_for_selector(".rl-line.rl-customer", timeout=120_000)
    lines = page.eval_on_selector_all(
        ".rl-line", "lines => lines.map(line => [line.className, line.textContent])"
    )
    page.click("#widget button.rl-hangup")
    page.close()

    (first_class, first_text), *_ = lines
    assert "rl-agent" in first_class, lines
    assert "Hello, this is Sam from Acme Dental" in first_text, lines
