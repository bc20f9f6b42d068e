"""Loading and exercising the bundled models before the first call needs them.

Left to the first call, loading whisper, piper, the VAD, the turn model and the dialogue
layer's embedder, and starting the bundled LLM, put about 3.5 s of silence before its
greeting. ``ringline serve`` warms
them at start instead, before it reports itself ready; tests that place no call skip it.
"""

import time

import numpy as np

from ringline.voice.models import PIPER_LOCK, piper_voice
from ringline.voice.stt import transcribe

__all__ = ["warm_speech_models"]

_SAMPLE_RATE = 16000


def warm_speech_models() -> dict[str, float]:
    """Load each bundled speech model and run it once; seconds each took, by name.

    Blocking: run it in a thread. The weights are cached for the process, and the first
    inference of each pays its one-off set-up (kernels, buffers) here too.
    """
    took: dict[str, float] = {}
    for name, warm in (
        ("whisper", _warm_whisper),
        ("piper", _warm_piper),
        ("vad", _warm_vad),
        ("turn model", _warm_turn_model),
        ("embedder", _warm_embedder),
    ):
        began = time.monotonic()
        warm()
        took[name] = time.monotonic() - began
    return took


def _warm_whisper() -> None:
    transcribe(np.zeros(_SAMPLE_RATE // 2, dtype=np.int16), _SAMPLE_RATE)


def _warm_piper() -> None:
    with PIPER_LOCK:
        list(piper_voice().synthesize("Hello."))


def _warm_vad() -> None:
    from pipecat.audio.vad.silero import SileroVADAnalyzer

    vad = SileroVADAnalyzer()
    vad.set_sample_rate(_SAMPLE_RATE)
    vad.voice_confidence(bytes(vad.num_frames_required() * 2))


def _warm_turn_model() -> None:
    from pipecat.audio.turn.smart_turn.local_smart_turn_v3 import LocalSmartTurnAnalyzerV3

    model = LocalSmartTurnAnalyzerV3()
    model._predict_endpoint(np.zeros(_SAMPLE_RATE, dtype=np.float32))


def _warm_embedder() -> None:
    from ringline.voice.dialogue import bundled_embedder

    bundled_embedder().queries(["Hello, who is calling?"])
