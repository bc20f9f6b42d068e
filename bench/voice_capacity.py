"""How many simultaneous sandbox calls one ringline process carries, models off the machine.

The workspace's LLM, speech-to-text and text-to-speech are set (through the API) to a local
server speaking OpenAI's protocols that answers at once with canned text and a tone, so
the CPU that remains is ringline's own per-call work: carrier codec and resampling, VAD
and turn detection, Pipecat, the recorder, the database, plus the simulated callees'
ears (whisper tiny on each agent turn; their replies are synthesized once and cached).

    python bench/voice_capacity.py --concurrency 1 4 8 16

For each level it places that many calls at once and prints the agent's reply latency
(p50/p95, from the customer's silence to the reply's first audio on the line), the
server's CPU per second of call, and how far the latency grew from one call alone: audio
falls behind real time where the process runs out of CPU and latency climbs. Writes
bench/results/voice_capacity.json.
"""

import argparse
import json
import os
import sqlite3
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.harness import bench_server, percentile  # noqa: E402
from bench.voice_latency import place_and_wait  # noqa: E402
from tests.fixtures.openai_server import SPEECH_SAMPLE_RATE, Answer, running_openai_server  # noqa: E402

KEY = "rl_bench-voice-capacity-0123456789"
REPLIES = [
    "Yes, this is Rahul speaking.",
    "What does the renewal cost?",
    "Does it cover my parents?",
    "Alright, send me the details. Goodbye.",
]


def instant_reply(messages: list[dict]) -> Answer:
    if "disposition" in messages[0]["content"]:
        return Answer(json.dumps({"summary": "Benchmark call.", "disposition": "other"}))
    return Answer("Sure, the renewal costs nine thousand rupees a year.")


def heard_nothing_special(wav: bytes) -> str:
    return "Yes, go ahead."


def tone(text: str) -> bytes:
    """A 220 Hz tone lasting about as long as ``text`` takes to say, at 24 kHz."""
    seconds = min(4.0, 0.06 * len(text))
    t = np.arange(int(seconds * SPEECH_SAMPLE_RATE)) / SPEECH_SAMPLE_RATE
    return (np.sin(2 * np.pi * 220 * t) * 8000).astype(np.int16).tobytes()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_level(client: httpx.Client, pid: int, assistant_id: str, calls: int) -> dict:
    numbers = [f"+9198124{calls:02d}{n:03d}" for n in range(calls)]
    for number in numbers:
        callee = {"number": number, "persona": {"replies": REPLIES}}
        client.post("/sandbox/callees", json=callee).raise_for_status()
    cpu_before, started = cpu_seconds(pid), time.monotonic()
    with ThreadPoolExecutor(calls) as pool:
        results = list(pool.map(lambda n: place_and_wait(client, assistant_id, n), numbers))
    cpu, wall = cpu_seconds(pid) - cpu_before, time.monotonic() - started
    call_seconds = sum(call.status.get("duration_seconds") or 0 for call in results)
    latencies = [each["total"] for call in results for each in call.breakdowns]
    return {
        "calls": calls,
        "completed": sum(call.status["status"] == "completed" for call in results),
        "replies": len(latencies),
        "latency_p50_ms": round(percentile(latencies, 0.5) * 1000) if latencies else None,
        "latency_p95_ms": round(percentile(latencies, 0.95) * 1000) if latencies else None,
        "server_cpu_percent": round(100 * cpu / wall, 1),
        "cpu_ms_per_call_second": round(1000 * cpu / call_seconds, 1) if call_seconds else None,
    }


def print_rows(rows: list[dict]) -> None:
    base = rows[0]["latency_p95_ms"] or 1
    print(
        f"{'calls':>6}{'completed':>11}{'replies':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p95 vs 1':>10}{'server CPU %':>14}{'CPU ms/call-s':>15}"
    )
    for row in rows:
        growth = (row["latency_p95_ms"] or 0) / base
        print(
            f"{row['calls']:>6}{row['completed']:>11}{row['replies']:>9}"
            f"{row['latency_p50_ms']:>9}{row['latency_p95_ms']:>9}{growth:>9.2f}x"
            f"{row['server_cpu_percent']:>14}{row['cpu_ms_per_call_second']:>15}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8, 16])
    args = parser.parse_args()
    with (
        running_openai_server(instant_reply, listen=heard_nothing_special, speak=tone) as hosted,
        bench_server(KEY) as bench,
    ):
        client, server = bench.client, bench.server
        # The plan's limit of simultaneous calls would cap the levels measured.
        with sqlite3.connect(bench.data_dir / "ringline.db") as db:
            db.execute("UPDATE workspaces SET concurrent_call_limit = 1000")
        stages = {
            "llm": {"model": "gpt-bench"},
            "stt": {"model": "whisper-1"},
            "tts": {"model": "tts-1", "voice": "nova"},
        }
        for stage, fields in stages.items():
            body = fields | {"base_url": hosted.base_url, "api_key": "sk-bench"}
            client.put(f"/workspace/providers/{stage}", json=body).raise_for_status()
        assistant = {
            "name": "Capacity bench",
            "prompt": "You renew policies.",
            "first_message": "Hello, this is Alex from Acme Insurance about your renewal.",
        }
        assistant_id = client.post("/assistants", json=assistant).raise_for_status().json()["id"]
        rows = []
        for level in args.concurrency:
            rows.append(run_level(client, server.process.pid, assistant_id, level))
            print(f"measured {level} simultaneous calls", flush=True)
    print_rows(rows)
    out = Path(__file__).parent / "results" / "voice_capacity.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
