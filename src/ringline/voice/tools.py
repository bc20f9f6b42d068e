"""The tools a hosted LLM may call during a call: hang up, and press keys on the phone
(a phone menu that wants "press 2"). The bundled dialogue does both by itself."""

import re
from collections.abc import Awaitable, Callable
from typing import Any

from pipecat.adapters.llm.schemas.function_schema import FunctionSchema
from pipecat.adapters.llm.schemas.tools_schema import ToolsSchema
from pipecat.frames.frames import EndWorkerFrame, FunctionCallResultProperties, OutputDTMFFrame
from pipecat.services.llm_service import FunctionCallParams, LLMService

__all__ = ["CallTools", "KEYS"]

KEYS = re.compile(r"[0-9*#]{1,20}")

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
# The tool's answer was the action itself: no reply to write after it.
_DONE = FunctionCallResultProperties(run_llm=False)


class CallTools:
    """``end_call`` and ``send_dtmf`` for an LLM that calls tools."""

    schema = ToolsSchema([END_CALL, SEND_DTMF])

    def __init__(self, on_end: Callable[[], Awaitable[None]]) -> None:
        self._on_end = on_end

    def register(self, llm: LLMService[Any]) -> None:
        llm.register_function("end_call", self._end_call)
        llm.register_function("send_dtmf", self._send_dtmf)

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
