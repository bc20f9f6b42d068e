"""Accuracy and time per call of the offline post-call analyzer on the labelled calls.

    python bench/analysis_bench.py [--threads N]

Prints a table per split of ``tests/outcomes/data/dispositions.jsonl`` and writes the
figures to ``bench/results/analysis_bench.json``.
"""

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

from ringline.outcomes import BundledAnalyzer, Utterance

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "outcomes" / "data" / "dispositions.jsonl"
RESULT = ROOT / "bench" / "results" / "analysis_bench.json"
DEFAULT_LABELS = ["interested", "not_interested", "callback_requested", "other"]


def load_calls() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]


def run(analyzer: BundledAnalyzer, calls: list[dict]) -> list[dict]:
    analyzer.analyze_sync(
        [Utterance("agent", "Hello."), Utterance("customer", "Hmm.")], DEFAULT_LABELS
    )
    outcomes = []
    for call in calls:
        turns = [Utterance(**turn) for turn in call["turns"]]
        started = time.perf_counter()
        result = analyzer.analyze_sync(turns, call.get("labels", DEFAULT_LABELS))
        seconds = time.perf_counter() - started
        outcomes.append(
            {
                "id": call["id"],
                "split": call["split"],
                "custom": "labels" in call,
                "gold": call["gold"],
                "predicted": result.disposition,
                "summary": result.summary,
                "seconds": seconds,
            }
        )
    return outcomes


def figures(outcomes: list[dict]) -> dict:
    times = sorted(o["seconds"] for o in outcomes)
    return {
        "calls": len(outcomes),
        "accuracy": sum(o["gold"] == o["predicted"] for o in outcomes) / len(outcomes),
        "median_ms": statistics.median(times) * 1000,
        "p90_ms": times[int(0.9 * (len(times) - 1))] * 1000,
        "max_ms": times[-1] * 1000,
    }


def groups(outcomes: list[dict]) -> dict[str, list[dict]]:
    return {
        "all": outcomes,
        "dev": [o for o in outcomes if o["split"] == "dev"],
        "held-out": [o for o in outcomes if o["split"] == "heldout"],
        "default labels": [o for o in outcomes if not o["custom"]],
        "custom labels": [o for o in outcomes if o["custom"]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    outcomes = run(BundledAnalyzer(n_threads=args.threads), load_calls())
    table = {name: figures(group) for name, group in groups(outcomes).items()}
    print(f"{'set':<16}{'calls':>6}{'accuracy':>10}{'median ms':>11}{'p90 ms':>9}{'max ms':>9}")
    for name, row in table.items():
        print(
            f"{name:<16}{row['calls']:>6}{row['accuracy']:>10.3f}{row['median_ms']:>11.1f}"
            f"{row['p90_ms']:>9.1f}{row['max_ms']:>9.1f}"
        )
    for miss in (o for o in outcomes if o["gold"] != o["predicted"]):
        print(f"miss {miss['id']}: {miss['gold']} -> {miss['predicted']}")
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(
        json.dumps(
            {
                "threads": args.threads,
                "machine": platform.machine(),
                "figures": table,
                "calls": outcomes,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
