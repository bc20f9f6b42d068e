"""The callee's side of the agent's audio: a playout buffer like a phone's, and turn tracking.

Servers send agent audio faster than real time (Pipecat sends at about twice real
time) and the phone plays it out in order, so what the callee hears, and when, is
computed on the playout timeline, not from arrival times. ``clear`` drops whatever
is still queued, as Twilio does.
"""

import base64
import json
import time
from typing import Any

import numpy as np
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from ringline.voice.codec import FRAME_SAMPLES, PHONE_RATE, ulaw_decode

from .keys import KeyTones
from .report import CalleeReport, Latency

__all__ = ["AgentAudio", "Earpiece", "END_OF_TURN_SECONDS"]

END_OF_TURN_SECONDS = 0.7  # agent silence that ends its turn
VOICE_RMS = 200.0  # int16 RMS of a 20 ms frame above which the agent is speaking (about -44 dBFS)
_FRAME_SECONDS = FRAME_SAMPLES / PHONE_RATE


class AgentAudio:
    """The agent audio heard between two of the callee's decisions to speak."""

    def __init__(self, opened_at: float) -> None:
        self.opened_at = opened_at
        self.pieces: list[tuple[float, np.ndarray]] = []  # (playout start, samples)
        self.voice_started_at: float | None = None  # playout time of the first speech
        self.voice_ended_at = opened_at  # playout time the last speech finished

    def finished(self, now: float) -> bool:
        """Whether the agent spoke and has since been silent long enough to end its turn."""
        return self.voice_started_at is not None and self.quiet(now)

    def quiet(self, now: float) -> bool:
        """Whether the agent has been silent long enough to end a turn."""
        return now >= self.voice_ended_at + END_OF_TURN_SECONDS

    def audio(self) -> np.ndarray:
        if not self.pieces:
            return np.zeros(0, dtype=np.int16)
        return np.concatenate([samples for _, samples in self.pieces])

    def cut(self, at: float) -> None:
        """Forget everything that would have played after ``at``."""
        kept = []
        for start, samples in self.pieces:
            if start < at:
                kept.append((start, samples[: int((at - start) * PHONE_RATE)]))
        self.pieces = kept
        if self.voice_started_at is not None and self.voice_started_at >= at:
            self.voice_started_at = None
        self.voice_ended_at = min(self.voice_ended_at, at)


class Earpiece:
    """Receives the agent's side of the stream and keeps the callee's account of it."""

    def __init__(self, report: CalleeReport) -> None:
        self.report = report
        self.turn = AgentAudio(time.monotonic())
        self.playout_end = 0.0
        self._marks: list[tuple[float, str]] = []  # (playout time reached, name)
        self._reply_sent_at: float | None = None
        self._keys = KeyTones()

    async def listen(self, ws: ClientConnection) -> None:
        """Handle the server's messages until it closes the socket (the agent hung up)."""
        try:
            async for message in ws:
                self._handle(json.loads(message), time.monotonic())
        except ConnectionClosed:
            pass

    def _handle(self, message: dict[str, Any], now: float) -> None:
        event = message.get("event")
        if event == "media":
            self.hear(ulaw_decode(base64.b64decode(message["media"]["payload"])), now)
        elif event == "clear":
            self.clear(now)
        elif event == "mark":
            self._marks.append((max(self.playout_end, now), message["mark"]["name"]))

    def hear(self, pcm: np.ndarray, now: float) -> None:
        if len(pcm) == 0:
            return
        start = max(self.playout_end, now)
        self.playout_end = start + len(pcm) / PHONE_RATE
        self.report.agent_audio_seconds += len(pcm) / PHONE_RATE
        self.turn.pieces.append((start, pcm))
        self._keys.hear(pcm)
        self.report.keys_heard = self._keys.keys
        voiced = np.flatnonzero(_frame_rms(pcm) > VOICE_RMS)
        if len(voiced):
            ends_at = min(start + float(voiced[-1] + 1) * _FRAME_SECONDS, self.playout_end)
            self._heard_voice(start + float(voiced[0]) * _FRAME_SECONDS, ends_at, now)

    def _heard_voice(self, starts_at: float, ends_at: float, now: float) -> None:
        if self.turn.voice_started_at is None:
            self.turn.voice_started_at = starts_at
        self.turn.voice_ended_at = max(self.turn.voice_ended_at, ends_at)
        if self._reply_sent_at is not None:
            self.report.latencies.append(Latency(self._reply_sent_at, now))
            self._reply_sent_at = None

    def clear(self, now: float) -> None:
        self.report.clears.append(now)
        self.turn.cut(now)
        self.playout_end = min(self.playout_end, now)
        # Twilio answers pending marks at once when their audio is dropped.
        self._marks = [(min(due, now), name) for due, name in self._marks]

    def due_marks(self, now: float) -> list[str]:
        """Names of the marks whose audio has finished playing, to echo back now."""
        due = [name for at, name in self._marks if at <= now]
        self._marks = [(at, name) for at, name in self._marks if at > now]
        return due

    def next_turn(self) -> None:
        self.turn = AgentAudio(time.monotonic())

    def expect_reply(self, since: float) -> None:
        """Time the agent's next speech from ``since``, when the callee stopped talking."""
        self._reply_sent_at = since


def _frame_rms(pcm: np.ndarray) -> np.ndarray:
    """RMS of each 20 ms frame of ``pcm``, the last one zero-padded."""
    frames = -(-len(pcm) // FRAME_SAMPLES)
    padded = np.zeros(frames * FRAME_SAMPLES, dtype=np.float32)
    padded[: len(pcm)] = pcm
    rms: np.ndarray = np.sqrt(np.mean(padded.reshape(frames, FRAME_SAMPLES) ** 2, axis=1))
    return rms
