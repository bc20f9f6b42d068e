"""G.711 mu-law and resampling for phone audio: int16 PCM in numpy arrays.

Carriers move 8 kHz mu-law; whisper listens at 16 kHz and piper speaks at 22050 Hz.
The mu-law tables reproduce the stdlib ``audioop`` bit for bit (what Pipecat's
serializers use) without depending on a module that Python 3.13 removed.
"""

import numpy as np
import soxr

__all__ = [
    "FRAME_SAMPLES",
    "PHONE_RATE",
    "resample",
    "trim_silence",
    "ulaw_decode",
    "ulaw_encode",
]

PHONE_RATE = 8000
FRAME_SAMPLES = 160  # 20 ms at 8 kHz: one media message on a phone line

_SILENCE_RMS = 100  # int16 RMS below which synthesized audio is padding, not speech
_BIAS = 0x84
_CLIP = 8159  # largest magnitude of the 14-bit samples G.711 encodes
_SEGMENT_ENDS = np.array([0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF])


def _encode_table() -> np.ndarray:
    """The mu-law code of every int16 sample, indexed by the sample's uint16 bits."""
    samples = np.arange(-32768, 32768, dtype=np.int32)
    values = samples >> 2  # G.711 works on 14 bits
    mask = np.where(values < 0, 0x7F, 0xFF)
    magnitude = np.minimum(np.abs(values), _CLIP) + (_BIAS >> 2)
    segment = np.searchsorted(_SEGMENT_ENDS, magnitude)
    code = np.where(segment > 7, 0x7F, (segment << 4) | ((magnitude >> (segment + 1)) & 0xF))
    table = np.empty(65536, dtype=np.uint8)
    table[samples.astype(np.int16).view(np.uint16)] = code ^ mask
    return table


def _decode_table() -> np.ndarray:
    """The int16 sample of every mu-law code."""
    inverted = ~np.arange(256, dtype=np.int32) & 0xFF
    magnitude = (((inverted & 0x0F) << 3) + _BIAS) << ((inverted & 0x70) >> 4)
    return np.where(inverted & 0x80, _BIAS - magnitude, magnitude - _BIAS).astype(np.int16)


_ENCODE = _encode_table()
_DECODE = _decode_table()


def ulaw_encode(pcm: np.ndarray) -> bytes:
    """Mu-law bytes of int16 PCM, one byte per sample."""
    return _ENCODE[np.asarray(pcm, dtype=np.int16).view(np.uint16)].tobytes()


def ulaw_decode(data: bytes) -> np.ndarray:
    """Int16 PCM of mu-law bytes."""
    return _DECODE[np.frombuffer(data, dtype=np.uint8)]


def resample(pcm: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Int16 PCM at ``to_rate``; a whole utterance at once, so no stream state is kept."""
    if from_rate == to_rate:
        return np.asarray(pcm, dtype=np.int16)
    resampled: np.ndarray = soxr.resample(
        np.asarray(pcm, dtype=np.int16), from_rate, to_rate, quality="HQ"
    )
    return resampled


def trim_silence(pcm: np.ndarray, rate: int, keep_tail_seconds: float = 0.0) -> np.ndarray:
    """``pcm`` without its quiet start and with at most ``keep_tail_seconds`` of its quiet
    end (in 10 ms steps), so speech timings mark the words themselves."""
    window = rate // 100
    windows = len(pcm) // window
    if windows == 0:
        return pcm
    frames = pcm[: windows * window].astype(np.float32).reshape(windows, window)
    loud = np.flatnonzero(np.sqrt(np.mean(frames**2, axis=1)) >= _SILENCE_RMS)
    if len(loud) == 0:
        return pcm[:0]
    end = min(len(pcm), (loud[-1] + 1) * window + int(keep_tail_seconds * rate))
    return pcm[loud[0] * window : end]
