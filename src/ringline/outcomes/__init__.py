"""Post-call analysis: a one- or two-sentence summary and a disposition label per call,
and the values of the fields its assistant asks to extract (``extraction``).

``BundledAnalyzer`` works offline (keyword rules, then the bundled SmolLM2 model);
``ChatAnalyzer`` asks any OpenAI-compatible chat endpoint. Both satisfy ``CallAnalyzer``.
"""

from ringline.outcomes.bundled import BundledAnalyzer
from ringline.outcomes.chat import AnalysisError, ChatAnalyzer
from ringline.outcomes.types import CallAnalysis, CallAnalyzer, Extraction, Utterance

__all__ = [
    "AnalysisError",
    "BundledAnalyzer",
    "CallAnalysis",
    "CallAnalyzer",
    "ChatAnalyzer",
    "Extraction",
    "Utterance",
]
