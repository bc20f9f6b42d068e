"""The simulated callee's speech on this machine: piper synthesis and whisper transcription.

    OPENBLAS_NUM_THREADS=1 python bench/callee_bench.py [--cpu-threads 1] [--repeats 5]

Each sentence is synthesized to 8 kHz phone audio, then that audio is transcribed,
``--repeats`` times after one warm-up. Prints a table of medians and writes the figures
to ``bench/results/callee_bench.json``.
"""

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ringline.simulation import CalleeEars, CalleeVoice
from ringline.voice.codec import PHONE_RATE

RESULT = Path(__file__).resolve().parent / "results" / "callee_bench.json"
SENTENCES = [
    "No thanks.",
    "Yes, this is a good time to talk.",
    "I would like to renew my policy next week, but I need to check the price with my wife first.",
]


def median_seconds(work: Callable[[], object], repeats: int) -> float:
    work()  # the first call loads the model
    times = []
    for _ in range(repeats):
        started = time.monotonic()
        work()
        times.append(time.monotonic() - started)
    return statistics.median(times)


def measure(sentence: str, ears: CalleeEars, voice: CalleeVoice, repeats: int) -> dict:
    audio = voice.synthesize_now(sentence)
    return {
        "sentence": sentence,
        "audio_seconds": len(audio) / PHONE_RATE,
        "piper_ms": median_seconds(lambda: voice.synthesize_now(sentence), repeats) * 1000,
        "whisper_ms": median_seconds(lambda: ears.transcribe_now(audio), repeats) * 1000,
        "heard": ears.transcribe_now(audio),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu-threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    ears, voice = CalleeEars(cpu_threads=args.cpu_threads), CalleeVoice()
    rows = [measure(sentence, ears, voice, args.repeats) for sentence in SENTENCES]
    table = Table(title=f"callee speech, whisper cpu_threads={args.cpu_threads}")
    for column in ("audio s", "piper ms", "whisper ms", "heard"):
        table.add_column(column)
    for row in rows:
        seconds = f"{row['audio_seconds']:.2f}"
        table.add_row(seconds, f"{row['piper_ms']:.0f}", f"{row['whisper_ms']:.0f}", row["heard"])
    Console().print(table)
    RESULT.parent.mkdir(exist_ok=True)
    machine = {"cpu_count": os.cpu_count(), "python": platform.python_version()}
    figures = {"cpu_threads": args.cpu_threads, "machine": machine, "rows": rows}
    RESULT.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
