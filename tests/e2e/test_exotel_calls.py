"""Real calls through Exotel's wire protocols: a fake Exotel on loopback connects each call
straight to ringline's stream ("Connect Voice AI") and relays a simulated callee's audio
as the Voicebot does (16-bit PCM at 8 kHz), holding ringline to its chunk rules."""

import time

import httpx
import pytest
from pipecat.serializers.exotel import ExotelFrameSerializer

from ringline.simulation import SimulatedCallee
from tests.e2e.test_calls import HEADERS, KEY, TERMINAL, wait_for, word_error_rate
from tests.e2e.test_twilio_calls import RENEWAL, SCRIPTS, both_voices_recorded, callee_for
from tests.fixtures.server import running_server
from tests.telephony.fake_exotel import running_fake_exotel
from tests.telephony.pipecat_check import audio_read_by

ACCOUNT_SID = "acme1"
API_KEY = "exotel-key"
API_TOKEN = "exotel" * 5 + "ok"
EXOPHONE = "+918047491899"
CALLER = "+919812340000"


def exotel_callee(number: str) -> SimulatedCallee:
    """Inbound calls ring the ExoPhone: its caller says the inbound script."""
    return callee_for("+14155550100" if number == EXOPHONE else number)


@pytest.fixture(scope="module")
def exotel():
    answers = {"+919812345602": "busy", "+919812345601": "no-answer"}
    with running_fake_exotel(
        ACCOUNT_SID, API_KEY, API_TOKEN, exotel_callee, answers=answers
    ) as fake:
        yield fake


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(
        tmp_path_factory.mktemp("exotel"),
        RINGLINE_BOOTSTRAP_API_KEY=KEY,
        RINGLINE_RATE_LIMIT="100000/minute",
    ) as server:
        yield server


@pytest.fixture(scope="module")
def api(server):
    with httpx.Client(base_url=f"{server.base_url}/v1", headers=HEADERS, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def assistant_id(api, exotel):
    body = {
        "name": "Renewals",
        "prompt": "You are Alex from Acme Insurance. Answer in one short, friendly sentence.",
        "first_message": "Hello, this is Alex from Acme Insurance. "
        "Is this a good time to talk about renewing your policy?",
    }
    assistant = api.post("/assistants", json=body).raise_for_status().json()["id"]
    account = {
        "carrier": "exotel",
        "api_key": API_KEY,
        "api_token": API_TOKEN,
        "account_sid": ACCOUNT_SID,
        "subdomain": "api.in.exotel.com",
        "api_base_url": exotel.base_url,
    }
    created = api.post("/carrier-accounts", json=account).raise_for_status().json()
    number = {"number": EXOPHONE, "carrier_account_id": created["id"], "assistant_id": assistant}
    api.post("/numbers", json=number).raise_for_status()
    return assistant


def place(api, assistant_id, to_number):
    body = {"assistant_id": assistant_id, "to_number": to_number, "from_number": EXOPHONE}
    response = api.post("/calls/outbound", json=body)
    assert response.status_code == 201, response.text
    return response.json()["call_id"]


def test_an_outbound_call_talks_through_exotel(api, server, exotel, assistant_id):
    call_id = place(api, assistant_id, "+919876543210")
    status = wait_for(api, call_id, TERMINAL)

    assert status["status"] == "completed", status
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    customer = " ".join(t["text"] for t in transcript if t["role"] == "customer")
    assert word_error_rate(" ".join(RENEWAL), customer) < 0.3, transcript
    call = exotel.call_to("+919876543210")
    sent = [(c["EventType"], c["Status"]) for c in call.callbacks]
    assert sent == [("ringing", "ringing"), ("answered", "in-progress"), ("terminal", "completed")]
    assert call.chunk_errors == []
    assert {m["event"] for m in call.wire.from_ringline} <= {"media", "clear", "mark"}
    audio_read_by(ExotelFrameSerializer(call.sid), call.wire.to_ringline)
    both_voices_recorded(api, server, call_id)
    assert API_TOKEN not in server.output()


def test_unanswered_calls_end_in_exotels_status(api, exotel, assistant_id):
    busy = place(api, assistant_id, "+919812345602")
    nobody = place(api, assistant_id, "+919812345601")

    assert wait_for(api, busy, TERMINAL, timeout=60)["status"] == "busy"
    assert wait_for(api, nobody, TERMINAL, timeout=60)["status"] == "no-answer"


def test_end_closes_the_stream_which_ends_the_exotel_call(api, exotel, assistant_id):
    call_id = place(api, assistant_id, "+919812345605")
    wait_for(api, call_id, {"in-progress"}, timeout=60)
    time.sleep(3)

    api.post(f"/calls/{call_id}/end").raise_for_status()
    final = wait_for(api, call_id, TERMINAL, timeout=30)

    assert final["status"] == "completed" and final["ended_by"] == "request"
    call = exotel.call_to("+919812345605")
    deadline = time.monotonic() + 10
    while call.status != "completed" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert call.status == "completed" and call.chunk_errors == []


def test_talking_over_the_agent_clears_exotels_buffer(api, exotel, assistant_id):
    call_id = place(api, assistant_id, "+919812345606")
    final = wait_for(api, call_id, TERMINAL)

    call = exotel.call_to("+919812345606")
    assert final["status"] == "completed" and call.report is not None
    [barge_in] = call.report.barge_ins
    assert call.report.turns[0].interrupted and barge_in.clear_seconds is not None
    assert "clear" in {m["event"] for m in call.wire.from_ringline}
    assert call.chunk_errors == []


def test_an_inbound_call_is_answered_by_the_numbers_assistant(api, server, exotel, assistant_id):
    applet_url = f"{server.base_url}/carriers/exotel/inbound"

    call = exotel.run(exotel.ring(applet_url, EXOPHONE, CALLER))

    assert call.status == "completed", call
    history = api.get("/calls/history").raise_for_status().json()
    [inbound] = [c for c in history["calls"] if c["direction"] == "inbound"]
    final = wait_for(api, inbound["call_id"], TERMINAL, timeout=60)
    assert final["status"] == "completed" and inbound["from_number"] == CALLER
    transcript = api.get(f"/calls/{inbound['call_id']}/transcript").json()["transcript"]
    customer = " ".join(t["text"] for t in transcript if t["role"] == "customer")
    assert word_error_rate(" ".join(SCRIPTS["+14155550100"][0]), customer) < 0.3, transcript
