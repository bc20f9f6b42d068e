"""Answering machines on outbound calls: told from a person by what the greeting says,
and their beep heard, so that the agent hangs up or leaves its message after the tone.

A person picking up says a word or two ("Hello?"); a machine's greeting says what it is
("you've reached...", "...is not available", "leave a message after the tone"). The
first seconds of the call's transcript are matched against those phrases. Once a machine
is detected, the customer side is muted for the rest of the call (nothing the greeting
says reaches the dialogue), and the beep is listened for: a steady tone between 500 and
2,500 Hz holding most of the audio's energy for a fifth of a second.
"""

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pipecat.frames.frames import Frame, InputAudioRawFrame, TranscriptionFrame
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor
from pipecat.turns.user_mute.base_user_mute_strategy import BaseUserMuteStrategy

__all__ = ["VoicemailPlan", "VoicemailWatch", "is_machine_greeting"]

VoicemailAction = Literal["hang_up", "leave_message"]

# How long into the call a greeting is still taken for a machine's: a person talking
# about voicemail later in a conversation is not one.
LISTEN_SECONDS = 20.0
_GREETING = re.compile(
    r"\b(?:"
    r"you(?:'ve| have) reached|"
    r"(?:is|are) (?:not|un) ?available|"
    r"(?:can ?not|can't|unable to) (?:take|answer|come to) (?:your|the|this) (?:call|phone)|"
    r"leave (?:a|your|me a|us a) (?:message|voice ?mail)|"
    r"after the (?:tone|beep)|at the (?:tone|beep)|"
    r"record your message|voice ?mail|mailbox|"
    r"(?:isn't|is not) (?:here|available) right now"
    r")",
    re.IGNORECASE,
)

BEEP_SECONDS = 0.2  # a machine's beep lasts 0.3 to 1 s
# A machine whose beep is not heard this long after its greeting was recognised gets
# the message all the same (some beep too softly, some do not beep at all).
BEEP_WAIT_SECONDS = 12.0
_BEEP_BAND = (500.0, 2500.0)
_TONAL_SHARE = 0.6  # of a frame's energy within 2 bins of its peak
_LOUD_RMS = 300.0  # of 16-bit samples: well above line noise
_STEADY_HZ = 60.0  # how far a beep's pitch may wander between frames


def is_machine_greeting(text: str) -> bool:
    return _GREETING.search(text) is not None


@dataclass(frozen=True)
class VoicemailPlan:
    """What an outbound call does when a machine answers: hang up, or wait for the beep
    and say ``message`` (its variables filled in)."""

    action: VoicemailAction
    message: str = ""


def tone_pitch(frame: bytes, sample_rate: int) -> float | None:
    """The pitch of ``frame`` (16-bit mono PCM) if it is a loud, pure tone in the beep's
    band; None for speech, noise and silence."""
    samples = np.frombuffer(frame, dtype=np.int16).astype(np.float32)
    if samples.size < 64 or float(np.sqrt(np.mean(samples**2))) < _LOUD_RMS:
        return None
    power = np.abs(np.fft.rfft(samples * np.hanning(samples.size))) ** 2
    peak = int(np.argmax(power[1:])) + 1
    share = float(power[max(peak - 2, 0) : peak + 3].sum() / power.sum())
    pitch = peak * sample_rate / samples.size
    if share < _TONAL_SHARE or not _BEEP_BAND[0] <= pitch <= _BEEP_BAND[1]:
        return None
    return pitch


class BeepEar:
    """Hears a beep: frames of one steady pitch for ``BEEP_SECONDS`` in a row."""

    def __init__(self) -> None:
        self._pitch: float | None = None
        self._held = 0.0

    def hear(self, frame: bytes, sample_rate: int) -> bool:
        pitch = tone_pitch(frame, sample_rate)
        seconds = len(frame) / 2 / sample_rate
        if pitch is None:
            self._held = 0.0
        elif self._pitch is not None and abs(pitch - self._pitch) <= _STEADY_HZ:
            self._held += seconds
        else:
            self._held = seconds
        self._pitch = pitch
        return self._held >= BEEP_SECONDS


class CustomerMute(BaseUserMuteStrategy):
    """Mutes the customer side once a machine is detected: its greeting is no turn."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.muted = False

    async def process_frame(self, frame: Frame) -> bool:
        await super().process_frame(frame)
        return self.muted


class VoicemailWatch(FrameProcessor):
    """Between the STT and the turns: calls ``on_machine`` when the greeting reads as a
    machine's, then, once told to ``wait_for_beep``, ``on_beep`` at its beep (or when it
    is overdue). Every frame passes on unchanged."""

    def __init__(
        self,
        on_machine: Callable[[], Awaitable[None]],
        on_beep: Callable[[], Awaitable[None]],
    ) -> None:
        super().__init__()
        self.mute = CustomerMute()
        self._on_machine = on_machine
        self._on_beep = on_beep
        self._ear = BeepEar()
        self._started = time.monotonic()
        self.machine = False
        self._beeped = False
        self._overdue: asyncio.TimerHandle | None = None

    def answered(self) -> None:
        self._started = time.monotonic()

    def wait_for_beep(self) -> None:
        self._overdue = asyncio.get_running_loop().call_later(
            BEEP_WAIT_SECONDS, lambda: asyncio.ensure_future(self._beep())
        )

    def close(self) -> None:
        if self._overdue is not None:
            self._overdue.cancel()

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, TranscriptionFrame):
            await self._read(frame.text)
        elif isinstance(frame, InputAudioRawFrame) and self._beep_in(frame):
            await self._beep()
        await self.push_frame(frame, direction)

    def _beep_in(self, frame: InputAudioRawFrame) -> bool:
        if self._overdue is None or self._beeped:
            return False
        return self._ear.hear(frame.audio, frame.sample_rate)

    async def _beep(self) -> None:
        if self._beeped:
            return
        self._beeped = True
        self.close()
        await self._on_beep()

    async def _read(self, text: str) -> None:
        listening = time.monotonic() - self._started <= LISTEN_SECONDS
        if self.machine or not listening or not is_machine_greeting(text):
            return
        self.machine = True
        self.mute.muted = True
        await self._on_machine()
