"""The callee's ear for keypad tones: DTMF (ITU-T Q.23) decoded from the agent's audio,
as a phone menu would, 20 ms at a time.

A key is one row and one column tone together: each clearly the strongest of its group,
the two holding most of the frame's energy. It counts once it has sounded for two frames
in a row, and again only after a frame without it.
"""

import numpy as np

from ringline.voice.codec import FRAME_SAMPLES, PHONE_RATE

__all__ = ["KeyTones"]

_ROWS = (697.0, 770.0, 852.0, 941.0)
_COLUMNS = (1209.0, 1336.0, 1477.0, 1633.0)
_KEYPAD = ("123A", "456B", "789C", "*0#D")
_TIMES = np.arange(FRAME_SAMPLES) / PHONE_RATE
# One complex probe per tone: the frame's projection on it is that tone's amplitude.
_PROBES = np.exp(-2j * np.pi * np.outer(_ROWS + _COLUMNS, _TIMES))
_TONE_SHARE = 0.7  # of the frame's energy in its row and column tones
_DOMINANCE = 4.0  # a tone over the next strongest of its group
_LOUD_RMS = 300.0


def key_in(frame: np.ndarray) -> str | None:
    """The key sounding in one 20 ms frame (int16 samples), or None."""
    samples = frame.astype(np.float64)
    energy = float(np.sum(samples**2))
    if energy < _LOUD_RMS**2 * FRAME_SAMPLES:
        return None
    power = np.abs(_PROBES @ samples) ** 2 * 2 / FRAME_SAMPLES
    rows, columns = power[:4], power[4:]
    row, column = int(np.argmax(rows)), int(np.argmax(columns))
    if not (_dominant(rows, row) and _dominant(columns, column)):
        return None
    if rows[row] + columns[column] < _TONE_SHARE * energy:
        return None
    return _KEYPAD[row][column]


def _dominant(powers: np.ndarray, strongest: int) -> bool:
    others = np.delete(powers, strongest)
    return bool(powers[strongest] > _DOMINANCE * others.max())


class KeyTones:
    """Keys heard so far (``keys``), fed the agent's audio as it plays."""

    def __init__(self) -> None:
        self.keys = ""
        self._pending = np.zeros(0, dtype=np.int16)
        self._sounding: str | None = None
        self._frames = 0
        self._counted = False

    def hear(self, pcm: np.ndarray) -> None:
        self._pending = np.concatenate([self._pending, pcm])
        while len(self._pending) >= FRAME_SAMPLES:
            frame, self._pending = self._pending[:FRAME_SAMPLES], self._pending[FRAME_SAMPLES:]
            self._frame(key_in(frame))

    def _frame(self, key: str | None) -> None:
        if key != self._sounding:
            self._sounding, self._frames, self._counted = key, 0, False
        self._frames += 1
        if key is not None and self._frames >= 2 and not self._counted:
            self.keys += key
            self._counted = True
