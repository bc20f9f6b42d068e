"""A call whose agent runs on a hosted LLM: a local server speaking OpenAI's streaming
chat-completions protocol stands in for the provider (it cannot be reached from here)."""

import json
import time

import httpx

from tests.e2e.test_calls import TERMINAL, wait_for
from tests.fixtures.openai_server import Answer, running_openai_server
from tests.fixtures.server import running_server
from tests.webhooks.receiver import Receiver, Reply

KEY = "rl_e2e-hosted-llm-admin-key-012345"
GREETING = "Sure, I can help you renew your policy today."
GOODBYE = "Thank you for your time, goodbye."
ORDER = {"say": "Your order arrives on Friday."}


def script(messages: list[dict]) -> Answer:
    if "disposition" in messages[0]["content"]:  # the post-call analysis request
        summary = "The customer asked to be called back next week."
        return Answer(json.dumps({"summary": summary, "disposition": "callback_requested"}))
    if messages[-1]["role"] == "tool":  # the order_status tool's answer, read back
        return Answer(f"I checked: {json.loads(messages[-1]['content'])['say']}")
    last = messages[-1]["content"] or ""
    if "order" in last.lower():
        return Answer(tool_call="order_status", arguments='{"order_id": "4521"}')
    if "press 2" in last.lower():  # a phone menu: the renewals desk's key
        return Answer(tool_call="send_dtmf", arguments='{"keys": "2"}')
    if "bye" in last.lower():
        return Answer(GOODBYE, tool_call="end_call")
    return Answer(GREETING)


def test_the_agent_talks_through_the_hosted_llm_and_calls_its_tools(tmp_path):
    with (
        running_openai_server(script) as llm,
        Receiver() as shop,
        running_server(
            tmp_path,
            RINGLINE_BOOTSTRAP_API_KEY=KEY,
            RINGLINE_SANDBOX_RING_SECONDS="0.3",
            RINGLINE_RATE_LIMIT="100000/minute",
            RINGLINE_ALLOW_PRIVATE_WEBHOOKS="true",
            RINGLINE_LLM_BASE_URL=llm.base_url,
            RINGLINE_LLM_MODEL="gpt-test",
            RINGLINE_LLM_API_KEY="sk-test-key",
        ) as server,
        httpx.Client(
            base_url=f"{server.base_url}/v1", headers={"Authorization": f"Bearer {KEY}"}
        ) as api,
    ):
        menu = "For sales, press 1. For renewals, press 2."
        replies = [
            menu,
            "Hi, who is this?",
            "Where is my order?",
            "Please call me back next week. Bye.",
        ]
        callee = {"number": "+919876543210", "persona": {"replies": replies}}
        api.post("/sandbox/callees", json=callee).raise_for_status()
        shop.answer("/order", Reply(body=json.dumps(ORDER).encode()))
        order_status = {
            "name": "order_status",
            "description": "Where an order is",
            "parameters": {"properties": {"order_id": {"type": "string"}}},
            "url": shop.url("/order"),
        }
        assistant = {
            "name": "Hosted",
            "prompt": "You renew policies.",
            "first_message": "Hello!",
            "tools": [order_status],
        }
        assistant_id = api.post("/assistants", json=assistant).json()["id"]
        faq = {"name": "Renewal FAQ", "text": "Renewals can be paid by card or by UPI."}
        document_id = api.post("/documents", json=faq).json()["id"]
        attach = {"document_ids": [document_id]}
        api.put(f"/assistants/{assistant_id}/documents", json=attach).raise_for_status()
        body = {"assistant_id": assistant_id, "to_number": "+919876543210"}
        call_id = api.post("/calls/outbound", json=body | {"from_number": "+918001234567"}).json()[
            "call_id"
        ]
        started = time.monotonic()
        status = wait_for(api, call_id, TERMINAL)
        transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
        heard = json.loads((tmp_path / "sandbox" / f"{call_id}.json").read_text())

    assert status["status"] == "completed" and status["ended_by"] == "agent", status
    # send_dtmf: the key reached the line as its tones, and the transcript says so.
    assert heard["keys_heard"] == "2", heard
    assert {"role": "agent", "text": "Pressed 2"} in [
        {k: t[k] for k in ("role", "text")} for t in transcript
    ]
    assert status["disposition"] == "callback_requested"
    assert status["summary"] == "The customer asked to be called back next week."
    agent = [t["text"] for t in transcript if t["role"] == "agent"]
    assert agent[0] == "Hello!" and GREETING in agent and agent[-1] == GOODBYE
    conversation = [r for r in llm.requests if r.get("stream")]
    assert conversation and all(r["model"] == "gpt-test" for r in conversation)
    assert all(r["authorization"] == "Bearer sk-test-key" for r in llm.requests)
    tools = [t["function"]["name"] for t in conversation[0]["tools"]]
    assert tools == ["end_call", "send_dtmf", "order_status"]
    # The assistant's own tool: called with the model's arguments, its answer read back.
    [order] = shop.to("/order")
    assert json.loads(order.body)["arguments"] == {"order_id": "4521"}
    assert f"I checked: {ORDER['say']}" in agent
    assert [c["name"] for c in status["tool_calls"]] == ["order_status"]
    assert conversation[0]["messages"][0] == {"role": "system", "content": "You renew policies."}
    # The attached document's passage sits just before the customer's last turn, once.
    for request in conversation:
        messages = request["messages"]
        notes = [m for m in messages if "[Renewal FAQ]" in str(m.get("content"))]
        last_turn = max(i for i, m in enumerate(messages) if m["role"] == "user")
        assert len(notes) == 1 and messages[last_turn - 1] == notes[0], messages
        assert "by card or by UPI" in notes[0]["content"] and notes[0]["role"] == "system"
    assert time.monotonic() - started < 120
