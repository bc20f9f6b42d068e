"""Disposition accuracy on real sandbox calls, beside the existing labelled transcripts.

    python bench/disposition_calls.py [--set bench/data/disposition_calls_a.yaml] [--at-once 3]

Each call of the set is a scripted sandbox callee; the call is placed on a real server with
the bundled models, a few at a time, and its disposition (the post-call analysis of the
stored transcript) is compared with the label a person gave the script. The existing set
(``tests/outcomes/data/dispositions.jsonl``, transcripts the rules were written against) is
analysed offline for comparison. Figures go to ``bench/results/disposition_calls.json``.
"""

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.analysis_bench import load_calls, run  # noqa: E402
from bench.harness import bench_server, cpu_model  # noqa: E402

from ringline.outcomes import BundledAnalyzer  # noqa: E402

KEY = "rl_bench-dispositions-key-0123456789"
FROM = "+918001234567"
TERMINAL = {"completed", "failed", "no-answer", "busy"}
RESULT = ROOT / "bench" / "results" / "disposition_calls.json"


def wait_for(client: httpx.Client, call_id: str, timeout: float = 300.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"/calls/{call_id}/status")
        if response.status_code == 429:
            time.sleep(float(response.headers.get("Retry-After", "1")))
            continue
        status = response.raise_for_status().json()
        if status["status"] in TERMINAL:
            return status
        time.sleep(0.5)
    raise TimeoutError(f"{call_id} did not end in {timeout:.0f} s")


def place_all(client: httpx.Client, data: dict, at_once: int) -> list[dict]:
    assistants = {
        key: client.post("/assistants", json={"name": key, "prompt": prompt, "first_message": ""})
        .raise_for_status()
        .json()["id"]
        for key, prompt in data["assistants"].items()
    }

    def one(index_and_call: tuple[int, dict]) -> dict:
        index, call = index_and_call
        number = f"+9198200{index:05d}"
        persona = {"replies": call["replies"]}
        body = {"number": number, "behaviour": {"patience_seconds": 20}, "persona": persona}
        client.post("/sandbox/callees", json=body).raise_for_status()
        placed = {
            "assistant_id": assistants[call["assistant"]],
            "to_number": number,
            "from_number": FROM,
            "dynamic_variables": {"customer_name": call.get("customer_name", "Rahul")},
        }
        call_id = client.post("/calls/outbound", json=placed).raise_for_status().json()["call_id"]
        status = wait_for(client, call_id)
        transcript = client.get(f"/calls/{call_id}/transcript").json()["transcript"]
        customer_turns = sum(1 for t in transcript if t["role"] == "customer")
        return {
            "id": call["id"],
            "gold": call["gold"],
            "predicted": status.get("disposition"),
            "status": status["status"],
            "customer_turns": customer_turns,
            "transcript": [f"{t['role']}: {t['text']}" for t in transcript],
        }

    with ThreadPoolExecutor(at_once) as pool:
        return list(pool.map(one, enumerate(data["calls"])))


def existing_accuracy() -> tuple[int, int]:
    outcomes = run(BundledAnalyzer(), load_calls())
    return sum(o["gold"] == o["predicted"] for o in outcomes), len(outcomes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=ROOT / "bench/data/disposition_calls_a.yaml")
    parser.add_argument("--at-once", type=int, default=3, help="calls placed at the same time")
    args = parser.parse_args()
    data = yaml.safe_load(args.set.read_text())
    with bench_server(KEY) as bench:
        started = time.monotonic()
        calls = place_all(bench.client, data, args.at_once)
        seconds = time.monotonic() - started
    right = sum(c["gold"] == c["predicted"] for c in calls)
    old_right, old_total = existing_accuracy()
    for call in calls:
        if call["gold"] != call["predicted"]:
            print(f"\n{call['id']}: gold {call['gold']}, got {call['predicted']}")
            print("  " + "\n  ".join(call["transcript"]))
    print(f"\nCPU: {cpu_model()}")
    print(f"{'set':<44}{'right':>8}{'calls':>8}{'accuracy':>10}")
    print(
        f"{args.set.name + ' (real calls)':<44}{right:>8}{len(calls):>8}{right / len(calls):>10.0%}"
    )
    print(
        f"{'dispositions.jsonl (existing, offline)':<44}{old_right:>8}{old_total:>8}"
        f"{old_right / old_total:>10.0%}"
    )
    completed = [c for c in calls if c["status"] == "completed"]
    done_right = sum(c["gold"] == c["predicted"] for c in completed)
    print(f"of the {len(completed)} calls that completed: {done_right} right")
    print(
        f"calls with no customer turn: {sum(c['customer_turns'] == 0 for c in calls)}; "
        f"{seconds:.0f} s for {len(calls)} calls, {args.at_once} at once"
    )
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(
        json.dumps(
            {
                "cpu": cpu_model(),
                "set": args.set.name,
                "right": right,
                "calls": calls,
                "existing": {"right": old_right, "total": old_total},
                "seconds": seconds,
            },
            indent=2,
        )
    )
    print(f"written: {RESULT}")


if __name__ == "__main__":
    main()
