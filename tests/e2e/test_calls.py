"""Real calls end to end: the API places them, the sandbox carrier rings simulated callees,
the voice engine talks with them over mu-law media through the bundled models."""

import json
import time
import wave
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import numpy as np
import pytest
from standardwebhooks import Webhook

from ringline.webhooks.signing import signing_key
from tests.fixtures.server import running_server
from tests.simulation.wer import word_error_rate
from tests.webhooks.receiver import Receiver, Reply

KEY = "rl_e2e-calls-admin-key-0123456789"
HEADERS = {"Authorization": f"Bearer {KEY}"}
FROM = "+918001234567"
TERMINAL = {"completed", "failed", "no-answer", "busy"}
CALL_HEADERS = {"Authorization": "Bearer crm-token-1", "X-Tenant": "acme"}
CALL_EVENTS = [
    "call.initiated",
    "call.ringing",
    "call.answered",
    "call.failed",
    "call.completed",
    "call.transcript_ready",
]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("calls")
    with (
        running_server(
            data_dir,
            RINGLINE_BOOTSTRAP_API_KEY=KEY,
            RINGLINE_SANDBOX_RING_SECONDS="0.5",
            RINGLINE_RATE_LIMIT="100000/minute",
            RINGLINE_ALLOW_PRIVATE_WEBHOOKS="true",
        ) as server,
        httpx.Client(base_url=f"{server.base_url}/v1", headers=HEADERS, timeout=30) as client,
    ):
        client.data_dir = data_dir
        yield client


@pytest.fixture(scope="module")
def assistant_id(api):
    body = {
        "name": "Renewals",
        "prompt": (
            "You are Alex, calling {{customer_name}} from Acme Insurance about renewing "
            "policy {{policy}}. Answer in one short, friendly sentence."
        ),
        "first_message": "Hello {{customer_name}}, this is Alex from Acme Insurance. "
        "Is this a good time to talk about renewing your policy?",
    }
    return api.post("/assistants", json=body).raise_for_status().json()["id"]


def callee(api, number, replies=None, **behaviour):
    persona = {"replies": replies or ["Yes, go ahead."]}
    body = {"number": number, "behaviour": behaviour, "persona": persona}
    api.post("/sandbox/callees", json=body).raise_for_status()


def place(api, assistant_id, to_number, **fields):
    body = {
        "assistant_id": assistant_id,
        "to_number": to_number,
        "from_number": FROM,
        "dynamic_variables": {"customer_name": "Rahul", "policy": "POL-456"},
    } | fields
    response = api.post("/calls/outbound", json=body)
    assert response.status_code == 201, response.text
    return response.json()["call_id"]


def wait_for(api, call_id, statuses, timeout=150.0):
    deadline, status = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        response = api.get(f"/calls/{call_id}/status")
        if response.status_code == 429:  # polling faster than the server's limit: back off
            time.sleep(float(response.headers.get("Retry-After", "1")))
            continue
        status = response.raise_for_status().json()
        if status["status"] in statuses:
            return status
        time.sleep(0.25)
    raise AssertionError(f"{call_id} never reached {statuses}: {status}")


def test_a_scripted_call_completes_with_transcript_outcome_and_recording(api, assistant_id):
    replies = [
        "Yes, I am interested in renewing my policy.",
        "Please send me the renewal details. Thank you, goodbye.",
    ]
    callee(api, "+919876543210", replies)
    with Receiver() as receiver:
        hook = api.post("/webhooks", json={"url": receiver.url("/all"), "events": CALL_EVENTS})
        call_id = place(
            api,
            assistant_id,
            "+919876543210",
            webhook_url=receiver.url("/call"),
            webhook_headers=CALL_HEADERS,
        )
        status = wait_for(api, call_id, TERMINAL)
        _check_events(receiver, hook.json()["secret"], call_id, status)

    assert status["status"] == "completed", status
    assert status["duration_seconds"] > 0 and status["ended_at"]
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    agent = [t["text"] for t in transcript if t["role"] == "agent"]
    customer = [t["text"] for t in transcript if t["role"] == "customer"]
    assert agent[0].startswith("Hello Rahul, this is Alex from Acme Insurance")
    assert len(agent) >= 2, transcript
    assert word_error_rate(" ".join(replies), " ".join(customer)) < 0.3, customer
    consecutive = zip(transcript, transcript[1:], strict=False)
    assert all(a["start"] <= a["end"] <= b["start"] + 1.0 for a, b in consecutive)
    assert status["disposition"] == "interested"
    assert status["summary"]
    recording = api.get(f"/calls/{call_id}/recording")
    assert recording.status_code == 200
    with wave.open(_saved(api, call_id, recording.content)) as wav:
        assert (wav.getnchannels(), wav.getframerate()) == (2, 8000)
        audio = np.frombuffer(wav.readframes(wav.getnframes()), np.int16).reshape(-1, 2)
    customer_energy, agent_energy = np.abs(audio.astype(np.int32)).mean(axis=0)
    assert customer_energy > 50 and agent_energy > 50


def _check_events(receiver, secret, call_id, status):
    """Both the registered endpoint and the call's own URL got every event, in order."""
    expected = [event for event in CALL_EVENTS if event != "call.failed"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(
        len(receiver.to(path, status=200)) == len(expected) for path in ("/all", "/call")
    ):
        time.sleep(0.2)
    for path in ("/all", "/call"):
        bodies = [json.loads(r.body) for r in receiver.to(path, status=200)]
        assert [b["event"] for b in bodies] == expected
        assert all(b["call_id"] == call_id for b in bodies)
    # The call's own headers go to its own URL only, beside the signature.
    sent = [{k: r.headers.get(k.lower()) for k in CALL_HEADERS} for r in receiver.to("/call")]
    assert sent == [CALL_HEADERS] * len(expected)
    assert all("x-tenant" not in r.headers for r in receiver.to("/all"))
    assert all("webhook-signature" in r.headers for r in receiver.to("/call"))
    completed = next(
        r for r in receiver.to("/all") if json.loads(r.body)["event"] == "call.completed"
    )
    payload = Webhook(secret).verify(completed.body, completed.headers)
    fields = ("status", "disposition", "summary", "duration_seconds")
    assert {k: payload[k] for k in fields} == {k: status[k] for k in fields}
    assert payload["transcript_available"] is True and payload["timestamp"].endswith("Z")


def _event(receiver, path, event, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        bodies = [json.loads(r.body) for r in receiver.to(path, status=200)]
        if found := next((b for b in bodies if b["event"] == event), None):
            return found
        time.sleep(0.2)
    raise AssertionError(f"no {event} reached {path}")


def _saved(api, call_id, content):
    path = api.data_dir / f"downloaded-{call_id}.wav"
    path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize(
    ("answer", "status"), [("no-answer", "no-answer"), ("busy", "busy"), ("fail", "failed")]
)
def test_unanswered_calls_end_in_their_status(api, assistant_id, answer, status):
    number = {"no-answer": "+919812345601", "busy": "+919812345602", "fail": "+919812345603"}[
        answer
    ]
    callee(api, number, answer=answer)

    call_id = place(api, assistant_id, number)

    final = wait_for(api, call_id, TERMINAL, timeout=60)
    assert final["status"] == status
    assert final["duration_seconds"] == 0 and final["failure_reason"]


def test_a_callee_hanging_up_mid_call_completes_the_call(api, assistant_id):
    callee(api, "+919812345604", ["Hello?"] * 5, hangup_after_seconds=3)

    call_id = place(api, assistant_id, "+919812345604")
    final = wait_for(api, call_id, TERMINAL)

    assert final["status"] == "completed"
    assert final["duration_seconds"] <= 6


def test_end_hangs_up_a_live_call_within_a_second(api, assistant_id):
    callee(api, "+919812345605", ["Tell me more, I am listening."] * 10, patience_seconds=120)
    call_id = place(api, assistant_id, "+919812345605")
    wait_for(api, call_id, {"in-progress"}, timeout=60)
    time.sleep(3)

    asked = datetime.now(UTC)
    ended = api.post(f"/calls/{call_id}/end").json()
    final = wait_for(api, call_id, TERMINAL, timeout=30)

    assert ended["already_ended"] is False
    assert final["status"] == "completed"
    # The callee would have talked for minutes: the hang-up came from the request.
    # (How fast is measured in bench/, not asserted here.)
    hung_up = datetime.fromisoformat(final["ended_at"])
    assert final["ended_by"] == "request"
    assert (hung_up - asked).total_seconds() < 10
    again = api.post(f"/calls/{call_id}/end").json()
    assert again["already_ended"] is True and again["status"] == "completed"


def test_talking_over_the_agent_cuts_its_audio(api, assistant_id):
    replies = ["Sorry, who is calling me right now?", "Okay, thank you. Goodbye."]
    callee(api, "+919812345606", replies, interrupt_after_seconds=1.0, interrupt_turn=1)

    call_id = place(api, assistant_id, "+919812345606")
    final = wait_for(api, call_id, TERMINAL)

    assert final["status"] == "completed"
    heard = json.loads((api.data_dir / "sandbox" / f"{call_id}.json").read_text())
    [barge_in] = heard["barge_ins"]
    first = heard["turns"][0]
    assert first["interrupted"] and barge_in["clear_seconds"] is not None
    # The agent went quiet while the callee was still saying its line.
    assert barge_in["at"] + barge_in["stop_seconds"] < first["said"]["end"]
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    first_words = next(t["text"] for t in transcript if t["role"] == "customer")
    assert word_error_rate(replies[0], first_words) < 0.3, (transcript, heard)


def test_a_scheduled_call_is_dialed_at_its_time_not_before(api, assistant_id):
    callee(api, "+919812345608", ["Yes, speaking.", "Okay, thank you. Goodbye."])
    at = datetime.now(UTC) + timedelta(seconds=6)

    call_id = place(api, assistant_id, "+919812345608", scheduled_at=at.isoformat())
    time.sleep(3)
    waiting = api.get(f"/calls/{call_id}/status").json()
    final = wait_for(api, call_id, TERMINAL)

    assert waiting["status"] == "initiated" and waiting["answered_at"] is None
    assert final["status"] == "completed"
    assert datetime.fromisoformat(final["answered_at"]) >= at
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    customer = " ".join(t["text"] for t in transcript if t["role"] == "customer")
    assert word_error_rate("Yes, speaking. Okay, thank you. Goodbye.", customer) < 0.35, transcript


def test_a_busy_call_is_retried_as_asked_and_no_more(api, assistant_id):
    callee(api, "+919812345609", answer="busy")
    retry = {"max_retries": 1, "delay_seconds": 1, "on": ["busy"]}

    first_id = place(api, assistant_id, "+919812345609", retry=retry)
    first = wait_for(api, first_id, TERMINAL, timeout=60)
    second = wait_for(api, first["retried_by"], TERMINAL, timeout=60)

    assert (first["status"], first["attempt"], first["retry_of"]) == ("busy", 1, None)
    assert (second["status"], second["attempt"], second["retry_of"]) == ("busy", 2, first_id)
    assert second["retried_by"] is None
    assert datetime.fromisoformat(second["scheduled_at"]) >= datetime.fromisoformat(
        first["ended_at"]
    )


def test_a_call_ends_at_its_own_time_limit(api, assistant_id):
    # The callee is still talking when the limit comes.
    long_reply = (
        "Yes, well, there is a lot I want to ask you about the renewal: the premium, the cover "
        "for my parents, the waiting period, the hospitals in your network, and whether my no "
        "claim bonus from last year carries over to the new policy, because that matters a lot."
    )
    callee(api, "+919812345610", [long_reply], patience_seconds=120)

    call_id = place(api, assistant_id, "+919812345610", max_duration_seconds=12)
    final = wait_for(api, call_id, TERMINAL)

    assert final["status"] == "completed" and final["ended_by"] == "max_duration"
    assert 11 <= final["duration_seconds"] <= 16


def test_a_call_hangs_up_after_its_own_idle_timeout(api, assistant_id):
    # The callee answers, then says nothing for 40 s.
    callee(api, "+919812345611", ["Yes, speaking.", "[pause 40] Hello?"], patience_seconds=120)

    call_id = place(api, assistant_id, "+919812345611", idle_timeout_seconds=6)
    final = wait_for(api, call_id, TERMINAL)

    assert final["status"] == "completed" and final["ended_by"] == "silence", final
    assert final["duration_seconds"] < 35, final


def voicemail_assistant(api, action: str) -> str:
    body = {
        "name": f"Renewals, voicemail {action}",
        "prompt": "You are Alex from Acme Insurance. Answer in one short, friendly sentence.",
        "first_message": "Hello {{customer_name}}, this is Alex from Acme Insurance.",
        "voicemail": {
            "detect": True,
            "action": action,
            "message": "Hi {{customer_name}}, this is Alex from Acme Insurance. "
            "Please call us back about your policy renewal.",
        },
    }
    return api.post("/assistants", json=body).raise_for_status().json()["id"]


@pytest.mark.parametrize("action", ["hang_up", "leave_message"])
def test_an_answering_machine_is_detected_and_handled_as_set(api, action):
    number = "+919812345620" if action == "hang_up" else "+919812345621"
    callee(api, number, answer="voicemail")
    assistant = voicemail_assistant(api, action)
    with Receiver() as receiver:
        call_id = place(api, assistant, number, webhook_url=receiver.url("/call"))
        final = wait_for(api, call_id, TERMINAL)
        completed = _event(receiver, "/call", "call.completed")

    assert final["status"] == "completed" and final["voicemail_detected"], final
    assert final["ended_by"] == "voicemail" and final["disposition"] == "voicemail"
    assert completed["voicemail_detected"] is True
    heard = json.loads((api.data_dir / "sandbox" / f"{call_id}.json").read_text())
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    agent = " ".join(t["text"] for t in transcript if t["role"] == "agent")
    assert heard["hung_up_by"] == "agent", heard
    if action == "hang_up":
        # Put down before the beep (most often while the machine was still greeting):
        # nothing went onto the tape.
        assert all(turn["heard"] is None for turn in heard["turns"]), heard
        assert "call us back" not in agent.lower()
    else:
        # The message went onto the tape after the beep, whole, and the agent hung up.
        [recorded] = heard["turns"]
        message = recorded["heard"]
        assert message is not None and message["start"] >= recorded["said"]["end"] - 0.1, heard
        spoken = (
            "Hi Rahul, this is Alex from Acme Insurance. Please call us back about "
            "your policy renewal."
        )
        assert word_error_rate(spoken, message["text"]) < 0.3, message
        assert "call us back" in agent.lower()


def test_keys_the_callee_presses_are_a_turn_the_agent_answers(api, assistant_id):
    callee(api, "+919812345622", ["[press 1]", "Okay, thank you. Goodbye."])

    call_id = place(api, assistant_id, "+919812345622")
    final = wait_for(api, call_id, TERMINAL)

    assert final["status"] == "completed", final
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    assert {"role": "customer", "text": "Pressed 1"} in [
        {k: t[k] for k in ("role", "text")} for t in transcript
    ], transcript
    # The agent answered the key in words, heard by the callee before its goodbye.
    heard = json.loads((api.data_dir / "sandbox" / f"{call_id}.json").read_text())
    pressed, goodbye = heard["turns"][0], heard["turns"][1]
    assert pressed["said"]["text"] == "[press 1]" and goodbye["heard"]["text"], heard


def test_the_agent_presses_the_menus_key_for_its_purpose(api):
    menu = "Welcome to Acme. For sales, press 1. For renewals and billing, press 2."
    person = "Renewals desk, Priya speaking. How can I help you?"
    callee(api, "+919812345623", [menu, person, "Okay, thank you. Goodbye."])
    body = {
        "name": "Renewals desk caller",
        "prompt": "You are Alex from Acme Insurance, calling the renewals and billing desk "
        "about the renewal of policy POL-456.",
        "first_message": "Hello, this is Alex from Acme Insurance.",
    }
    assistant = api.post("/assistants", json=body).raise_for_status().json()["id"]

    call_id = place(api, assistant, "+919812345623")
    final = wait_for(api, call_id, TERMINAL)

    assert final["status"] == "completed", final
    heard = json.loads((api.data_dir / "sandbox" / f"{call_id}.json").read_text())
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    said = [(t["role"], t["text"]) for t in transcript]
    assert heard["keys_heard"] == "2", heard
    pressed = said.index(("agent", "Pressed 2"))
    assert said[pressed - 1][0] == "customer" and "press 2" in said[pressed - 1][1].lower()
    # The person the key reached was answered in words.
    assert heard["turns"][1]["said"]["text"].startswith("Renewals desk"), heard
    assert heard["turns"][2]["heard"]["text"], heard


ANSWER = "Your order left our warehouse today and arrives on Friday."


def tool_assistant(api, endpoint):
    tool = {
        "name": "order_status",
        "description": "Look up where a customer's order is and when it will be delivered",
        "parameters": {
            "type": "object",
            "properties": {"order_id": {"type": "string", "pattern": "^[0-9]{4}$"}},
            "required": ["order_id"],
        },
        "url": endpoint.url("/order"),
        "timeout_seconds": 3,
    }
    body = {
        "name": "Order desk",
        "prompt": "You are Maya from Acme Stores, calling about a recent order.",
        "first_message": "Hello, this is Maya from Acme Stores. How can I help with your order?",
        "tools": [tool],
    }
    return api.post("/assistants", json=body).raise_for_status().json()["id"]


def test_the_agent_calls_a_tool_and_says_its_answer(api):
    number = "+919812345630"
    callee(api, number, ["Where is my order 4521?", "Great, thank you. Goodbye."])
    with Receiver() as endpoint:
        endpoint.answer("/order", Reply(body=json.dumps({"say": ANSWER}).encode()))
        assistant = tool_assistant(api, endpoint)
        call_id = place(api, assistant, number, webhook_url=endpoint.url("/call"))
        final = wait_for(api, call_id, TERMINAL)
        completed = _event(endpoint, "/call", "call.completed")
        requests = endpoint.to("/order")

    assert final["status"] == "completed", final
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    assert len(requests) == 1, transcript
    [request] = requests
    secret = api.get("/webhooks/call-url/secret").json()["secret"]
    Webhook(signing_key(secret)).verify(request.body, request.headers)
    sent = json.loads(request.body)
    assert (sent["call_id"], sent["arguments"]) == (call_id, {"order_id": "4521"}), sent
    [called] = final["tool_calls"]
    assert called["name"] == "order_status" and called["result"] == {"say": ANSWER}
    assert called["error"] is None and called["duration_ms"] >= 0
    assert completed["tool_calls"] == final["tool_calls"]
    heard = json.loads((api.data_dir / "sandbox" / f"{call_id}.json").read_text())
    assert "friday" in heard["turns"][1]["heard"]["text"].lower(), heard


@pytest.mark.parametrize("trouble", ["slow", "failing"])
def test_a_slow_tool_gets_a_filler_and_a_failing_one_is_owned_up_to(api, trouble):
    number = "+919812345631" if trouble == "slow" else "+919812345632"
    callee(api, number, ["Where is my order 4521?", "Okay, thank you. Goodbye."])
    reply = (
        Reply(delay=1.5, body=json.dumps({"say": ANSWER}).encode())
        if trouble == "slow"
        else Reply(status=500, body=b'{"detail": "database down"}')
    )
    with Receiver() as endpoint:
        endpoint.answer("/order", reply)
        call_id = place(api, tool_assistant(api, endpoint), number)
        final = wait_for(api, call_id, TERMINAL)

    assert final["status"] == "completed", final
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    assert len(final["tool_calls"]) == 1, transcript
    [called] = final["tool_calls"]
    answer = next(t["text"] for t in transcript if t["role"] == "agent" and t["start"] > 0.5)
    if trouble == "slow":
        assert called["duration_ms"] >= 1500 and called["error"] is None
        assert answer.startswith("One moment while I check that.") and "Friday" in answer
    else:
        assert called["error"] == "the endpoint answered HTTP 500"
        assert "couldn't check" in answer, transcript


def test_a_call_back_asked_for_is_placed_for_that_time(api):
    number = "+919812345633"
    callee(api, number, ["Sorry, I'm driving. Please call me back tomorrow at 5 pm."])
    body = {
        "name": "Calls back",
        "prompt": "You are Alex from Acme Insurance, calling about renewing policy {{policy}}.",
        "schedule_callbacks": True,
    }
    assistant = api.post("/assistants", json=body).raise_for_status().json()["id"]

    call_id = place(api, assistant, number)
    final = wait_for(api, call_id, TERMINAL)

    assert final["status"] == "completed", final
    assert final["callback_requested"].startswith("tomorrow at 5"), final
    later = api.get(f"/calls/{final['callback_call_id']}/status").json()
    assert later["callback_of"] == call_id and later["status"] == "initiated", later
    india = ZoneInfo("Asia/Kolkata")
    ended = datetime.fromisoformat(final["ended_at"]).astimezone(india)
    at = datetime.fromisoformat(later["scheduled_at"]).astimezone(india)
    assert (at.date(), at.hour, at.minute) == (ended.date() + timedelta(days=1), 17, 0), later
    assert datetime.fromisoformat(final["callback_at"]) == datetime.fromisoformat(
        later["scheduled_at"]
    )
