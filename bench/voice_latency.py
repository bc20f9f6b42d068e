"""Voice-to-voice latency of real sandbox calls, and how it grows with simultaneous calls.

Starts ``ringline serve`` on loopback with the bundled models and places calls to scripted
simulated callees. Each reply is timed from the outside, in the call's own two-channel
recording (downloaded through the API): from the end of the customer's speech to the
start of the agent's reply. The engine's own breakdown of the same replies (from the
customer's silence as the VAD places it to the reply's first audio) comes from the
transcript API, split into the stages the voice engine measures.

    python bench/voice_latency.py                       # 20+ replies, one call at a time
    python bench/voice_latency.py --concurrency 1 2 4   # the same with calls side by side

Prints a table per concurrency level and writes bench/results/voice_latency.json.
"""

import argparse
import io
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.harness import bench_server, cpu_model, percentile  # noqa: E402

from ringline.voice.recording import SAMPLE_RATE  # noqa: E402

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


FRAME = SAMPLE_RATE // 50  # 20 ms
VOICED_RMS = 300  # int16 RMS of speech; the line's silence is digital zero
# A pause shorter than this is inside the customer's sentence, not the end of the turn.
IN_SENTENCE_PAUSE = 0.6


def voiced_spans(channel: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) seconds of speech in one channel, pauses under IN_SENTENCE_PAUSE joined."""
    frames = len(channel) // FRAME
    blocks = channel[: frames * FRAME].astype(np.float32).reshape(frames, FRAME)
    voiced = np.sqrt(np.mean(blocks**2, axis=1)) >= VOICED_RMS
    spans: list[tuple[float, float]] = []
    for index in np.flatnonzero(voiced):
        start, end = index * FRAME / SAMPLE_RATE, (index + 1) * FRAME / SAMPLE_RATE
        if spans and start - spans[-1][1] < IN_SENTENCE_PAUSE:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def recorded_latencies(wav: bytes) -> list[float]:
    """Seconds from the end of each customer utterance to the agent's next audio, for each
    utterance the agent answered after it (a reply that began before it ended is barge-in)."""
    import wave

    with wave.open(io.BytesIO(wav)) as recording:
        pcm = np.frombuffer(recording.readframes(recording.getnframes()), dtype=np.int16)
    customer, agent = voiced_spans(pcm[0::2]), voiced_spans(pcm[1::2])
    latencies = []
    for index, (_, ended) in enumerate(customer):
        next_customer = customer[index + 1][0] if index + 1 < len(customer) else float("inf")
        reply = next((start for start, _ in agent if start >= ended), None)
        talking = any(start < ended < end for start, end in agent)
        if reply is not None and reply < next_customer and not talking:
            latencies.append(reply - ended)
    return latencies


@dataclass(frozen=True)
class PlacedCall:
    call_id: str
    status: dict  # the call's last status
    recorded: list[float]  # reply latencies timed in its recording
    breakdowns: list[dict]  # the engine's own breakdown of each reply


def place_and_wait(client: httpx.Client, assistant_id: str, number: str) -> PlacedCall:
    """Call ``number`` and wait for the call to end."""
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
    recording = client.get(f"/calls/{call_id}/recording")
    recorded = recorded_latencies(recording.content) if recording.status_code == 200 else []
    breakdowns = [t["latency"] for t in turns if t["role"] == "agent" and t.get("latency")]
    return PlacedCall(call_id, status, recorded, breakdowns)


def run_level(client: httpx.Client, assistant_id: str, concurrency: int, replies: int) -> dict:
    recorded: list[float] = []
    latencies: list[dict] = []
    numbers = iter(f"+9198123{n:05d}" for n in range(concurrency * 1000, concurrency * 1000 + 999))
    while len(recorded) < replies:
        batch = [next(numbers) for _ in range(concurrency)]
        for number in batch:
            callee = {"number": number, "persona": {"replies": REPLIES}}
            client.post("/sandbox/callees", json=callee).raise_for_status()
        with ThreadPoolExecutor(concurrency) as pool:
            for call in pool.map(lambda n: place_and_wait(client, assistant_id, n), batch):
                recorded.extend(call.recorded)
                latencies.extend(call.breakdowns)
    return summarize(recorded, latencies, concurrency)


def summarize(recorded: list[float], latencies: list[dict], concurrency: int) -> dict:
    row: dict = {"concurrency": concurrency, "replies": len(recorded)}
    row["recording"] = {
        "p50": percentile(recorded, 0.5),
        "p95": percentile(recorded, 0.95),
        "mean": statistics.fmean(recorded),
    }
    row["engine_replies"] = len(latencies)
    for name in ["total", *STAGES]:
        values = [latency.get(name, 0.0) for latency in latencies]
        row[name] = {
            "p50": percentile(values, 0.5),
            "p95": percentile(values, 0.95),
            "mean": statistics.fmean(values),
        }
    return row


def print_row(row: dict) -> None:
    print(f"\nconcurrent calls: {row['concurrency']}   replies in the recordings: {row['replies']}")
    print(f"{'':<22}{'p50 ms':>10}{'p95 ms':>10}")
    recording = row["recording"]
    print(
        f"{'in the recording':<22}{recording['p50'] * 1000:>10.0f}{recording['p95'] * 1000:>10.0f}"
    )
    print(f"engine's own clock, {row['engine_replies']} replies:")
    for name in ["total", *STAGES]:
        print(f"{name:<22}{row[name]['p50'] * 1000:>10.0f}{row[name]['p95'] * 1000:>10.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1])
    parser.add_argument("--replies", type=int, default=30, help="agent replies per level")
    args = parser.parse_args()
    print(f"CPU: {cpu_model()}")
    results = []
    with bench_server(KEY) as bench:
        client = bench.client
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
