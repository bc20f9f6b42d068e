"""When the customer has finished speaking: the turn model, helped by what Whisper heard.

The smart-turn model judges from prosody alone, and on phone audio it is often unsure of
a plain finished sentence (0.02 for "I have a few minutes, go ahead.", measured on piper
speech over the line), so every such reply waited out the unfinished-turn pause. Whisper's
transcript of the same pause arrives about 0.1 s after the VAD stops: a sentence of two
words or more that ends in a full stop or a question mark, and not on a word that leads
into more ("and", "the", "my", "is"), ends the turn at once. The transcript only ever
hastens the end; a turn the transcript leaves open is the turn model's to judge.

The VAD reports pauses of 0.2 s, so Whisper transcribes while the customer may still go
on, but no turn ends before 0.5 s of silence (piper's callees pause up to 0.66 s at a
comma; a reply started in a 0.3 s pause talks over the rest). A turn that would end but
for that wait is answered speculatively: the reply is drafted at the short pause, held by
the LLM service's speculation gate, and released when the silence reaches 0.5 s, or
thrown away (and the dialogue's state restored) if the customer speaks again first.
"""

import asyncio
import re
import time
from typing import Any

from pipecat.frames.frames import (
    EagerEndOfTurnCancelFrame,
    Frame,
    TranscriptionFrame,
    VADUserStartedSpeakingFrame,
    VADUserStoppedSpeakingFrame,
)
from pipecat.turns.types import ProcessFrameResult, UserTurnSpeculation
from pipecat.turns.user_stop import TurnAnalyzerUserTurnStopStrategy

__all__ = ["COMMIT_SILENCE_SECONDS", "TranscriptAwareTurnStop", "reads_finished"]

# Words a speaker does not stop on: what follows them is still to come.
_LEADING_WORDS = (
    "and or but because if the a an to of for with from at by my your our their his her "
    "is are was were am i we um uh er like than"
)
_LEADING_ON = frozenset(_LEADING_WORDS.split())
_FINAL_PUNCTUATION = (".", "?", "!")
# The silence that ends a turn of one word, whatever the models say: "Yes," "Sorry,"
# "Hello," are often followed by more after a pause (piper pauses up to 0.66 s at a comma),
# and a reply started in that pause would talk over the rest.
ONE_WORD_SILENCE_SECONDS = 0.7
# The silence that ends any other turn (see above).
COMMIT_SILENCE_SECONDS = 0.5


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def reads_finished(text: str) -> bool:
    """Whether ``text`` reads as a finished utterance."""
    text = text.strip()
    words = _words(text)
    # One word is left to the turn model: "Yes," "Sorry," "Well," so often lead into more
    # after a pause that Whisper's full stop on them says nothing.
    return len(words) >= 2 and text.endswith(_FINAL_PUNCTUATION) and words[-1] not in _LEADING_ON


class TranscriptAwareTurnStop(TurnAnalyzerUserTurnStopStrategy):
    """Pipecat's turn-model strategy, ending the turn early on a finished transcript, never
    before the silence that commits it, and answering speculatively while it waits."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._silent_since: float | None = None  # time.time() the customer went quiet
        self._recheck: asyncio.Task[None] | None = None
        self._heard: list[str] = []  # this turn's transcripts, one per pause
        self._speculation: UserTurnSpeculation | None = None

    async def process_frame(self, frame: Frame) -> ProcessFrameResult:
        if isinstance(frame, EagerEndOfTurnCancelFrame):
            # Withdrawn elsewhere: the LLM service drops a draft that wants a tool call
            # (ending the call, say), so the turn's end must ask for a fresh reply.
            self._speculation = None
        return await super().process_frame(frame)

    async def _reset(self) -> None:
        self._heard = []
        await super()._reset()  # type: ignore[no-untyped-call]

    async def _handle_vad_user_stopped_speaking(self, frame: VADUserStoppedSpeakingFrame) -> None:
        self._silent_since = frame.timestamp - frame.stop_secs
        await super()._handle_vad_user_stopped_speaking(frame)

    async def _handle_vad_user_started_speaking(self, frame: VADUserStartedSpeakingFrame) -> None:
        self._silent_since = None
        await super()._handle_vad_user_started_speaking(frame)

    async def _discard_pending_end_of_turn(self) -> None:
        """The customer spoke again (or the turn is over): a draft reply is withdrawn."""
        if self._recheck is not None:
            await self.task_manager.cancel_task(self._recheck)
            self._recheck = None
        if self._speculation is not None:
            self._speculation = None
            await self.trigger_user_turn_speculation_cancelled()  # type: ignore[no-untyped-call]
        await super()._discard_pending_end_of_turn()  # type: ignore[no-untyped-call]

    async def _maybe_trigger_user_turn_stopped(self) -> None:
        wait = self._silence_still_needed()
        if wait <= 0:
            await super()._maybe_trigger_user_turn_stopped()  # type: ignore[no-untyped-call]
            return
        if self._would_end() and self._speculation is None:
            self._speculation = UserTurnSpeculation(text=self.heard)
            await self.trigger_user_turn_inference_triggered(speculation=self._speculation)
        if self._recheck is None:
            self._recheck = self.task_manager.create_task(
                self._trigger_after(wait), f"{self}::commit-silence"
            )

    async def trigger_user_turn_stopped(
        self, *, enable_user_speaking_frames: bool | None = None
    ) -> None:
        """End the turn, keeping the draft reply when it answered all that was said."""
        if self._silence_still_needed() > 0:  # Pipecat's transcript timeout calls here too
            await self._maybe_trigger_user_turn_stopped()
            return
        speculation, self._speculation = self._speculation, None
        if speculation is not None and speculation.text == self.heard:
            await self.trigger_user_turn_finalized(
                enable_user_speaking_frames=enable_user_speaking_frames,
                confirms_speculation=True,
            )
            return
        if speculation is not None:
            await self.trigger_user_turn_speculation_cancelled()  # type: ignore[no-untyped-call]
        await super().trigger_user_turn_stopped(
            enable_user_speaking_frames=enable_user_speaking_frames
        )

    @property
    def heard(self) -> str:
        return " ".join(self._heard)

    def _would_end(self) -> bool:
        """The turn model's and the transcript's conditions for ending, as Pipecat's."""
        transcript_in = self._transcript_finalized or self._timeout_task is None
        return self._turn_complete and bool(self._text) and transcript_in

    def _silence_still_needed(self) -> float:
        """How much longer the customer must stay silent before the turn may end."""
        if self._silent_since is None:
            return 0.0
        needed = (
            ONE_WORD_SILENCE_SECONDS if len(_words(self.heard)) == 1 else COMMIT_SILENCE_SECONDS
        )
        return needed - (time.time() - self._silent_since)

    async def _trigger_after(self, wait: float) -> None:
        await asyncio.sleep(wait)
        self._recheck = None
        await self._maybe_trigger_user_turn_stopped()

    async def _handle_transcription(self, frame: TranscriptionFrame) -> None:
        self._heard.append(frame.text.strip())
        await super()._handle_transcription(frame)
        if self._vad_user_speaking:
            # The words before a pause, arriving after the customer went on: they do not
            # finalize what is being said now. Counted as final, the turn would end on the
            # next pause without its last words, and those would open a turn of their own.
            self._transcript_finalized = False
            return
        if self._vad_stopped and not self._turn_complete and reads_finished(self.heard):
            self._turn_complete = True
            await self._maybe_trigger_user_turn_stopped()
