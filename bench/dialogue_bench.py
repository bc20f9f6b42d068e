"""Time per turn of the bundled dialogue layer, and of one embedding of a customer turn.

    python bench/dialogue_bench.py [--rounds N]

Replays the scripted scenarios of ``tests/voice/test_dialogue_scenarios.py`` ``--rounds``
times (a fresh dialogue per scenario, the process's one embedding model warm), prints p50
and p95 per turn and per query embedding with the CPU model, and writes the figures to
``bench/results/dialogue_bench.json``.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the scenarios live with the tests

from bench.harness import cpu_model, percentile  # noqa: E402
from tests.voice.test_dialogue_scenarios import SCENARIOS  # noqa: E402

from ringline.voice.dialogue import Dialogue, bundled_embedder  # noqa: E402

RESULT = ROOT / "bench" / "results" / "dialogue_bench.json"


def turn_times(rounds: int) -> list[float]:
    embedder = bundled_embedder()
    times = []
    for _ in range(rounds):
        for scenario in SCENARIOS:
            dialogue = Dialogue(scenario.prompt, scenario.variables, embedder)
            dialogue.opening(scenario.first_message)
            for step in scenario.steps:
                started = time.perf_counter()
                reply = dialogue.respond(step.says)
                times.append(time.perf_counter() - started)
                if reply.end_call:
                    break
    return times


def embedding_times(rounds: int) -> list[float]:
    embedder = bundled_embedder()
    questions = [s.says for sc in SCENARIOS for s in sc.steps if s.says]
    times = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            embedder.queries([question])
            times.append(time.perf_counter() - started)
    return times


def row(name: str, seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    figures = {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "max_ms": round(max(ms), 2),
    }
    print(
        f"{name:<22}{figures['n']:>6}{figures['p50_ms']:>10.2f}{figures['p95_ms']:>10.2f}"
        f"{figures['max_ms']:>10.2f}"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    bundled_embedder().queries(["warm up"])
    load_ms = (time.perf_counter() - started) * 1000
    print(f"cpu: {cpu_model()}  model load + first query: {load_ms:.1f} ms")
    print(f"{'what':<22}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    table = {
        "dialogue turn": row("dialogue turn", turn_times(args.rounds)),
        "query embedding": row("query embedding", embedding_times(args.rounds)),
    }
    RESULT.parent.mkdir(exist_ok=True)
    result = {"cpu": cpu_model(), "rounds": args.rounds, "load_ms": load_ms, "figures": table}
    RESULT.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
