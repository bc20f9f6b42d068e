"""The dialogue layer in a call's Pipecat pipeline, where a hosted call has its LLM service:
it takes the customer's turn from the context the user aggregator sends and answers with the
frames an LLM would (so the TTS speaks it and the assistant aggregator records it)."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from pipecat.frames.frames import (
    EagerEndOfTurnCancelFrame,
    EndWorkerFrame,
    Frame,
    LLMContextFrame,
    LLMFullResponseEndFrame,
    LLMFullResponseStartFrame,
    LLMTextFrame,
    OutputDTMFFrame,
    UserStoppedSpeakingFrame,
)
from pipecat.processors.aggregators.llm_context import LLMContext
from pipecat.processors.frame_processor import FrameDirection
from pipecat.services.llm_service import LLMService
from pipecat.services.settings import LLMSettings

from ringline.voice.dialogue.conversation import Dialogue, Reply, State
from ringline.voice.dialogue.tools import ToolUse
from ringline.voice.tools import ToolBox, with_filler

EndHandler = Callable[[], Awaitable[None]]


class DialogueLLMService(LLMService):
    """Replies from a ``Dialogue``; hangs up, behind the goodbye, when it says the call is over."""

    def __init__(
        self,
        dialogue: Dialogue,
        on_end: EndHandler | None = None,
        tools: ToolBox | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(settings=_unused_settings(), **kwargs)
        self.dialogue = dialogue
        self._on_end = on_end
        self._tools = tools
        # The state before a reply to a turn that may not be over; restored if it goes on.
        self._before_speculation: State | None = None
        # A speculative goodbye hangs up only once its turn is confirmed: the gate keeps
        # an EndWorkerFrame through a withdrawn draft, and the call would end mid-sentence.
        self._hang_up_when_confirmed = False

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)  # the speculation gate learns of it here
        if isinstance(frame, LLMContextFrame):
            await self._answer(frame)
            return
        if isinstance(frame, EagerEndOfTurnCancelFrame):
            self._hang_up_when_confirmed = False
            if self._before_speculation:
                self.dialogue.restore(self._before_speculation)
                self._before_speculation = None
        elif isinstance(frame, UserStoppedSpeakingFrame) and self._hang_up_when_confirmed:
            self._hang_up_when_confirmed = False  # the gate has just released the goodbye
            await self._hang_up()
        await self.push_frame(frame, direction)

    async def _answer(self, frame: LLMContextFrame) -> None:
        if self.dialogue.ended:
            # The goodbye was said (or cut off by the customer talking over it): hang up
            # without another word rather than wait for the silence timeout.
            await self.push_frame(EndWorkerFrame())
            return
        speculating = self._speculation_gate.is_speculating
        before = self.dialogue.state()
        self._before_speculation = before if speculating else None
        await self.push_frame(LLMFullResponseStartFrame())
        await self.start_processing_metrics()
        await self.start_ttfb_metrics()
        try:
            # Embedding the turn takes ~20 ms of CPU: off the event loop, which carries audio.
            reply = await asyncio.to_thread(
                self.dialogue.respond, last_customer_turn(frame.context)
            )
            if speculating and self._before_speculation is None:
                self.dialogue.restore(before)  # withdrawn while it was being drafted
            if reply.tool is not None:
                if speculating:
                    await self._withdraw(before)
                    return
                reply = await self._call(reply.tool)
            await self.stop_ttfb_metrics()
            if reply.keys:  # a phone menu: keys, not words
                await self.push_frame(OutputDTMFFrame.from_string(reply.keys))
            elif reply.text:  # nothing at all while a phone menu is still being read out
                await self.push_frame(LLMTextFrame(reply.text))
        finally:
            await self.stop_processing_metrics()
            await self.push_frame(LLMFullResponseEndFrame())
        await self._maybe_hang_up(reply, speculating)

    async def _withdraw(self, before: State) -> None:
        """A tool's call has effects no withdrawn draft may have: the draft is dropped, and
        the turn's end asks again (as Pipecat does for a hosted LLM's tool call)."""
        self.dialogue.restore(before)
        self._before_speculation = None
        await self.broadcast_frame(EagerEndOfTurnCancelFrame)

    async def _call(self, use: ToolUse) -> Reply:
        """Call the tool, with its filler said if it is slow, and the dialogue's answer."""
        assert self._tools is not None, "the dialogue chose a tool the call does not have"

        async def say(filler: str) -> None:
            await self.push_frame(LLMTextFrame(f"{filler} "))

        called = await with_filler(
            self._tools.call(use.spec.name, use.arguments), use.spec.filler, say
        )
        return self.dialogue.tool_answered(called)

    async def _maybe_hang_up(self, reply: Reply, speculating: bool) -> None:
        if not reply.end_call:
            return
        if speculating:
            # Unless the draft was withdrawn while it was being written.
            self._hang_up_when_confirmed = self._before_speculation is not None
        else:
            await self._hang_up()

    async def _hang_up(self) -> None:
        if self._on_end is not None:
            await self._on_end()
        # Downstream, behind the goodbye still being spoken, so it is heard in full.
        await self.push_frame(EndWorkerFrame())


def _unused_settings() -> LLMSettings:
    """Every setting given, none of them used: no model samples anything here."""
    return LLMSettings(
        model="ringline-dialogue",
        system_instruction=None,
        temperature=None,
        max_tokens=None,
        top_p=None,
        top_k=None,
        frequency_penalty=None,
        presence_penalty=None,
        seed=None,
        filter_incomplete_user_turns=False,
        user_turn_completion_config=None,
    )


def last_customer_turn(context: LLMContext) -> str:
    """The text of the context's last user message ("" when there is none)."""
    for message in reversed(context.get_messages()):
        if not isinstance(message, dict) or message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            parts = [p.get("text", "") for p in content if isinstance(p, dict)]
            return " ".join(p for p in parts if p)
        return ""
    return ""
