"""A call whose every stage runs on the workspace's hosted providers, set through the API.

A local server speaking OpenAI's chat, transcription and speech protocols stands in for
the providers (they cannot be reached from here); it hears and speaks with real local
models, so the call's audio really crosses both protocols.
"""

import json

import httpx

from tests.e2e.test_calls import TERMINAL, wait_for
from tests.fixtures.openai_server import (
    Answer,
    piper_speaker,
    running_openai_server,
    whisper_listener,
)
from tests.fixtures.server import running_server
from tests.simulation.wer import word_error_rate

KEY = "rl_e2e-hosted-voice-admin-key-0123"
GREETING = "Good morning, I am calling about your car insurance renewal."
GOODBYE = "Thank you, goodbye."
REPLIES = ["Yes, this is Rahul speaking.", "I am not interested, goodbye."]


def script(messages: list[dict]) -> Answer:
    if "disposition" in messages[0]["content"]:  # the post-call analysis request
        summary = "The customer said he is not interested."
        return Answer(json.dumps({"summary": summary, "disposition": "not_interested"}))
    if "goodbye" in (messages[-1]["content"] or "").lower():
        return Answer(GOODBYE, tool_call="end_call")
    return Answer("Would you like to renew your policy today?")


def providers(base_url: str) -> dict[str, dict]:
    return {
        "llm": {"base_url": base_url, "model": "gpt-test", "api_key": "sk-llm"},
        "stt": {"base_url": base_url, "model": "whisper-1", "api_key": "sk-stt"},
        "tts": {"base_url": base_url, "model": "tts-1", "voice": "nova", "api_key": "sk-tts"},
    }


def test_a_call_runs_on_the_workspaces_hosted_llm_stt_and_tts(tmp_path):
    with (
        running_openai_server(script, listen=whisper_listener, speak=piper_speaker) as hosted,
        running_server(
            tmp_path,
            RINGLINE_BOOTSTRAP_API_KEY=KEY,
            RINGLINE_SANDBOX_RING_SECONDS="0.3",
            RINGLINE_RATE_LIMIT="100000/minute",
        ) as server,
        httpx.Client(
            base_url=f"{server.base_url}/v1", headers={"Authorization": f"Bearer {KEY}"}
        ) as api,
    ):
        for stage, body in providers(hosted.base_url).items():
            api.put(f"/workspace/providers/{stage}", json=body).raise_for_status()
        callee = {"number": "+919876543210", "persona": {"replies": REPLIES}}
        api.post("/sandbox/callees", json=callee).raise_for_status()
        assistant = {"name": "Hosted", "prompt": "You renew policies.", "first_message": GREETING}
        assistant_id = api.post("/assistants", json=assistant).json()["id"]
        body = {"assistant_id": assistant_id, "to_number": "+919876543210"}
        call_id = api.post("/calls/outbound", json=body | {"from_number": "+918001234567"}).json()[
            "call_id"
        ]
        status = wait_for(api, call_id, TERMINAL)
        transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    heard = json.loads((tmp_path / "sandbox" / f"{call_id}.json").read_text())

    assert status["status"] == "completed" and status["ended_by"] == "agent", status
    assert status["disposition"] == "not_interested"
    customer = " ".join(t["text"] for t in transcript if t["role"] == "customer")
    assert word_error_rate(" ".join(REPLIES), customer) < 0.3, transcript
    # The callee heard the hosted voice say the greeting through the phone line.
    first_heard = heard["turns"][0]["heard"]["text"]
    assert word_error_rate(GREETING, first_heard) < 0.3, heard
    speech = [r for r in hosted.audio_requests if r["endpoint"] == "speech"]
    heard_by_stt = [r for r in hosted.audio_requests if r["endpoint"] == "transcriptions"]
    assert speech[0]["input"] == GREETING and GOODBYE in [r["input"] for r in speech]
    assert {(r["model"], r["voice"], r["authorization"]) for r in speech} == {
        ("tts-1", "nova", "Bearer sk-tts")
    }
    assert heard_by_stt and all(r["authorization"] == "Bearer sk-stt" for r in heard_by_stt)
    assert {r["model"] for r in heard_by_stt} == {"whisper-1"}
    assert all(r["authorization"] == "Bearer sk-llm" for r in hosted.requests)
