"""Puts the passages of the assistant's documents closest to the customer's last turn into
a hosted LLM's context, just before that turn, within a budget of characters. One message
holds them and is replaced on every turn, so earlier turns' passages do not pile up."""

import asyncio
from typing import Any

from openai.types.chat import ChatCompletionSystemMessageParam
from pipecat.frames.frames import Frame, LLMContextFrame
from pipecat.processors.aggregators.llm_context import LLMContext
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor

from ringline.voice.dialogue.documents import DocumentIndex, within_budget
from ringline.voice.dialogue.embedding import Embedder, bundled_embedder
from ringline.voice.dialogue.service import last_customer_turn

# About 500 tokens: room for the few passages that answer, little cost to the reply's speed.
BUDGET_CHARACTERS = 2_000
PASSAGES = 5
HEADING = (
    "Passages of your reference documents that may answer the customer's last words. "
    "Answer from them when they do; never read them out whole."
)


class DocumentReferences(FrameProcessor):
    """Between the user aggregator and the LLM: adds the turn's passages to the context."""

    def __init__(self, documents: DocumentIndex, embedder: Embedder, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._documents = documents
        self._embedder = embedder

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, LLMContextFrame):
            # Embedding the turn takes ~20 ms of CPU: off the event loop, which carries audio
            # (the context itself is changed back on the loop, where the aggregators change it).
            note = await asyncio.to_thread(self.note_for, last_customer_turn(frame.context))
            self.place(frame.context, note)
        await self.push_frame(frame, direction)

    def note_for(self, turn: str) -> ChatCompletionSystemMessageParam | None:
        """The message holding the passages closest to ``turn``; None if none fit."""
        found = self._documents.search(self._embedder, turn, PASSAGES) if turn.strip() else []
        kept = within_budget(found, BUDGET_CHARACTERS)
        if not kept:
            return None
        passages = "\n".join(f"[{f.source}] {f.text}" for f in kept)
        return ChatCompletionSystemMessageParam(role="system", content=f"{HEADING}\n{passages}")

    def place(self, context: LLMContext, note: ChatCompletionSystemMessageParam | None) -> None:
        """Replaces the last turn's note in ``context`` with ``note``, before the last turn.
        The old note is found by its heading: a tool call's round trip copies the messages."""
        messages = [m for m in context.get_messages() if not _is_note(m)]
        if note is not None:
            messages.insert(_last_user(messages), note)
        context.set_messages(messages)


def document_references(documents: DocumentIndex | None) -> list[FrameProcessor]:
    """The processor a call with documents puts before its hosted LLM; none without."""
    return [DocumentReferences(documents, bundled_embedder())] if documents else []


def _is_note(message: Any) -> bool:
    if not isinstance(message, dict) or message.get("role") != "system":
        return False
    return str(message.get("content", "")).startswith(HEADING)


def _last_user(messages: list[Any]) -> int:
    for i in range(len(messages) - 1, -1, -1):
        if isinstance(messages[i], dict) and messages[i].get("role") == "user":
            return i
    return len(messages)
