"""A simulated callee: rings, answers (or not), and holds a spoken conversation.

The sandbox carrier asks ``ring_plan`` what the phone does when dialled, then,
for an answered call, runs ``converse`` against the voice engine's media-stream
WebSocket, speaking Twilio's Media Streams protocol as Twilio itself would.
"""

import asyncio
import contextlib
import re
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from ringline.voice.codec import PHONE_RATE

from .ear import AgentAudio, Earpiece
from .line import PhoneLine
from .persona import Persona
from .report import BargeIn, CalleeReport, Exchange, Speech
from .speech import CalleeEars, CalleeVoice, words_of

__all__ = [
    "Behaviour",
    "OPENING_WAIT_SECONDS",
    "RING_SECONDS",
    "RingPlan",
    "SimulatedCallee",
    "VOICEMAIL_GREETING",
]

RING_SECONDS = 6.0  # one ring cycle: 2 s of tone and 4 s of pause
_TICK_SECONDS = 0.02  # how often the callee checks whether the agent has finished
# A person who picks up and hears nothing says their opening line after this long.
OPENING_WAIT_SECONDS = 1.5
BEEP_HZ, BEEP_SECONDS = 1000.0, 0.6
# A reply of "[press 12#]" presses those keys instead of speaking.
_PRESS = re.compile(r"\[press ([0-9*#]+)\]")
VOICEMAIL_GREETING = (
    "Hi, you have reached Sam Carter. I can't take your call right now. "
    "Please leave a message after the tone."
)

ListenOutcome = Literal["finished", "interrupt", "silence"]


@dataclass(frozen=True)
class Behaviour:
    """How the callee's phone and the person holding it behave.

    ``rings``: rings before answering. ``hangup_after_seconds``: hang up this long
    after answering, whatever is happening. ``interrupt_after_seconds``: this long
    into the agent's turn number ``interrupt_turn`` (counted from 1), start replying
    over it; the voice starts once the reply is transcribed, written and synthesized
    (about 0.4 s more here), and the report says exactly when.
    ``patience_seconds``: hang up when the agent stays silent this long.
    ``answer="voicemail"``: an answering machine picks up, says ``voicemail_greeting``,
    beeps, and records what the agent says until it stops (the report's one turn).
    """

    answer: Literal["answer", "no-answer", "busy", "fail", "voicemail"] = "answer"
    rings: int = 1
    hangup_after_seconds: float | None = None
    interrupt_after_seconds: float | None = None
    interrupt_turn: int = 1
    patience_seconds: float = 20.0
    voicemail_greeting: str = VOICEMAIL_GREETING


@dataclass(frozen=True)
class RingPlan:
    """What the carrier reports for a dialled callee: ``status`` (a call status of the
    API) after ``after_seconds``, preceded by ``ringing`` when the phone rings."""

    status: Literal["in-progress", "no-answer", "busy", "failed"]
    after_seconds: float
    ringing: bool


class SimulatedCallee:
    def __init__(
        self,
        behaviour: Behaviour,
        persona: Persona,
        ears: CalleeEars | None = None,
        voice: CalleeVoice | None = None,
        opening: str | None = None,
    ) -> None:
        """``opening``: said on picking up when the agent does not speak first ("Hello?")."""
        self.behaviour = behaviour
        self.persona = persona
        self.opening = opening
        self.ears = ears or CalleeEars()
        self.voice = voice or CalleeVoice()

    def ring_plan(
        self, ring_timeout_seconds: float, ring_seconds: float = RING_SECONDS
    ) -> RingPlan:
        """What happens when dialled with ``ring_timeout_seconds`` of patience;
        ``ring_seconds`` shortens rings in tests and demos."""
        answer = self.behaviour.answer
        if answer in ("busy", "fail"):
            return RingPlan("busy" if answer == "busy" else "failed", 0.0, ringing=False)
        answers_after = self.behaviour.rings * ring_seconds
        if answer == "no-answer" or answers_after > ring_timeout_seconds:
            return RingPlan("no-answer", ring_timeout_seconds, ringing=True)
        return RingPlan("in-progress", answers_after, ringing=self.behaviour.rings > 0)

    async def converse(self, ws_url: str, start: dict[str, Any]) -> CalleeReport:
        """Hold the answered call on the media stream at ``ws_url`` until either side hangs up.

        ``start`` is the body of the Twilio ``start`` message (``streamSid``, ``callSid``,
        ``customParameters``...).
        """
        async with connect(ws_url) as ws:
            report = CalleeReport(connected_at=time.monotonic())
            ear = Earpiece(report)
            line = PhoneLine(ws, start, ear)
            await line.open()
            report.hung_up_by = await self._run_call(line, ear, ws)
            if self.behaviour.answer == "voicemail":
                await self._keep_recording(ear)
            if report.hung_up_by == "callee":
                await _hang_up(line)
        report.ended_at = time.monotonic()
        report.frames_sent = line.frames_sent
        return report

    async def _run_call(
        self, line: PhoneLine, ear: Earpiece, ws: ClientConnection
    ) -> Literal["callee", "agent"]:
        """Run the line, the earpiece and the conversation until one of them ends the call."""
        hung_up_by: dict[asyncio.Task[None], Literal["callee", "agent"]] = {
            asyncio.create_task(ear.listen(ws), name="callee-ear"): "agent",
            asyncio.create_task(line.run(), name="callee-line"): "agent",
            asyncio.create_task(self._talk(line, ear), name="callee-talk"): "callee",
        }
        try:
            done, _ = await asyncio.wait(
                hung_up_by,
                timeout=self.behaviour.hangup_after_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            # One teardown whether the call ended or ``converse`` itself was cancelled.
            for task in hung_up_by:
                task.cancel()
            await asyncio.gather(*hung_up_by, return_exceptions=True)
        for task in done:
            task.result()  # a failed persona or model must not pass for a hang-up
        return hung_up_by[done.pop()] if done else "callee"

    def _talk(self, line: PhoneLine, ear: Earpiece) -> Coroutine[Any, Any, None]:
        if self.behaviour.answer == "voicemail":
            return self._answering_machine(line, ear)
        return self._conversation(line, ear)

    async def _answering_machine(self, line: PhoneLine, ear: Earpiece) -> None:
        """The greeting and its beep, whatever the agent says meanwhile; then what the
        agent says is recorded until it stops (or never starts)."""
        greeting = await self.voice.synthesize(self.behaviour.voicemail_greeting)
        silence = np.zeros(int(0.4 * PHONE_RATE), np.int16)
        started_at, ended_at = await line.speak(np.concatenate([greeting, silence, _beep()]))
        ear.next_turn()  # what the agent says from the beep on is the message
        ear.expect_reply(ended_at)
        turn = ear.turn
        said = Speech(words_of(self.behaviour.voicemail_greeting), started_at, ended_at)
        ear.report.turns.append(Exchange(None, said))  # so far, nothing recorded
        await self._listen(turn, number=0)
        text = await self.ears.transcribe(turn.audio())
        ear.report.turns[-1] = Exchange(_heard(turn, text), said)

    async def _keep_recording(self, ear: Earpiece) -> None:
        """A machine records until the line goes down: what the agent said by then."""
        turns = ear.report.turns
        if turns and turns[-1].heard is None:
            text = await self.ears.transcribe(ear.turn.audio())
            turns[-1] = Exchange(_heard(ear.turn, text), turns[-1].said)

    async def _conversation(self, line: PhoneLine, ear: Earpiece) -> None:
        """Answer each agent turn until the persona or the agent's silence ends the call."""
        heard: list[str] = []
        said: list[str] = []
        opened = await self._open(line, ear)
        while True:
            turn = ear.turn
            outcome = await self._listen(turn, number=len(ear.report.turns) + 1 - opened)
            if outcome == "silence":
                return
            if outcome == "finished":
                ear.next_turn()  # agent audio from now on is its next turn
            text = await self.ears.transcribe(turn.audio())
            reply = await self.persona.reply([*heard, text], said)
            speech = None if reply is None else await self._say(line, ear, reply)
            if outcome == "interrupt":
                text = await self._after_talking_over(turn, ear, speech)
            interrupted = outcome == "interrupt"
            ear.report.turns.append(Exchange(_heard(turn, text), speech, interrupted))
            if reply is None:
                return
            heard.append(text)
            said.append(reply)

    async def _open(self, line: PhoneLine, ear: Earpiece) -> bool:
        """Say the opening line if the agent is still silent a moment after pickup.

        Without it an agent that waits for the callee and a callee that waits for the
        agent would share a silent line until one of them gave up.
        """
        if self.opening is None:
            return False
        turn = ear.turn
        while time.monotonic() - turn.opened_at < OPENING_WAIT_SECONDS:
            if turn.voice_started_at is not None:
                return False
            await asyncio.sleep(_TICK_SECONDS)
        if turn.voice_started_at is not None:
            return False
        ear.next_turn()  # what the agent says from now on answers the opening
        ear.report.turns.append(Exchange(None, await self._say(line, ear, self.opening)))
        return True

    async def _listen(self, turn: AgentAudio, number: int) -> ListenOutcome:
        """Wait for the end of the agent's turn, or for the moment to talk over it."""
        interrupt_after = self.behaviour.interrupt_after_seconds
        if number != self.behaviour.interrupt_turn:
            interrupt_after = None
        while not turn.finished(now := time.monotonic()):
            waited = now - turn.opened_at
            if turn.voice_started_at is None and waited > self.behaviour.patience_seconds:
                return "silence"
            talking = turn.voice_started_at
            if (
                interrupt_after is not None
                and talking is not None
                and now - talking >= interrupt_after
            ):
                return "interrupt"
            await asyncio.sleep(_TICK_SECONDS)
        return "finished"

    async def _say(self, line: PhoneLine, ear: Earpiece, text: str) -> Speech:
        if keys := _PRESS.fullmatch(text.strip()):
            started_at, ended_at = await line.press(keys.group(1))
        else:
            started_at, ended_at = await line.speak(await self.voice.synthesize(text))
        ear.expect_reply(ended_at)
        return Speech(words_of(text), started_at, ended_at)

    async def _after_talking_over(
        self, turn: AgentAudio, ear: Earpiece, speech: Speech | None
    ) -> str:
        """Let the interrupted turn end, record how the agent gave way, and transcribe
        all that was heard of it."""
        while not turn.quiet(time.monotonic()):
            await asyncio.sleep(_TICK_SECONDS)
        ear.next_turn()
        if speech is not None and turn.voice_started_at is not None:
            cleared_at = next((at for at in ear.report.clears if at >= speech.started_at), None)
            # An agent caught in a pause and then cleared fell silent when the callee began.
            stopped_at = max(speech.started_at, turn.voice_ended_at)
            ear.report.barge_ins.append(BargeIn(speech.started_at, stopped_at, cleared_at))
        return await self.ears.transcribe(turn.audio())


def _beep() -> np.ndarray:
    times = np.arange(int(BEEP_SECONDS * PHONE_RATE)) / PHONE_RATE
    return (8000 * np.sin(2 * np.pi * BEEP_HZ * times)).astype(np.int16)


def _heard(turn: AgentAudio, text: str) -> Speech | None:
    if turn.voice_started_at is None:
        return None
    return Speech(text, turn.voice_started_at, turn.voice_ended_at)


async def _hang_up(line: PhoneLine) -> None:
    with contextlib.suppress(ConnectionClosed):  # the agent hung up at the same moment
        await line.hang_up()
