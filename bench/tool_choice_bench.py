"""How reliably the bundled dialogue uses an assistant's HTTP tools, and how long it takes.

    python bench/tool_choice_bench.py

Reads the labelled customer turns of ``tests/voice/data/tool_requests.json`` (turns that
ask for a tool, with the arguments they carry, and turns that ask for none; the ones
marked ``held_out`` were written after the rules, to check them), puts each to a fresh
dialogue with its assistant's prompt and tools, and prints the share right per set, the
tools used that nobody asked for, and the time of a fresh dialogue's first turn (tools
chosen, arguments read) with the CPU model; writes the figures to
``bench/results/tool_choice_bench.json``.
"""

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the labelled turns live with the tests

from bench.harness import cpu_model, percentile  # noqa: E402
from tests.voice.test_dialogue_tools import LABELLED, chosen, labelled_specs  # noqa: E402

RESULT = ROOT / "bench" / "results" / "tool_choice_bench.json"


def main() -> None:
    specs = labelled_specs()
    chosen(LABELLED["requests"][0], specs)  # the embedding model loaded and warm
    figures: dict[str, dict[str, float]] = {}
    times: list[float] = []
    for held_out in (False, True):
        requests = [r for r in LABELLED["requests"] if bool(r.get("held_out")) == held_out]
        right = unwanted = 0
        for request in requests:
            started = time.perf_counter()
            got = chosen(request, specs)
            times.append(time.perf_counter() - started)
            right += got == (request["tool"], request.get("arguments"))
            unwanted += request["tool"] is None and got[0] is not None
        figures["held out" if held_out else "written with the rules"] = {
            "turns": len(requests),
            "right": right,
            "tools nobody asked for": unwanted,
        }
    ms = [t * 1000 for t in times]
    figures["first turn ms"] = {
        "p50": round(statistics.median(ms), 1),
        "p95": round(percentile(ms, 0.95), 1),
    }
    print(f"CPU: {cpu_model()}")
    for name, row in figures.items():
        print(f"{name:24s} " + "  ".join(f"{k} {v}" for k, v in row.items()))
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps({"cpu": cpu_model(), **figures}, indent=2))


if __name__ == "__main__":
    main()
