"""Speech-to-text on the bundled Whisper: time and word error rate per encoder window.

Speaks the customer lines of the tests' conversation scenarios and of the disposition
sets with piper, over the phone line's 8 kHz, and transcribes each with ``voice.stt`` in
windows of the given lengths (0: the utterance and half a second of silence only; 30:
Whisper's full window, as faster-whisper pads it).

    python bench/stt_bench.py                  # windows 0, 6, 10, 30 s
    python bench/stt_bench.py --windows 4 6 8

Prints a table and writes bench/results/stt_bench.json.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.harness import cpu_model, percentile  # noqa: E402
from tests.simulation.wer import word_error_rate, words  # noqa: E402

from ringline.simulation.speech import CalleeVoice  # noqa: E402
from ringline.voice.codec import PHONE_RATE  # noqa: E402
from ringline.voice.stt import transcribe  # noqa: E402

SETS = [
    ROOT / "tests" / "e2e" / "data" / "conversations.yaml",
    ROOT / "bench" / "data" / "disposition_calls_a.yaml",
    ROOT / "bench" / "data" / "disposition_calls_b.yaml",
]


def customer_lines() -> list[str]:
    lines: set[str] = set()
    for path in SETS:
        data = yaml.safe_load(path.read_text())
        for entry in data.get("scenarios", []) + data.get("calls", []):
            lines.update(line for line in entry.get("replies", []) if isinstance(line, str))
    return sorted(lines)


def measure(spoken: list[tuple[str, np.ndarray]], window: float) -> dict:
    seconds, errors, reference_words = [], 0.0, 0
    for text, pcm in spoken:
        started = time.perf_counter()
        heard = transcribe(pcm, PHONE_RATE, window_seconds=window)
        seconds.append(time.perf_counter() - started)
        errors += word_error_rate(text, heard) * len(words(text))
        reference_words += len(words(text))
    return {
        "window_seconds": window,
        "lines": len(spoken),
        "p50_ms": round(percentile(seconds, 0.5) * 1000),
        "p95_ms": round(percentile(seconds, 0.95) * 1000),
        "word_error_rate": round(errors / max(reference_words, 1), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=float, nargs="+", default=[0, 6, 10, 30])
    args = parser.parse_args()
    voice = CalleeVoice()
    spoken = [(text, voice.synthesize_now(text)) for text in customer_lines()]
    transcribe(spoken[0][1], PHONE_RATE)  # load the model outside the timings
    print(f"CPU: {cpu_model()}   customer lines: {len(spoken)}")
    print(f"{'window s':>9}{'p50 ms':>9}{'p95 ms':>9}{'WER %':>8}")
    rows = []
    for window in args.windows:
        row = measure(spoken, window)
        rows.append(row)
        print(
            f"{window:>9g}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['word_error_rate'] * 100:>8.1f}"
        )
    out = ROOT / "bench" / "results" / "stt_bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"cpu": cpu_model(), "rows": rows}, indent=2))
    print(f"written: {out}")


if __name__ == "__main__":
    main()
