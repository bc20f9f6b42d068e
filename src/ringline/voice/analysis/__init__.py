"""Post-call analysis: a one- or two-sentence summary and a disposition label per call.

``BundledAnalyzer`` works offline (keyword rules, then the bundled SmolLM2 model);
``ChatAnalyzer`` asks any OpenAI-compatible chat endpoint. Both satisfy ``CallAnalyzer``.
"""

from ringline.voice.analysis.bundled import BundledAnalyzer
from ringline.voice.analysis.chat import AnalysisError, ChatAnalyzer
from ringline.voice.analysis.types import CallAnalysis, CallAnalyzer, Turn

__all__ = [
    "AnalysisError",
    "BundledAnalyzer",
    "CallAnalysis",
    "CallAnalyzer",
    "ChatAnalyzer",
    "Turn",
]
