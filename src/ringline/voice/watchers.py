"""Processors that watch a call's frames go by, changing none: what the customer was
heard saying, when the agent's voice reaches the line, and the keys the agent sends."""

from collections.abc import Awaitable, Callable

from pipecat.frames.frames import (
    BotStartedSpeakingFrame,
    Frame,
    OutputDTMFFrame,
    TranscriptionFrame,
)
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor

__all__ = ["AgentVoiceWatch", "HeardText", "KeysWatch"]


class HeardText(FrameProcessor):
    """Collects what the STT heard since the customer's last turn ended."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[str] = []

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, TranscriptionFrame) and frame.text.strip():
            self._parts.append(frame.text.strip())
        await self.push_frame(frame, direction)

    def take(self) -> str:
        text, self._parts = " ".join(self._parts), []
        return text


class AgentVoiceWatch(FrameProcessor):
    """Calls ``on_voice`` each time the agent's audio starts going out on the line."""

    def __init__(self, on_voice: Callable[[], Awaitable[None]]) -> None:
        super().__init__()
        self._on_voice = on_voice

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, BotStartedSpeakingFrame) and direction == FrameDirection.DOWNSTREAM:
            await self._on_voice()
        await self.push_frame(frame, direction)


class KeysWatch(FrameProcessor):
    """Calls ``on_keys`` ("12#") for the keys each ``OutputDTMFFrame`` sends to the line."""

    def __init__(self, on_keys: Callable[[str], Awaitable[None]]) -> None:
        super().__init__()
        self._on_keys = on_keys

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, OutputDTMFFrame) and frame.buttons:
            await self._on_keys("".join(button.value for button in frame.buttons))
        await self.push_frame(frame, direction)
