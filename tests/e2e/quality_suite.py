"""The conversation-quality suite: the scenarios in data/conversations.yaml, each a real
sandbox call on the bundled models, checked from the stored transcript. The calls run a few
at a time on one server (the suite's run time is the slowest batch, not the sum)."""

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from tests.e2e.test_calls import TERMINAL, api, callee, place, wait_for  # noqa: F401

DATA = yaml.safe_load((Path(__file__).parent / "data" / "conversations.yaml").read_text())
SCENARIOS = {s["name"]: s for s in DATA["scenarios"]}
# Calls at once: enough to overlap the callee's pauses, few enough for a 2-core runner.
AT_ONCE = 3
# A line past each script's end where the agent should hang up: it must never be reached.
STILL_THERE = "Hello, are you still there?"
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _number(index: int) -> str:
    return f"+9198100{index:05d}"


@pytest.fixture(scope="module")
def calls(api):  # noqa: F811
    """Every scenario's call, placed AT_ONCE at a time: name -> (status, transcript)."""
    assistants = {
        key: api.post("/assistants", json={"name": key, "prompt": a["prompt"], "first_message": ""})
        .raise_for_status()
        .json()["id"]
        for key, a in DATA["assistants"].items()
    }

    def run(index_and_scenario):
        index, scenario = index_and_scenario
        number = _number(index)
        replies = list(scenario["replies"])
        if scenario.get("expect", {}).get("ended_by") == "agent":
            replies.append(STILL_THERE)  # heard only if the agent failed to hang up
        callee(api, number, replies, patience_seconds=20)
        variables = {"customer_name": scenario["customer_name"]}
        call_id = place(api, assistants[scenario["assistant"]], number, dynamic_variables=variables)
        try:
            status = wait_for(api, call_id, TERMINAL, timeout=240)
        except AssertionError as stuck:  # one stuck call fails its own scenario only
            status = {"status": f"never ended ({stuck})"}
        transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
        return scenario["name"], (status, transcript)

    with ThreadPoolExecutor(AT_ONCE) as pool:
        return dict(pool.map(run, enumerate(DATA["scenarios"])))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def _reply_after(transcript, asked: str) -> str | None:
    """The agent turn right after the first customer turn holding ``asked``."""
    for turn, following in zip(transcript, transcript[1:], strict=False):
        heard = turn["role"] == "customer" and asked.lower() in turn["text"].lower()
        if heard and following["role"] == "agent":
            return following["text"]
    return None


def _echoes(heard: str, reply: str) -> bool:
    """The reply holds the customer's whole turn, or four of its words in a row."""
    said, back = _words(heard), _words(reply)
    if len(said) >= 2 and " ".join(said) in " ".join(back):
        return True
    grams = {tuple(said[i : i + 4]) for i in range(len(said) - 3)}
    return any(tuple(back[i : i + 4]) in grams for i in range(len(back) - 3))


def problems(scenario, status, transcript) -> list[str]:
    """What is wrong with one scenario's call; empty when it passed."""
    found = []
    expect = scenario.get("expect", {})
    agent = [t["text"] for t in transcript if t["role"] == "agent"]
    if status["status"] != "completed":
        found.append(f"status {status['status']}")
    allowed = _numbers(DATA["assistants"][scenario["assistant"]]["prompt"])
    for text in agent:
        if spoken := _numbers(text) - allowed:
            found.append(f"a number not in the prompt {sorted(spoken)}: {text!r}")
        found += [
            f"contradiction {p!r}: {text!r}"
            for p in expect.get("never_says", [])
            if p.lower() in text.lower()
        ]
    if len(agent) != len(set(agent)):
        found.append("a reply said twice")
    for turn, following in zip(transcript, transcript[1:], strict=False):
        replied = turn["role"] == "customer" and following["role"] == "agent"
        if replied and _echoes(turn["text"], following["text"]):
            found.append(f"echo of {turn['text']!r}: {following['text']!r}")
    for answer in expect.get("answers", []):
        reply = _reply_after(transcript, answer["asked"])
        if reply is None or answer["says"].lower() not in reply.lower():
            found.append(f"asked {answer['asked']!r}, wanted {answer['says']!r}, got {reply!r}")
    for asked in expect.get("replies_to", []):
        if _reply_after(transcript, asked) is None:
            found.append(f"no reply to a turn with {asked!r}")
    if any("still there" in t["text"].lower() for t in transcript if t["role"] == "customer"):
        found.append("the agent went on after the call should have ended")
    if "ended_by" in expect and status.get("ended_by") != expect["ended_by"]:
        found.append(f"ended by {status.get('ended_by')}, wanted {expect['ended_by']}")
    last = agent[-1].lower() if agent else ""
    if "last_says" in expect and not any(w.lower() in last for w in expect["last_says"]):
        found.append(f"last agent turn {last!r} lacks {expect['last_says']}")
    return found


def _marks(scenario):
    # A scenario known to fail says why; strict, so a fix that makes it pass is noticed.
    reason = scenario.get("known_failure")
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=_marks(s), id=n) for n, s in SCENARIOS.items()]
)
def test_scenario(calls, name):
    status, transcript = calls[name]
    found = problems(SCENARIOS[name], status, transcript)
    lines = [f"{t['role']}: {t['text']}" for t in transcript]
    assert not found, "\n".join(found + ["--- transcript:"] + lines)


def test_the_suite_has_at_least_twenty_scenarios():
    assert len(SCENARIOS) == len(DATA["scenarios"]) >= 20
