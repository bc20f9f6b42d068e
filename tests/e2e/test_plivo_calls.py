"""Real calls through Plivo's wire protocols: a fake Plivo on loopback requests the
answer URL, follows the ``<Stream>`` ringline answers and relays a simulated callee's
audio in Plivo's Stream Event Protocol, with V3-signed requests."""

import time

import httpx
import pytest
from pipecat.serializers.plivo import PlivoFrameSerializer

from tests.e2e.test_calls import HEADERS, KEY, TERMINAL, wait_for, word_error_rate
from tests.e2e.test_twilio_calls import RENEWAL, SCRIPTS, both_voices_recorded, callee_for
from tests.fixtures.server import running_server
from tests.telephony.fake_plivo import running_fake_plivo
from tests.telephony.pipecat_check import audio_read_by

MANUAL = PlivoFrameSerializer.InputParams(auto_hang_up=False)

AUTH_ID = "MAODU2ZTHMNJU5YJY2OT"
AUTH_TOKEN = "plivo" * 6 + "ok"
LINE = "+14155550100"  # its script in SCRIPTS: what an inbound caller says


@pytest.fixture(scope="module")
def plivo():
    answers = {"+919812345602": "busy", "+919812345601": "timeout"}
    with running_fake_plivo(AUTH_ID, AUTH_TOKEN, callee_for, answers=answers) as fake:
        yield fake


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(
        tmp_path_factory.mktemp("plivo"),
        RINGLINE_BOOTSTRAP_API_KEY=KEY,
        RINGLINE_RATE_LIMIT="100000/minute",
    ) as server:
        yield server


@pytest.fixture(scope="module")
def api(server):
    with httpx.Client(base_url=f"{server.base_url}/v1", headers=HEADERS, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def assistant_id(api, plivo):
    body = {
        "name": "Renewals",
        "prompt": "You are Alex from Acme Insurance. Answer in one short, friendly sentence.",
        "first_message": "Hello, this is Alex from Acme Insurance. "
        "Is this a good time to talk about renewing your policy?",
    }
    assistant = api.post("/assistants", json=body).raise_for_status().json()["id"]
    account = {
        "carrier": "plivo",
        "auth_id": AUTH_ID,
        "auth_token": AUTH_TOKEN,
        "api_base_url": plivo.base_url,
    }
    created = api.post("/carrier-accounts", json=account).raise_for_status().json()
    number = {"number": LINE, "carrier_account_id": created["id"], "assistant_id": assistant}
    api.post("/numbers", json=number).raise_for_status()
    return assistant


def place(api, assistant_id, to_number):
    body = {"assistant_id": assistant_id, "to_number": to_number, "from_number": LINE}
    response = api.post("/calls/outbound", json=body)
    assert response.status_code == 201, response.text
    return response.json()["call_id"]


def test_an_outbound_call_talks_through_plivo(api, server, plivo, assistant_id):
    call_id = place(api, assistant_id, "+919876543210")
    status = wait_for(api, call_id, TERMINAL)

    assert status["status"] == "completed", status
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    customer = " ".join(t["text"] for t in transcript if t["role"] == "customer")
    assert word_error_rate(" ".join(RENEWAL), customer) < 0.3, transcript
    call = plivo.call_to("+919876543210")
    assert [r["CallStatus"] for r in call.requests] == ["ringing", "in-progress", "completed"]
    sent = {m["event"] for m in call.wire.from_ringline}
    assert "playAudio" in sent and sent <= {"playAudio", "clearAudio", "checkpoint"}
    assert call.wire.to_ringline[0]["event"] == "start"  # Plivo sends no connected
    audio_read_by(PlivoFrameSerializer(call.uuid, params=MANUAL), call.wire.to_ringline)
    both_voices_recorded(api, server, call_id)
    assert AUTH_TOKEN not in server.output()


def test_unanswered_calls_end_in_plivos_status(api, plivo, assistant_id):
    busy = place(api, assistant_id, "+919812345602")
    nobody = place(api, assistant_id, "+919812345601")

    assert wait_for(api, busy, TERMINAL, timeout=60)["status"] == "busy"
    assert wait_for(api, nobody, TERMINAL, timeout=60)["status"] == "no-answer"


def test_end_hangs_up_through_plivos_rest_api(api, plivo, assistant_id):
    call_id = place(api, assistant_id, "+919812345605")
    wait_for(api, call_id, {"in-progress"}, timeout=60)

    api.post(f"/calls/{call_id}/end").raise_for_status()
    final = wait_for(api, call_id, TERMINAL, timeout=30)

    assert final["status"] == "completed" and final["ended_by"] == "request"
    # Ringline closes the stream and asks Plivo's REST API to hang up (a call already
    # gone answers 404, which is fine): the call is over at Plivo either way.
    call = plivo.call_to("+919812345605")
    deadline = time.monotonic() + 10
    while not any(u == call.uuid for u, _ in plivo.hang_ups) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [u for u, _ in plivo.hang_ups].count(call.uuid) == 1
    assert call.status == "completed"


def test_talking_over_the_agent_clears_plivos_buffer(api, plivo, assistant_id):
    call_id = place(api, assistant_id, "+919812345606")
    final = wait_for(api, call_id, TERMINAL)

    call = plivo.call_to("+919812345606")
    assert final["status"] == "completed" and call.report is not None
    [barge_in] = call.report.barge_ins
    assert call.report.turns[0].interrupted and barge_in.clear_seconds is not None
    assert "clearAudio" in {m["event"] for m in call.wire.from_ringline}


def test_an_inbound_call_is_answered_by_the_numbers_assistant(api, server, plivo, assistant_id):
    caller = "+919812340000"
    answer_url = f"{server.base_url}/carriers/plivo/inbound"

    call = plivo.run(plivo.ring(answer_url, LINE, caller))

    assert call.stream_url.startswith("ws://"), call
    history = api.get("/calls/history").raise_for_status().json()
    [inbound] = [c for c in history["calls"] if c["direction"] == "inbound"]
    final = wait_for(api, inbound["call_id"], TERMINAL, timeout=60)
    assert final["status"] == "completed" and inbound["from_number"] == caller
    transcript = api.get(f"/calls/{inbound['call_id']}/transcript").json()["transcript"]
    customer = " ".join(t["text"] for t in transcript if t["role"] == "customer")
    assert word_error_rate(" ".join(SCRIPTS[LINE][0]), customer) < 0.3, transcript
