"""Post-call analysis that runs fully offline on the bundled SmolLM2 model."""

import asyncio
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ringline.outcomes.extraction import extract
from ringline.outcomes.intents import intent_position
from ringline.outcomes.labels import all_known, label_for, phrases
from ringline.outcomes.rules import Finding, read_position
from ringline.outcomes.scoring import PhraseScorer
from ringline.outcomes.summary import silent_call, summarise
from ringline.outcomes.types import CallAnalysis, Extraction, Utterance, fallback_label
from ringline.voice.models import smollm2_gguf

if TYPE_CHECKING:
    from llama_cpp import Llama

# How far the best label's calibrated score must lead the runner-up before the model's
# choice is taken over "other"; below it the model is guessing (see the module tests).
DEFAULT_MARGIN = 1.0


class BundledAnalyzer:
    """Rules first; the bundled model only for calls the rules cannot place."""

    def __init__(self, n_threads: int = 1, margin: float = DEFAULT_MARGIN) -> None:
        # One thread by default: analysis runs beside live calls and must not starve them.
        self.n_threads = n_threads
        self.margin = margin
        self._scorer: PhraseScorer | None = None
        self._lock = threading.Lock()  # one llama context, one user at a time

    async def analyze(
        self,
        turns: Sequence[Utterance],
        labels: Sequence[str],
        extraction: Extraction | None = None,
    ) -> CallAnalysis:
        return await asyncio.to_thread(self.analyze_sync, turns, labels, extraction)

    def analyze_sync(
        self,
        turns: Sequence[Utterance],
        labels: Sequence[str],
        extraction: Extraction | None = None,
    ) -> CallAnalysis:
        """The blocking analysis, for callers already off the event loop."""
        if not labels:
            raise ValueError("at least one disposition label is needed")
        silent = silent_call(turns, labels)
        if silent is not None:
            return silent
        finding = read_position(turns) or intent_position(turns)
        disposition = self._decide(turns, labels, finding)
        analysis = CallAnalysis(summarise(turns, disposition, finding), disposition)
        if extraction is None:
            return analysis
        return replace(analysis, extracted=extract(turns, extraction.schema, extraction.now))

    def _decide(
        self, turns: Sequence[Utterance], labels: Sequence[str], finding: Finding | None
    ) -> str:
        if finding is not None:
            label = label_for(finding.signal, labels)
            if label is not None:
                return label
            if all_known(labels):
                return fallback_label(labels)  # no offered label means what was found
        return self._ask_model(turns, labels) or fallback_label(labels)

    def _ask_model(self, turns: Sequence[Utterance], labels: Sequence[str]) -> str | None:
        options = {label: phrases(label) for label in labels}
        with self._lock:
            scores = self._load().calibrated(turns, [p for ps in options.values() for p in ps])
        best = sorted(
            ((max(scores[p] for p in ps), label) for label, ps in options.items()), reverse=True
        )
        if len(best) > 1 and best[0][0] - best[1][0] < self.margin:
            return None
        return best[0][1]

    def _load(self) -> PhraseScorer:
        if self._scorer is None:
            self._scorer = PhraseScorer(_open_model(self.n_threads))
        return self._scorer


def _open_model(n_threads: int) -> "Llama":
    from llama_cpp import Llama  # heavy; only servers that analyse calls pay for it

    return Llama(str(smollm2_gguf()), n_ctx=2048, n_threads=n_threads, verbose=False)
