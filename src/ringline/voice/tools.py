"""The tools an agent may call during a call: hang up, press keys on the phone (a phone
menu that wants "press 2"), and the assistant's own HTTP tools (``ToolBox``, which the
runtime implements: nothing here knows where a tool's answer comes from).

A hosted LLM calls them as functions. The bundled dialogue hangs up and presses keys by
itself, and decides on an HTTP tool from the customer's words (``dialogue/tools.py``).
"""

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pipecat.adapters.llm.schemas.function_schema import FunctionSchema
from pipecat.adapters.llm.schemas.tools_schema import ToolsSchema
from pipecat.frames.frames import (
    EndWorkerFrame,
    FunctionCallResultProperties,
    OutputDTMFFrame,
    TTSSpeakFrame,
)
from pipecat.services.llm_service import FunctionCallParams, LLMService

__all__ = ["CallTools", "KEYS", "ToolBox", "ToolCall", "ToolSpec", "with_filler"]

KEYS = re.compile(r"[0-9*#]{1,20}")
# A tool answering later than this gets a filler line, so the line is not silent.
FILLER_AFTER_SECONDS = 1.0

END_CALL = FunctionSchema(
    name="end_call",
    description="Hang up. Call it once the conversation is over and you have said goodbye.",
    properties={},
    required=[],
)
SEND_DTMF = FunctionSchema(
    name="send_dtmf",
    description='Press keys on the phone\'s keypad, as a phone menu asks ("press 2").',
    properties={
        "keys": {
            "type": "string",
            "pattern": f"^{KEYS.pattern}$",
            "description": "The keys, in order: digits, * and #",
        }
    },
    required=["keys"],
)
SCHEDULE_CALLBACK = FunctionSchema(
    name="schedule_callback",
    description="The customer asked to be called back later: note when, then say goodbye.",
    properties={
        "when": {
            "type": "string",
            "description": 'When, in the customer\'s words ("tomorrow at 5 pm", "next week")',
        }
    },
    required=["when"],
)
# The tool's answer was the action itself: no reply to write after it.
_DONE = FunctionCallResultProperties(run_llm=False)


@dataclass(frozen=True)
class ToolSpec:
    """An HTTP tool as the conversation sees it."""

    name: str
    description: str
    # A JSON Schema object of flat properties: {"type": "object", "properties", "required"}.
    parameters: dict[str, Any] = field(default_factory=dict)
    filler: str = ""  # said when the answer is slow; "" for none

    @property
    def properties(self) -> dict[str, dict[str, Any]]:
        return dict(self.parameters.get("properties") or {})

    @property
    def required(self) -> list[str]:
        return list(self.parameters.get("required") or [])


@dataclass(frozen=True)
class ToolCall:
    """One call of a tool: what went in, what came back (or what went wrong), how long."""

    name: str
    arguments: dict[str, Any]
    result: Any = None
    error: str | None = None
    duration_ms: int = 0

    def for_model(self) -> Any:
        """What the LLM reads back: the answer, or the error to tell the customer about."""
        return {"error": self.error} if self.error else self.result


class ToolBox(Protocol):
    """The assistant's HTTP tools for one call; every call made is kept in ``calls``."""

    specs: tuple[ToolSpec, ...]
    calls: list[ToolCall]

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolCall:
        """Call the tool; never raises for anything the endpoint did (``error`` says)."""
        ...


async def with_filler(
    pending: Awaitable[ToolCall], filler: str, say: Callable[[str], Awaitable[None]]
) -> ToolCall:
    """The tool's call, with ``filler`` said if it takes longer than a second."""
    task = asyncio.ensure_future(pending)
    done, _ = await asyncio.wait({task}, timeout=FILLER_AFTER_SECONDS)
    if not done and filler:
        await say(filler)
    return await task


def _function(spec: ToolSpec) -> FunctionSchema:
    return FunctionSchema(
        name=spec.name,
        description=spec.description,
        properties=spec.properties,
        required=spec.required,
    )


CallbackSink = Callable[[str], Awaitable[None]]


class CallTools:
    """``end_call``, ``send_dtmf``, ``schedule_callback`` (where the assistant places call
    backs) and the assistant's HTTP tools, for an LLM that calls tools."""

    def __init__(
        self,
        on_end: Callable[[], Awaitable[None]],
        box: ToolBox | None = None,
        on_callback: CallbackSink | None = None,
    ) -> None:
        self._on_end = on_end
        self._box = box
        self._on_callback = on_callback
        own = [_function(spec) for spec in box.specs] if box else []
        callback = [SCHEDULE_CALLBACK] if on_callback else []
        self.schema = ToolsSchema([END_CALL, SEND_DTMF, *callback, *own])

    def register(self, llm: LLMService[Any]) -> None:
        llm.register_function("end_call", self._end_call)
        llm.register_function("send_dtmf", self._send_dtmf)
        if self._on_callback is not None:
            llm.register_function("schedule_callback", self._schedule_callback)
        for spec in self._box.specs if self._box else ():
            llm.register_function(spec.name, self._http_tool(spec))

    async def _end_call(self, params: FunctionCallParams) -> None:
        await self._on_end()
        # The goodbye came with the tool call: no further reply to wait for.
        await params.result_callback({"status": "hanging up"}, properties=_DONE)
        # Downstream, behind the goodbye still being spoken, so it is heard in full.
        await params.llm.push_frame(EndWorkerFrame())

    async def _send_dtmf(self, params: FunctionCallParams) -> None:
        keys = str(params.arguments.get("keys", ""))
        if not KEYS.fullmatch(keys):
            error = f"keys must be 1 to 20 of 0-9, * and #, not {keys!r}"
            await params.result_callback({"error": error})
            return
        # Behind anything still being said: a menu hears the keys after the words.
        await params.llm.push_frame(OutputDTMFFrame.from_string(keys))
        await params.result_callback({"status": "pressed", "keys": keys}, properties=_DONE)

    async def _schedule_callback(self, params: FunctionCallParams) -> None:
        assert self._on_callback is not None
        when = str(params.arguments.get("when", "")).strip()
        await self._on_callback(when)
        # The model confirms it to the customer and says goodbye in its next words.
        await params.result_callback({"status": "noted", "when": when or "later"})

    def _http_tool(self, spec: ToolSpec) -> Callable[[FunctionCallParams], Awaitable[None]]:
        assert self._box is not None
        box = self._box

        async def handler(params: FunctionCallParams) -> None:
            async def say(text: str) -> None:
                await params.llm.push_frame(TTSSpeakFrame(text))

            called = await with_filler(
                box.call(spec.name, dict(params.arguments)), spec.filler, say
            )
            # The model writes the reply from the answer, or tells the customer it failed.
            await params.result_callback(called.for_model())

        return handler
