"""Real calls through Twilio's wire protocols: ringline serves, a fake Twilio on loopback
places and carries the calls as Twilio documents it, and a simulated callee talks with
the agent over its Media Stream through the bundled models."""

import json
import time
import wave

import httpx
import numpy as np
import pytest

from ringline.simulation import Behaviour, ScriptedPersona, SimulatedCallee
from tests.e2e.test_calls import HEADERS, KEY, TERMINAL, wait_for, word_error_rate
from tests.fixtures.server import running_server
from tests.telephony.fake_twilio import running_fake_twilio
from tests.webhooks.receiver import Receiver

ACCOUNT_SID = "AC" + "5e" * 16
AUTH_TOKEN = "c0ffee" * 5 + "42"
LINE = "+14155550100"
RENEWAL = ["Yes, I am interested in renewing my policy.", "Please send the details. Goodbye."]
SCRIPTS = {
    "+919876543210": (RENEWAL, {}),
    "+919812345605": (["Tell me more, I am listening."] * 10, {"patience_seconds": 120}),
    LINE: (["Hello, I would like to renew my policy please.", "Thank you, goodbye."], {}),
    "+919812345606": (
        ["Sorry, who is calling me right now?", "Okay, thank you. Goodbye."],
        {"interrupt_after_seconds": 1.0, "interrupt_turn": 1},
    ),
}
EVENTS = ["call.initiated", "call.ringing", "call.answered", "call.failed", "call.completed"]


def callee_for(number: str) -> SimulatedCallee:
    replies, behaviour = SCRIPTS[number]
    return SimulatedCallee(Behaviour(**behaviour), ScriptedPersona(replies))


@pytest.fixture(scope="module")
def twilio():
    answers = {"+919812345602": "busy", "+919812345601": "no-answer"}
    with running_fake_twilio(ACCOUNT_SID, AUTH_TOKEN, callee_for, answers=answers) as fake:
        yield fake


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(
        tmp_path_factory.mktemp("twilio"),
        RINGLINE_BOOTSTRAP_API_KEY=KEY,
        RINGLINE_RATE_LIMIT="100000/minute",
        RINGLINE_ALLOW_PRIVATE_WEBHOOKS="true",
    ) as server:
        yield server


@pytest.fixture(scope="module")
def api(server):
    with httpx.Client(base_url=f"{server.base_url}/v1", headers=HEADERS, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def assistant_id(api, twilio):
    body = {
        "name": "Renewals",
        "prompt": "You are Alex from Acme Insurance. Answer in one short, friendly sentence.",
        "first_message": "Hello, this is Alex from Acme Insurance. "
        "Is this a good time to talk about renewing your policy?",
    }
    assistant = api.post("/assistants", json=body).raise_for_status().json()["id"]
    account = {
        "carrier": "twilio",
        "account_sid": ACCOUNT_SID,
        "auth_token": AUTH_TOKEN,
        "api_base_url": twilio.base_url,
    }
    created = api.post("/carrier-accounts", json=account).raise_for_status().json()
    number = {"number": LINE, "carrier_account_id": created["id"], "assistant_id": assistant}
    api.post("/numbers", json=number).raise_for_status()
    return assistant


def place(api, assistant_id, to_number, **fields):
    body = {"assistant_id": assistant_id, "to_number": to_number, "from_number": LINE} | fields
    response = api.post("/calls/outbound", json=body)
    assert response.status_code == 201, response.text
    return response.json()["call_id"]


def test_an_outbound_call_talks_through_twilio(api, server, twilio, assistant_id):
    with Receiver() as receiver:
        api.post("/webhooks", json={"url": receiver.url("/all"), "events": EVENTS})
        call_id = place(api, assistant_id, "+919876543210")
        status = wait_for(api, call_id, TERMINAL)
        bodies = _events(receiver, 4)

    assert status["status"] == "completed", status
    assert status["duration_seconds"] > 0
    assert bodies == ["call.initiated", "call.ringing", "call.answered", "call.completed"]
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    customer = " ".join(t["text"] for t in transcript if t["role"] == "customer")
    assert word_error_rate(" ".join(RENEWAL), customer) < 0.3, transcript
    call = twilio.call_to("+919876543210")
    sent = [c["CallStatus"] for c in call.callbacks]
    assert sent == ["initiated", "ringing", "in-progress", "completed"]
    assert call.report is not None and len(call.report.turns) >= 2  # what the callee heard
    both_voices_recorded(api, server, call_id)
    assert AUTH_TOKEN not in server.output()
    assert all(AUTH_TOKEN not in r.body.decode() for r in receiver.received)


def test_unanswered_calls_end_in_twilios_status(api, twilio, assistant_id):
    busy = place(api, assistant_id, "+919812345602")
    nobody = place(api, assistant_id, "+919812345601")

    assert wait_for(api, busy, TERMINAL, timeout=60)["status"] == "busy"
    assert wait_for(api, nobody, TERMINAL, timeout=60)["status"] == "no-answer"


def test_end_hangs_up_through_twilios_rest_api(api, twilio, assistant_id):
    call_id = place(api, assistant_id, "+919812345605")
    wait_for(api, call_id, {"in-progress"}, timeout=60)
    time.sleep(3)

    api.post(f"/calls/{call_id}/end").raise_for_status()
    final = wait_for(api, call_id, TERMINAL, timeout=30)

    assert final["status"] == "completed" and final["ended_by"] == "request"
    # Ringline closes the stream and asks Twilio's REST API to end the call; whichever
    # Twilio acts on first, the call is over at Twilio.
    sid = twilio.call_to("+919812345605").sid
    deadline = time.monotonic() + 10
    while not any(u[0] == sid for u in twilio.updates) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [u[:2] for u in twilio.updates if u[0] == sid] == [(sid, "completed")]
    assert twilio.call_to("+919812345605").status == "completed"


def test_talking_over_the_agent_clears_twilios_buffer(api, twilio, assistant_id):
    call_id = place(api, assistant_id, "+919812345606")
    final = wait_for(api, call_id, TERMINAL)

    assert final["status"] == "completed"
    heard = twilio.call_to("+919812345606").report
    assert heard is not None
    [barge_in] = heard.barge_ins
    first = heard.turns[0]
    assert first.interrupted and barge_in.clear_seconds is not None
    assert first.said is not None and barge_in.agent_stopped_at < first.said.ended_at


def test_an_inbound_call_is_answered_by_the_numbers_assistant(api, server, twilio, assistant_id):
    caller = "+919812340000"
    voice_url = f"{server.base_url}/carriers/twilio/inbound"

    call = twilio.run(twilio.ring(voice_url, LINE, caller))

    assert "<Connect><Stream" in call.twiml, call.twiml
    history = api.get("/calls/history").raise_for_status().json()
    [inbound] = [c for c in history["calls"] if c["direction"] == "inbound"]
    final = wait_for(api, inbound["call_id"], TERMINAL, timeout=60)
    assert final["status"] == "completed" and inbound["from_number"] == caller
    transcript = api.get(f"/calls/{inbound['call_id']}/transcript").json()["transcript"]
    customer = " ".join(t["text"] for t in transcript if t["role"] == "customer")
    assert word_error_rate(" ".join(SCRIPTS[LINE][0]), customer) < 0.3, transcript


def _events(receiver, count):
    deadline = time.monotonic() + 30
    while len(receiver.to("/all", status=200)) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return [json.loads(r.body)["event"] for r in receiver.to("/all", status=200)]


def both_voices_recorded(api, server, call_id):
    recording = api.get(f"/calls/{call_id}/recording")
    assert recording.status_code == 200
    path = server.log.parent / f"downloaded-{call_id}.wav"
    path.write_bytes(recording.content)
    with wave.open(str(path)) as wav:
        assert wav.getnchannels() == 2
        audio = np.frombuffer(wav.readframes(wav.getnframes()), np.int16).reshape(-1, 2)
    customer_energy, agent_energy = np.abs(audio.astype(np.int32)).mean(axis=0)
    assert customer_energy > 50 and agent_energy > 50
