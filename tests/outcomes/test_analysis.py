import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import ringline.outcomes as analysis
from ringline.outcomes import BundledAnalyzer, CallAnalysis, ChatAnalyzer, Utterance

DATA = Path(__file__).parent / "data" / "dispositions.jsonl"
DEFAULT_LABELS = ["interested", "not_interested", "callback_requested", "other"]
CALLS = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
# Measured 57/57 on the whole set (the rules were written against the dev split only;
# the held-out split was scored once, at the end). The bar leaves room for the rules to
# change without pretending the bundled model alone could pass it: it scores ~0.45.
MIN_ACCURACY = 0.85


def turns_of(call: dict[str, Any]) -> list[Utterance]:
    return [Utterance(**turn) for turn in call["turns"]]


@pytest.fixture(scope="module")
def analyzer() -> BundledAnalyzer:
    return BundledAnalyzer()


@pytest.fixture(scope="module")
def results(analyzer: BundledAnalyzer) -> dict[str, CallAnalysis]:
    return {
        c["id"]: analyzer.analyze_sync(turns_of(c), c.get("labels", DEFAULT_LABELS)) for c in CALLS
    }


def test_exports() -> None:
    assert set(analysis.__all__) == {n for n in dir(analysis) if not n.startswith("_")} - {
        "bundled",
        "extraction",
        "fields",
        "intents",
        "chat",
        "labels",
        "numbers",
        "rules",
        "scoring",
        "summary",
        "types",
        "when",
    }


def test_data_set_is_balanced_and_large_enough() -> None:
    default = [c["gold"] for c in CALLS if "labels" not in c]
    assert len(default) >= 40
    assert {label: default.count(label) for label in DEFAULT_LABELS} == dict.fromkeys(
        DEFAULT_LABELS, 12
    )
    assert sum("labels" in c for c in CALLS) >= 8


@pytest.mark.parametrize("split", ["dev", "heldout", None])
def test_accuracy(results: dict[str, CallAnalysis], split: str | None) -> None:
    calls = [c for c in CALLS if split in (None, c["split"])]
    right = sum(results[c["id"]].disposition == c["gold"] for c in calls)
    assert right / len(calls) >= MIN_ACCURACY


@pytest.mark.parametrize("call", [c for c in CALLS if "labels" in c], ids=lambda c: c["id"])
def test_custom_labels(results: dict[str, CallAnalysis], call: dict[str, Any]) -> None:
    assert results[call["id"]].disposition == call["gold"]


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c["id"])
def test_summary_states_only_facts_from_the_transcript(
    results: dict[str, CallAnalysis], call: dict[str, Any]
) -> None:
    summary = results[call["id"]].summary
    transcript = " ".join(t["text"] for t in call["turns"])
    assert summary.strip()
    assert set(re.findall(r"\d[\d,]*", summary)) <= set(re.findall(r"\d[\d,]*", transcript))
    for name in _proper_nouns(summary):
        assert name in transcript, f"{name!r} is not in the transcript"


def _proper_nouns(text: str) -> list[str]:
    # Capitalised words not at the start of a sentence or a quote.
    return re.findall(r"(?<=[a-z,] )[A-Z][a-zA-Z]+", text)


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("No, I am not interested.", "not_interested"),
        ("I'm not at all interested in this.", "not_interested"),
        ("Please don't call me back.", "not_interested"),
        ("I don't want to renew it this year.", "not_interested"),
        ("I never said I want to buy it.", "not_interested"),
        ("Not a good time, call me tomorrow.", "callback_requested"),
        ("I can't talk now, ring me later.", "callback_requested"),
        ("Why not, sounds good, sign me up.", "interested"),
        ("No problem, go ahead and send me the link.", "interested"),
        ("I definitely want to continue the policy.", "interested"),
        ("Okay, let's do the renewal.", "interested"),
        ("I don't want to continue it.", "not_interested"),
        ("Sorry, I don't speak English.", "other"),
    ],
)
async def test_negation(analyzer: BundledAnalyzer, said: str, expected: str) -> None:
    turns = [Utterance("agent", "Sir, shall I renew your policy?"), Utterance("customer", said)]
    assert (await analyzer.analyze(turns, DEFAULT_LABELS)).disposition == expected


@pytest.mark.parametrize(
    "turns",
    [
        [],
        [Utterance("agent", "Hello, this is Priya from Suraksha Health. Hello?")],
        [Utterance("agent", "Hello?"), Utterance("customer", "  ")],
    ],
)
async def test_no_conversation(analyzer: BundledAnalyzer, turns: list[Utterance]) -> None:
    result = await analyzer.analyze(turns, DEFAULT_LABELS)
    assert result.disposition == "other"
    assert "no conversation" in result.summary.lower()


async def test_silent_call_takes_a_matching_custom_label(analyzer: BundledAnalyzer) -> None:
    result = await analyzer.analyze([Utterance("agent", "Hello?")], ["sale", "no_answer"])
    assert result.disposition == "no_answer"


async def test_labels_unknown_to_the_rules_go_to_the_model(analyzer: BundledAnalyzer) -> None:
    turns = [
        Utterance("agent", "Can we fix a demo for Thursday at 4?"),
        Utterance("customer", "Thursday 4 pm works, book the demo."),
    ]
    result = await analyzer.analyze(turns, ["demo_booked", "no_demo", "other"])
    assert result.disposition in {"demo_booked", "no_demo", "other"}
    assert result.summary.strip()


class _FakeOpenAI(BaseHTTPRequestHandler):
    """Answers POST /v1/chat/completions exactly as OpenAI's API shapes its reply."""

    answer: str = ""
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append(
            {"path": self.path, "auth": self.headers["Authorization"], "body": body}
        )
        payload = json.dumps(
            {
                "id": "chatcmpl-123",
                "object": "chat.completion",
                "created": 1_700_000_000,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": self.answer},
                        "logprobs": None,
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def openai_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()
    thread.join()


RENEWAL = [
    Utterance("agent", "Your car policy expires on Friday. Shall I renew it?"),
    Utterance("customer", "Yes, please renew it."),
]


async def test_chat_analyzer_asks_for_json_and_parses_it(openai_server: str) -> None:
    _FakeOpenAI.received.clear()
    _FakeOpenAI.answer = json.dumps(
        {"summary": "Customer agreed to renew the car policy.", "disposition": "interested"}
    )
    chat = ChatAnalyzer(openai_server, model="gpt-4o-mini", api_key="sk-test")
    result = await chat.analyze(RENEWAL, DEFAULT_LABELS)
    assert result == CallAnalysis("Customer agreed to renew the car policy.", "interested")
    [request] = _FakeOpenAI.received
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sk-test"
    body = request["body"]
    assert body["model"] == "gpt-4o-mini"
    assert body["response_format"] == {"type": "json_object"}
    system, user = body["messages"]
    assert system["role"] == "system" and all(
        label in system["content"] for label in DEFAULT_LABELS
    )
    assert user == {
        "role": "user",
        "content": "agent: Your car policy expires on Friday. Shall I "
        "renew it?\ncustomer: Yes, please renew it.",
    }


async def test_chat_analyzer_replaces_an_unknown_label(openai_server: str) -> None:
    _FakeOpenAI.answer = (
        '```json\n{"summary": "Customer agreed.", "disposition": "hot_prospect"}\n```'
    )
    result = await ChatAnalyzer(openai_server, model="m").analyze(RENEWAL, DEFAULT_LABELS)
    assert result == CallAnalysis("Customer agreed.", "other")


async def test_chat_analyzer_rejects_an_answer_that_is_not_json(openai_server: str) -> None:
    _FakeOpenAI.answer = "The customer agreed to renew."
    with pytest.raises(analysis.AnalysisError):
        await ChatAnalyzer(openai_server, model="m").analyze(RENEWAL, DEFAULT_LABELS)


async def test_chat_analyzer_does_not_ask_about_a_silent_call(openai_server: str) -> None:
    _FakeOpenAI.received.clear()
    result = await ChatAnalyzer(openai_server, model="m").analyze([], DEFAULT_LABELS)
    assert result.disposition == "other" and not _FakeOpenAI.received
