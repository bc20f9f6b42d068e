"""Voice-to-voice latency of real sandbox calls, and how it grows with simultaneous calls.

Starts ``ringline serve`` on loopback with the bundled models, places calls to scripted
simulated callees and reads each agent reply's latency breakdown from the transcript API:
from the customer's silence (as the VAD places it) to the reply's first audio on the line,
split into the stages the voice engine measures.

    python bench/voice_latency.py                       # 20+ replies, one call at a time
    python bench/voice_latency.py --concurrency 1 2 4   # the same with calls side by side

Prints a table per concurrency level and writes bench/results/voice_latency.json.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.fixtures.server import running_server  # noqa: E402

KEY = "rl_bench-voice-latency-0123456789"
REPLIES = [
    "Yes, this is Rahul speaking.",
    "I have a few minutes, go ahead.",
    "What does the renewal cost this year?",
    "Does it still cover my parents?",
    "Okay, and can I pay monthly?",
    "Alright, please send me the details. Goodbye.",
]
STAGES = [
    "endpointing_wait",
    "turn_detection",
    "transcription",
    "llm_inference",
    "sentence_aggregation",
    "speech_synthesis",
    "output_transport",
    "pipeline",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def place_and_wait(client: httpx.Client, assistant_id: str, number: str) -> tuple[dict, list]:
    """Call ``number`` and wait for the call to end: its last status and its transcript."""
    body = {"assistant_id": assistant_id, "to_number": number, "from_number": "+918001234567"}
    call_id = client.post("/calls/outbound", json=body).raise_for_status().json()["call_id"]
    deadline = time.monotonic() + 300
    status: dict = {}
    while time.monotonic() < deadline:
        status = client.get(f"/calls/{call_id}/status").json()
        if status["status"] in {"completed", "failed", "no-answer", "busy"}:
            break
        time.sleep(1)
    turns = client.get(f"/calls/{call_id}/transcript").json()["transcript"]
    return status, turns


def agent_latencies(turns: list[dict]) -> list[dict]:
    """The latency breakdown of each agent reply in a transcript."""
    return [t["latency"] for t in turns if t["role"] == "agent" and t.get("latency")]


def run_level(client: httpx.Client, assistant_id: str, concurrency: int, replies: int) -> dict:
    latencies: list[dict] = []
    numbers = iter(f"+9198123{n:05d}" for n in range(concurrency * 1000, concurrency * 1000 + 999))
    while len(latencies) < replies:
        batch = [next(numbers) for _ in range(concurrency)]
        for number in batch:
            callee = {"number": number, "persona": {"replies": REPLIES}}
            client.post("/sandbox/callees", json=callee).raise_for_status()
        with ThreadPoolExecutor(concurrency) as pool:
            for _, turns in pool.map(lambda n: place_and_wait(client, assistant_id, n), batch):
                latencies.extend(agent_latencies(turns))
    return summarize(latencies, concurrency)


def summarize(latencies: list[dict], concurrency: int) -> dict:
    row = {"concurrency": concurrency, "replies": len(latencies)}
    for name in ["total", *STAGES]:
        values = [latency.get(name, 0.0) for latency in latencies]
        row[name] = {
            "p50": percentile(values, 0.5),
            "p95": percentile(values, 0.95),
            "mean": statistics.fmean(values),
        }
    return row


def print_row(row: dict) -> None:
    print(f"\nconcurrent calls: {row['concurrency']}   agent replies measured: {row['replies']}")
    print(f"{'stage':<22}{'p50 ms':>10}{'p95 ms':>10}")
    for name in ["total", *STAGES]:
        print(f"{name:<22}{row[name]['p50'] * 1000:>10.0f}{row[name]['p95'] * 1000:>10.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1])
    parser.add_argument("--replies", type=int, default=20, help="agent replies per level")
    args = parser.parse_args()
    results = []
    with (
        tempfile.TemporaryDirectory() as data_dir,
        running_server(
            Path(data_dir),
            RINGLINE_BOOTSTRAP_API_KEY=KEY,
            RINGLINE_SANDBOX_RING_SECONDS="0.2",
            RINGLINE_RATE_LIMIT="100000/minute",
        ) as server,
        httpx.Client(
            base_url=f"{server.base_url}/v1", headers={"Authorization": f"Bearer {KEY}"}, timeout=60
        ) as client,
    ):
        assistant = {
            "name": "Latency bench",
            "prompt": "You are Alex from Acme Insurance, calling about a policy renewal. "
            "Answer in one short sentence.",
            "first_message": "Hello, this is Alex from Acme Insurance about your renewal.",
        }
        assistant_id = client.post("/assistants", json=assistant).raise_for_status().json()["id"]
        for level in args.concurrency:
            row = run_level(client, assistant_id, level, args.replies)
            print_row(row)
            results.append(row)
    out = Path(__file__).parent / "results" / "voice_latency.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
