"""One call's conversation: a Pipecat pipeline between a media stream and the models.

The stream is a carrier's phone line or the browser widget's socket; only the transport
(and its serializer) differs.

    caller audio -> STT -> user turns -> LLM -> TTS -> caller audio
                                                  └─> recorder (both sides)

Every session ends through ``run``'s one teardown path, whatever ended it: the callee
hanging up, the agent's ``end_call`` tool, an API request, silence, the time limit or
an error. What was said leaves through ``on_turn`` as it happens; nothing here touches
the database.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipecat.audio.turn.smart_turn.base_smart_turn import SmartTurnParams
from pipecat.audio.turn.smart_turn.local_smart_turn_v3 import LocalSmartTurnAnalyzerV3
from pipecat.audio.vad.silero import SileroVADAnalyzer
from pipecat.audio.vad.vad_analyzer import VADParams
from pipecat.frames.frames import (
    EndFrame,
    EndWorkerFrame,
    Frame,
    TTSSpeakFrame,
    VADUserStoppedSpeakingFrame,
)
from pipecat.observers.user_bot_latency_observer import (
    LatencyBreakdown,
    MeasuredFrom,
    UserBotLatencyObserver,
)
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.worker import PipelineParams, PipelineWorker
from pipecat.processors.aggregators.dtmf_aggregator import DTMFAggregator
from pipecat.processors.aggregators.llm_context import LLMContext
from pipecat.processors.aggregators.llm_response_universal import (
    LLMContextAggregatorPair,
    LLMUserAggregatorParams,
)
from pipecat.services.llm_service import LLMService
from pipecat.transports.base_transport import BaseTransport
from pipecat.turns.user_turn_strategies import UserTurnStrategies
from pipecat.workers.runner import WorkerRunner

from ringline.voice.dialogue import Dialogue, bundled_embedder
from ringline.voice.dialogue.documents import DocumentIndex
from ringline.voice.dialogue.service import DialogueLLMService
from ringline.voice.recording import CallRecorder
from ringline.voice.references import document_references
from ringline.voice.services import VoiceServices, llm_service
from ringline.voice.tools import CallTools, ToolBox, ToolCall
from ringline.voice.turns import TranscriptAwareTurnStop
from ringline.voice.voicemail import VoicemailPlan, VoicemailWatch
from ringline.voice.watchers import AgentVoiceWatch, HeardText, KeysWatch

# Silence this long (neither side speaking) hangs up a call that set no idle timeout.
DEFAULT_IDLE_SECONDS = 30.0
# How long the pipeline may take to finish after the callee hung up before it is cut.
HANGUP_GRACE_SECONDS = 10.0
# Keys pressed this far apart are separate entries ("#" ends one at once).
DTMF_PAUSE_SECONDS = 1.5


@dataclass(frozen=True)
class CallPlan:
    """What the engine needs to know to hold one conversation."""

    call_id: str
    prompt: str
    first_message: str
    max_duration_seconds: float
    silence_timeout_seconds: float = DEFAULT_IDLE_SECONDS
    # Speech this long starts a turn: a one-word "Yes." is about 0.3 s on the line.
    vad_start_seconds: float = 0.1
    # A pause this long is transcribed and asks the turn model whether the customer has
    # finished; the turn itself ends only after voice.turns.COMMIT_SILENCE_SECONDS, with
    # the reply drafted in between.
    vad_stop_seconds: float = 0.2
    # When the turn model thinks the customer has not finished, how long a pause still
    # ends the turn (Pipecat's default of 3 s made unsure turns the slowest replies).
    unfinished_turn_seconds: float = 1.0
    direction: str = "outbound"
    variables: Mapping[str, object] = field(default_factory=dict)
    # Listen for an answering machine (outbound calls): what to do when one answers.
    voicemail: VoicemailPlan | None = None
    # The assistant's document chunks, read with the plan: no turn waits on the database.
    documents: DocumentIndex | None = None
    # The assistant's HTTP tools; the calls made are kept in ``tools.calls``.
    tools: ToolBox | None = None
    # Whether a call back the customer asks for is placed (a hosted LLM gets the tool).
    schedule_callbacks: bool = False


@dataclass(frozen=True)
class SpokenTurn:
    role: str  # "agent" or "customer"
    text: str
    start: float  # seconds since the call was answered
    end: float
    # For an agent reply: seconds from the customer's silence to the agent's first
    # audio, in total ("total") and per stage ("transcription", "llm_inference", ...).
    latency: dict[str, float] | None = None


@dataclass
class SessionResult:
    ended_by: str
    duration_seconds: float
    recording: Path | None
    turns: list[SpokenTurn] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    callback: str | None = None  # a call back asked for: when, in the customer's words


TurnSink = Callable[[SpokenTurn], Awaitable[None]]


class CallSession:
    def __init__(
        self,
        plan: CallPlan,
        transport: BaseTransport,
        services: VoiceServices,
        on_turn: TurnSink,
        recording_path: Path | None,
        *,
        sample_rate: int = 8000,
    ) -> None:
        self.plan = plan
        self.transport = transport
        self.on_turn = on_turn
        self.recorder = CallRecorder(recording_path) if recording_path else None
        self.ended_by: str | None = None
        self.turns: list[SpokenTurn] = []
        self._started = time.monotonic()
        self._turn_starts: dict[str, float] = {}
        self._held_customer: SpokenTurn | None = None
        self._latency: dict[str, float] | None = None
        self._deadline: asyncio.TimerHandle | None = None
        self._greeting = ""  # the opening line, until the first agent turn is over
        self.voicemail = (
            VoicemailWatch(self._machine_answered, self._leave_message)
            if plan.voicemail is not None
            else None
        )
        self.services = services
        llm = services.llm
        self._callback: str | None = None
        on_callback = self._callback_asked if plan.schedule_callbacks else None
        tools = CallTools(self._agent_ends, plan.tools, on_callback)
        self.context = LLMContext(tools=tools.schema) if llm.supports_tools else LLMContext()
        self.heard = HeardText()
        self.aggregators = self._aggregators()
        self.dialogue: Dialogue | None = None
        self.llm: LLMService[Any]
        if llm.is_bundled_dialogue:
            specs = plan.tools.specs if plan.tools else ()
            self.dialogue = Dialogue(
                plan.prompt, plan.variables, bundled_embedder(), plan.documents, specs
            )
            self.llm = DialogueLLMService(self.dialogue, self._agent_ends, plan.tools)
        else:
            self.llm = llm_service(llm, plan.prompt)
        if llm.supports_tools:
            tools.register(self.llm)
        self.worker = PipelineWorker(
            self._pipeline(),
            # The line's own rate both ways: the VAD and the turn model take 8 kHz phone
            # audio as it comes, with no resampler buffering it on the way in.
            params=PipelineParams(
                audio_in_sample_rate=sample_rate,
                audio_out_sample_rate=sample_rate,
                enable_metrics=True,
            ),
            idle_timeout_secs=None,
            enable_rtvi=False,
        )
        self.worker.add_observer(self._latency_observer())
        self._watch_transport()

    def _aggregators(self) -> LLMContextAggregatorPair:
        vad = SileroVADAnalyzer(
            params=VADParams(
                start_secs=self.plan.vad_start_seconds, stop_secs=self.plan.vad_stop_seconds
            )
        )
        turn_model = LocalSmartTurnAnalyzerV3(
            params=SmartTurnParams(stop_secs=self.plan.unfinished_turn_seconds)
        )
        strategies = UserTurnStrategies(stop=[TranscriptAwareTurnStop(turn_analyzer=turn_model)])
        pair = LLMContextAggregatorPair(
            self.context,
            user_params=LLMUserAggregatorParams(
                vad_analyzer=vad,
                user_turn_strategies=strategies,
                user_idle_timeout=self.plan.silence_timeout_seconds,
                user_mute_strategies=[self.voicemail.mute] if self.voicemail else [],
            ),
        )
        user, assistant = pair.user(), pair.assistant()
        user.add_event_handler("on_user_turn_started", self._turn_started("customer"))
        user.add_event_handler("on_user_turn_stopped", self._user_turn_stopped)
        user.add_event_handler("on_user_turn_idle", self._silence)
        assistant.add_event_handler("on_assistant_turn_started", self._turn_started("agent"))
        assistant.add_event_handler("on_assistant_turn_stopped", self._agent_turn_stopped)
        return pair

    def _pipeline(self) -> Pipeline:
        processors = [
            self.transport.input(),
            self.services.speech_to_text(),
            *([self.voicemail] if self.voicemail else []),
            # Keys the customer presses are a turn of their own: "Pressed 12#".
            DTMFAggregator(timeout=DTMF_PAUSE_SECONDS, prefix="Pressed "),
            self.heard,
            self.aggregators.user(),
            # The dialogue layer searches the documents itself; a hosted LLM reads them here.
            *(document_references(self.plan.documents) if self.dialogue is None else []),
            self.llm,
            self.services.text_to_speech(),
            KeysWatch(self._keys_pressed),
            self.transport.output(),
            # The customer's held words go into the transcript once the reply is heard.
            AgentVoiceWatch(self._flush_customer),
        ]
        if self.recorder:
            processors.append(self.recorder.processor)
        return Pipeline([*processors, self.aggregators.assistant()])

    def _watch_transport(self) -> None:
        @self.transport.event_handler("on_client_connected")
        async def _answered(_transport: object, _client: object) -> None:
            self._started = time.monotonic()
            if self.voicemail:
                self.voicemail.answered()
            if self.recorder:
                await self.recorder.start()
            if opening := self._opening():
                # Outbound calls open with the first message, before the callee says a word.
                self._greeting = opening
                await self.worker.queue_frame(TTSSpeakFrame(opening))

        @self.transport.event_handler("on_client_disconnected")
        async def _hung_up(_transport: object, _client: object) -> None:
            await self._callee_hung_up()

    def _opening(self) -> str:
        if self.dialogue is None:
            return self.plan.first_message
        if not self.plan.first_message and self.plan.direction != "outbound":
            return ""  # an inbound caller speaks first
        # With no first message an outbound call opens with a greeting built from the prompt.
        return self.dialogue.opening(self.plan.first_message).text

    async def _callee_hung_up(self) -> None:
        """Finish gracefully: what the callee said just before hanging up still counts."""
        self.ended_by = self.ended_by or "customer"
        closing: list[Frame] = [EndFrame()]
        if "customer" in self._turn_starts:
            # Mid-utterance: tell the STT the speech is over so it transcribes the rest.
            closing.insert(0, VADUserStoppedSpeakingFrame())
        await self.worker.queue_frames(closing)
        self._deadline = asyncio.get_running_loop().call_later(
            HANGUP_GRACE_SECONDS,
            lambda: asyncio.ensure_future(self.worker.cancel(reason="customer")),
        )

    def _latency_observer(self) -> UserBotLatencyObserver:
        observer = UserBotLatencyObserver()

        @observer.event_handler("on_latency_breakdown")
        async def _measured(_observer: object, breakdown: LatencyBreakdown) -> None:
            if breakdown.measured_from != MeasuredFrom.USER_SILENCE:
                return  # the greeting has no customer silence before it
            stages: dict[str, float] = {"total": round(breakdown.total_secs, 3)}
            for part in breakdown.contributions:
                stages[part.key] = round(stages.get(part.key, 0.0) + part.duration_secs, 3)
            self._latency = stages

        return observer

    def _now(self) -> float:
        return round(time.monotonic() - self._started, 3)

    def _turn_started(self, role: str) -> Callable[..., Awaitable[None]]:
        async def handler(*_args: object) -> None:
            self._turn_starts[role] = self._now()

        return handler

    async def _user_turn_stopped(self, *_args: object) -> None:
        await self._record("customer", self.heard.take())

    async def _agent_turn_stopped(self, _aggregator: object, message: object) -> None:
        text = getattr(message, "content", "") or ""
        if self._greeting and not text.strip() and getattr(message, "interrupted", False):
            # Piper's text follows its audio, and an interruption drops it: the callee
            # still heard the start of the greeting, so the transcript keeps it.
            text = self._greeting
        self._greeting = ""
        await self._record("agent", text)

    async def _record(self, role: str, text: str) -> None:
        end = self._now()
        start = self._turn_starts.pop(role, end)  # the turn is over, said or not
        text = text.strip()
        if role == "customer":
            # Held until the agent's reply is heard: a customer who went on after a pause,
            # before any reply, said one thing, and the transcript keeps it as one turn.
            if text:
                held = self._held_customer
                self._held_customer = (
                    SpokenTurn("customer", text, start, end)
                    if held is None
                    else SpokenTurn("customer", f"{held.text} {text}", held.start, end)
                )
            return
        if not text:
            return  # none of the reply was spoken (the customer went on): their turn goes on
        await self._flush_customer()
        latency, self._latency = self._latency, None  # measured for this reply
        await self._store(SpokenTurn(role, text, start, end, latency))

    async def _flush_customer(self) -> None:
        held, self._held_customer = self._held_customer, None
        if held is not None:
            await self._store(held)

    async def _store(self, turn: SpokenTurn) -> None:
        self.turns.append(turn)
        await self.on_turn(turn)

    async def _silence(self, *_args: object) -> None:
        await self.hang_up("silence")

    async def _agent_ends(self) -> None:
        self.ended_by = self.ended_by or "agent"

    async def _callback_asked(self, when: str) -> None:
        self._callback = when

    async def _keys_pressed(self, keys: str) -> None:
        """Keys the agent sent to the line: a turn of the transcript, after the menu's."""
        await self._flush_customer()
        now = self._now()
        await self._store(SpokenTurn("agent", f"Pressed {keys}", now, now))

    async def _machine_answered(self) -> None:
        """An answering machine took the call: hang up, or hush and wait for its beep."""
        assert self.plan.voicemail is not None
        self.ended_by = "voicemail"
        if self.plan.voicemail.action == "hang_up":
            await self.hang_up("voicemail")
            return
        # From the LLM down: the muted customer side would swallow it on the way.
        await self.llm.broadcast_interruption()
        assert self.voicemail is not None
        self.voicemail.wait_for_beep()

    async def _leave_message(self) -> None:
        """After the beep: the message, heard in full, then the line is put down."""
        assert self.plan.voicemail is not None
        message = TTSSpeakFrame(self.plan.voicemail.message)
        await self.worker.queue_frames([message, EndWorkerFrame()])

    async def hang_up(self, reason: str) -> None:
        """End the call now: the line goes quiet at once."""
        if self.ended_by is None:
            self.ended_by = reason
        await self.worker.cancel(reason=reason)

    async def run(self) -> SessionResult:
        runner = WorkerRunner(handle_sigint=False)
        await runner.add_workers(self.worker)
        # A timer, not asyncio.wait_for: a pipeline finishing its cancellation returns
        # normally, and wait_for then hands back its result with no word of the limit.
        limit = asyncio.get_running_loop().call_later(
            self.plan.max_duration_seconds,
            lambda: asyncio.ensure_future(self.hang_up("max_duration")),
        )
        try:
            await runner.run()
        finally:
            limit.cancel()
            if self._deadline is not None:
                self._deadline.cancel()
            if self.voicemail:
                self.voicemail.close()
            if self.recorder:
                await self.recorder.close()
        # Words transcribed after the last turn ended (the callee hung up mid-sentence).
        await self._record("customer", self.heard.take())
        await self._flush_customer()
        return SessionResult(
            ended_by=self.ended_by or "agent",
            duration_seconds=self._now(),
            recording=self.recorder.path if self.recorder else None,
            turns=list(self.turns),
            tool_calls=list(self.plan.tools.calls) if self.plan.tools else [],
            callback=self.dialogue.callback if self.dialogue else self._callback,
        )
