"""The simulated callee's ears (whisper) and voice (piper), both on the CPU.

The models are the bundled ones of ``ringline.voice.models``, loaded once per process
and shared with the agents' own speech.
"""

import asyncio
from functools import lru_cache

import numpy as np

from ringline.telephony.codec import PHONE_RATE, resample
from ringline.voice.models import PIPER_LOCK, piper_voice, whisper_model

__all__ = ["CalleeEars", "CalleeVoice"]

WHISPER_RATE = 16000
_SILENCE_RMS = 100  # int16 RMS below which piper's output is padding, not speech
_TRIM_SAMPLES = 80  # 10 ms windows at 8 kHz for trimming that padding


class CalleeEars:
    """Speech-to-text for what the callee hears on the line (8 kHz int16 PCM)."""

    def __init__(self, cpu_threads: int = 1) -> None:
        self.cpu_threads = cpu_threads

    def transcribe_now(self, pcm: np.ndarray) -> str:
        """The words in ``pcm``, computed on this thread."""
        if len(pcm) == 0:
            return ""
        audio = resample(pcm, PHONE_RATE, WHISPER_RATE).astype(np.float32) / 32768.0
        # Greedy decoding: each utterance is short and stands alone.
        segments, _ = whisper_model(self.cpu_threads).transcribe(
            audio, language="en", beam_size=1, condition_on_previous_text=False
        )
        return " ".join(segment.text.strip() for segment in segments).strip()

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
    voice = piper_voice()
    with PIPER_LOCK:  # shared with the agents' voices in this process
        pieces = [chunk.audio_int16_array for chunk in voice.synthesize(text)]
    if not pieces:
        return np.zeros(0, dtype=np.int16)
    speech = _trim_silence(resample(np.concatenate(pieces), voice.config.sample_rate, PHONE_RATE))
    speech.setflags(write=False)  # one array shared by every call that says it
    return speech


def _trim_silence(pcm: np.ndarray) -> np.ndarray:
    """``pcm`` without its quiet ends, so speech timings mark the words themselves."""
    windows = len(pcm) // _TRIM_SAMPLES
    if windows == 0:
        return pcm
    frames = pcm[: windows * _TRIM_SAMPLES].astype(np.float32).reshape(windows, _TRIM_SAMPLES)
    loud = np.flatnonzero(np.sqrt(np.mean(frames**2, axis=1)) >= _SILENCE_RMS)
    if len(loud) == 0:
        return pcm[:0]
    return pcm[loud[0] * _TRIM_SAMPLES : (loud[-1] + 1) * _TRIM_SAMPLES]
