"""How fast the agent goes quiet when the customer talks over it, on real sandbox calls.

Each call's callee starts its second line one second into the agent's second turn (a
reply, not the first message). Two clocks time the same barge-in from outside the engine:
the callee's, on the line (from its first word to the agent's last audio frame it
received), and the call's own two-channel recording (from the customer's first voiced
frame to the end of the agent's audio around it).

    python bench/barge_in.py --calls 10

Prints p50/p95 of both and writes bench/results/barge_in.json.
"""

import argparse
import io
import json
import sys
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.harness import bench_server, cpu_model, percentile  # noqa: E402
from bench.voice_latency import place_and_wait, voiced_spans  # noqa: E402

KEY = "rl_bench-barge-in-0123456789abcdef"
REPLIES = [
    "Yes, this is Rahul speaking.",
    "Sorry, who is calling me right now?",
    "Okay, thank you. Goodbye.",
]
PROMPT = (
    "You are Alex from Acme Insurance, calling about a policy renewal. The renewal costs "
    "12,400 rupees a year and covers both parents up to age 80. Answer in one short sentence."
)


def recorded_stops(wav: bytes) -> list[float]:
    """Seconds from each customer start inside agent speech to the end of that speech."""
    with wave.open(io.BytesIO(wav)) as recording:
        pcm = np.frombuffer(recording.readframes(recording.getnframes()), dtype=np.int16)
    customer, agent = voiced_spans(pcm[0::2]), voiced_spans(pcm[1::2])
    return [
        end - start
        for start, _ in customer
        for agent_start, end in agent
        if agent_start < start < end
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10)
    args = parser.parse_args()
    print(f"CPU: {cpu_model()}")
    on_line: list[float] = []
    in_recording: list[float] = []
    with bench_server(KEY) as bench:
        client = bench.client
        assistant = {"name": "Barge-in bench", "prompt": PROMPT}
        assistant_id = client.post("/assistants", json=assistant).raise_for_status().json()["id"]
        for index in range(args.calls):
            number = f"+91981240{index:04d}"
            behaviour = {"interrupt_after_seconds": 1.0, "interrupt_turn": 2}
            callee = {"number": number, "behaviour": behaviour, "persona": {"replies": REPLIES}}
            client.post("/sandbox/callees", json=callee).raise_for_status()
            call_id = place_and_wait(client, assistant_id, number).call_id
            report = json.loads((bench.data_dir / "sandbox" / f"{call_id}.json").read_text())
            on_line += [b["stop_seconds"] for b in report["barge_ins"]]
            recording = client.get(f"/calls/{call_id}/recording")
            if recording.status_code == 200:
                in_recording += recorded_stops(recording.content)
    rows = {"on the line (callee)": on_line, "in the recording": in_recording}
    print(f"\n{'barge-in to silence':<24}{'n':>4}{'p50 ms':>10}{'p95 ms':>10}")
    for name, values in rows.items():
        if values:
            p50, p95 = percentile(values, 0.5) * 1000, percentile(values, 0.95) * 1000
            print(f"{name:<24}{len(values):>4}{p50:>10.0f}{p95:>10.0f}")
    out = Path(__file__).parent / "results" / "barge_in.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"cpu": cpu_model(), **rows}, indent=2))
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
