"""A real sandbox call on the bundled models: the dialogue layer opens with a greeting built
from the prompt (the assistant has no first message) and answers the scripted callee's
questions from the prompt's facts, then ends the call after the goodbye."""

import pytest

from tests.e2e.test_calls import TERMINAL, api, callee, place, wait_for  # noqa: F401

PROMPT = (
    "You are Priya from Acme Insurance calling about a health policy renewal. "
    "The renewal costs 12,400 rupees a year. It covers both parents up to age 80. "
    "Answer in one short sentence."
)


@pytest.fixture(scope="module")
def renewal_assistant(api):  # noqa: F811
    body = {"name": "Renewal facts", "prompt": PROMPT, "first_message": ""}
    return api.post("/assistants", json=body).raise_for_status().json()["id"]


def reply_to(transcript: list[dict], word: str) -> str:
    """The agent's answer to the customer's turn with ``word`` in it (found by a word, not
    by a question mark: Whisper ends a spoken question with a full stop as often)."""
    for turn, answer in zip(transcript, transcript[1:], strict=False):
        said = turn["role"] == "customer" and word in turn["text"].lower()
        if said and answer["role"] == "agent":
            return answer["text"]
    return ""


def test_a_callers_questions_are_answered_from_the_prompt(api, renewal_assistant):  # noqa: F811
    replies = [
        "Yes, this is Rahul speaking.",
        "What does the renewal cost this year?",
        "Does it cover my parents?",
        # A stated position: the post-call rules place it without the bundled LLM.
        "Yes, I am interested, please go ahead with the renewal.",
        "No, that's all, thank you, goodbye.",
    ]
    callee(api, "+919812345680", replies, patience_seconds=30)

    call_id = place(api, renewal_assistant, "+919812345680")
    status = wait_for(api, call_id, TERMINAL)

    assert status["status"] == "completed", status
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    agent = [t["text"] for t in transcript if t["role"] == "agent"]
    assert "12,400 rupees" in reply_to(transcript, "cost"), transcript
    assert "parents up to age 80" in reply_to(transcript, "parents"), transcript
    assert agent[0].startswith("Hello Rahul, this is Priya from Acme Insurance"), agent
    assert "goodbye" in agent[-1].lower(), transcript
    assert status["disposition"] == "interested", status
    assert len(agent) == len(set(agent)), "a reply was said twice"


def test_a_wrong_number_is_apologised_for_and_the_agent_hangs_up(api, renewal_assistant):  # noqa: F811
    # A line the callee would say after the apology: it stays on the line (a script that ran
    # out would hang up as the apology ends, racing the agent), so only the agent ends it.
    still_there = "Hello, are you still there?"
    callee(
        api,
        "+919812345681",
        ["Sorry, you have the wrong number.", still_there],
        patience_seconds=30,
    )

    call_id = place(api, renewal_assistant, "+919812345681")
    status = wait_for(api, call_id, TERMINAL)

    assert status["status"] == "completed" and status["ended_by"] == "agent", status
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    assert [t["role"] for t in transcript] == ["agent", "customer", "agent"], transcript
    assert "sorry for the trouble" in transcript[-1]["text"].lower(), transcript
