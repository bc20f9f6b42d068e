"""The simulated callee's ears (whisper) and voice (piper), both on the CPU.

The models are the bundled ones of ``ringline.voice.models``, loaded once per process
and shared with the agents' own speech. A line may hold pauses, ``"Yes, this is Rahul.
[pause 0.4] Go ahead."``: silence of that many seconds where the marker stands, as a
person pausing in the middle of what they say.
"""

import asyncio
import re
from functools import lru_cache

import numpy as np

from ringline.voice.codec import PHONE_RATE, resample, trim_silence
from ringline.voice.models import PIPER_LOCK, piper_voice
from ringline.voice.stt import transcribe

__all__ = ["CalleeEars", "CalleeVoice", "words_of"]

_PAUSE = re.compile(r"\s*\[pause (\d+(?:\.\d+)?)\]\s*")


def words_of(line: str) -> str:
    """What a scripted line says, its pauses left out."""
    return _PAUSE.sub(" ", line).strip()


class CalleeEars:
    """Speech-to-text for what the callee hears on the line (8 kHz int16 PCM)."""

    def __init__(self, cpu_threads: int = 1) -> None:
        self.cpu_threads = cpu_threads

    def transcribe_now(self, pcm: np.ndarray) -> str:
        """The words in ``pcm``, computed on this thread."""
        return transcribe(pcm, PHONE_RATE, self.cpu_threads)

    async def transcribe(self, pcm: np.ndarray) -> str:
        """The words in ``pcm``, computed off the event loop so the line keeps its pace."""
        return await asyncio.to_thread(self.transcribe_now, pcm)


class CalleeVoice:
    """Text-to-speech for what the callee says, as 8 kHz int16 PCM."""

    def synthesize_now(self, text: str) -> np.ndarray:
        """``text`` spoken, computed on this thread, without leading or trailing silence."""
        return _spoken(text)

    async def synthesize(self, text: str) -> np.ndarray:
        """``text`` spoken, computed off the event loop."""
        return await asyncio.to_thread(self.synthesize_now, text)


@lru_cache(maxsize=512)
def _spoken(text: str) -> np.ndarray:
    # Scripted callees repeat the same replies call after call: synthesize each once.
    pieces = _PAUSE.split(text)  # text, seconds, text, seconds, ... text
    if len(pieces) > 1:
        spoken = [
            _spoken(piece) if index % 2 == 0 else np.zeros(int(float(piece) * PHONE_RATE), np.int16)
            for index, piece in enumerate(pieces)
        ]
        speech = np.concatenate(spoken)
        speech.setflags(write=False)
        return speech
    voice = piper_voice()
    with PIPER_LOCK:  # shared with the agents' voices in this process
        pieces = [chunk.audio_int16_array for chunk in voice.synthesize(text)]
    if not pieces:
        return np.zeros(0, dtype=np.int16)
    speech = trim_silence(
        resample(np.concatenate(pieces), voice.config.sample_rate, PHONE_RATE), PHONE_RATE
    )
    speech.setflags(write=False)  # one array shared by every call that says it
    return speech
