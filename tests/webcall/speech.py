"""A caller's voice as a WAV file, spoken by the bundled piper voice: the fake microphone."""

import wave
from pathlib import Path

import numpy as np

from ringline.voice.codec import resample
from ringline.voice.models import PIPER_LOCK, piper_voice

RATE = 16000


def spoken_wav(path: Path, text: str, lead_seconds: float = 1.0, tail_seconds: float = 6.0) -> Path:
    """``text`` spoken, with silence before it and enough after it for the turn to end."""
    voice = piper_voice()
    with PIPER_LOCK:
        pieces = [chunk.audio_int16_array for chunk in voice.synthesize(text)]
    speech = resample(np.concatenate(pieces), voice.config.sample_rate, RATE)
    silence = [np.zeros(int(RATE * s), dtype=np.int16) for s in (lead_seconds, tail_seconds)]
    audio = np.concatenate([silence[0], speech, silence[1]]).astype(np.int16)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(audio.tobytes())
    return path
