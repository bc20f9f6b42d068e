"""Retrieval from an assistant's documents at 10,000 chunks: the search alone, the search
with the embedding of the customer's turn (what a turn waits for), and a whole dialogue
turn answering from the documents.

    python bench/knowledge_bench.py [--chunks N] [--rounds N]

The chunks' vectors are random unit vectors of the model's size (what a search costs does
not depend on what the chunks say); a few real chunks are among them, so that the dialogue
turns find their answers. Prints p50 and p95 in milliseconds and writes the figures to
``bench/results/knowledge_bench.json``.
"""

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import cpu_model, percentile  # noqa: E402

from ringline.voice.dialogue import Dialogue, bundled_embedder  # noqa: E402
from ringline.voice.dialogue.documents import EMBEDDING_DTYPE, DocumentIndex  # noqa: E402

RESULT = ROOT / "bench" / "results" / "knowledge_bench.json"
PROMPT = "You are Priya from Acme Insurance calling about a health policy renewal."
REAL = [
    "Pre-existing illnesses are covered after a waiting period of three years.",
    "Cashless claims are settled at any of our 9,000 network hospitals.",
    "A critical illness rider can be added at renewal for 2,100 rupees a year.",
    "Dental treatment is covered only after an accident.",
]
QUESTIONS = [
    "How long is the waiting period for pre-existing illnesses?",
    "Can I get cashless treatment at a hospital?",
    "How much is the critical illness rider?",
    "Is dental treatment covered?",
    "What time does the office open?",
]


def index_of(chunks: int) -> DocumentIndex:
    """``chunks`` chunks, built from float32 bytes as a call's plan builds them."""
    real = bundled_embedder().documents(REAL)
    rng = np.random.default_rng(7)
    noise = rng.standard_normal((chunks - len(REAL), real.shape[1])).astype(EMBEDDING_DTYPE)
    vectors = np.concatenate([real, noise])
    texts = REAL + [f"Filler passage {i}." for i in range(len(noise))]
    rows = [(t, "Policy", v.tobytes()) for t, v in zip(texts, vectors, strict=True)]
    started = time.perf_counter()
    index = DocumentIndex.from_blobs(rows)
    print(f"index of {chunks} chunks built in {(time.perf_counter() - started) * 1000:.1f} ms")
    return index


def timed(rounds: int, step: Callable[[str], object]) -> list[float]:
    times = []
    for _ in range(rounds):
        for question in QUESTIONS:
            started = time.perf_counter()
            step(question)
            times.append(time.perf_counter() - started)
    return times


def row(name: str, seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    figures = {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
    }
    print(f"{name:<34}{figures['n']:>6}{figures['p50_ms']:>10.2f}{figures['p95_ms']:>10.2f}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    embedder = bundled_embedder()
    index = index_of(args.chunks)
    queries = {q: embedder.queries([q])[0] for q in QUESTIONS}
    dialogue = Dialogue(PROMPT, {}, embedder, index)
    print(f"cpu: {cpu_model()}")
    print(f"{'what':<34}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}")
    table = {
        "search": row("search (top 5)", timed(args.rounds, lambda q: index.nearest(queries[q], 5))),
        "retrieval": row(
            "retrieval (embed turn + search)",
            timed(args.rounds, lambda q: index.search(embedder, q, 5)),
        ),
        "dialogue turn": row("dialogue turn with documents", timed(args.rounds, dialogue.respond)),
    }
    RESULT.parent.mkdir(exist_ok=True)
    result = {"cpu": cpu_model(), "chunks": args.chunks, "rounds": args.rounds, "figures": table}
    RESULT.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
