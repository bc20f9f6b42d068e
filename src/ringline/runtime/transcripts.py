"""Writes a live call's transcript to the database off the audio path, in batches."""

import asyncio
import contextlib
import logging

from sqlalchemy.exc import SQLAlchemyError

from ringline.db import Database
from ringline.models import CallTurn
from ringline.voice.session import SpokenTurn

FLUSH_EVERY_SECONDS = 0.25
QUEUE_LIMIT = 1000
STORE_ATTEMPTS = 5
logger = logging.getLogger(__name__)


class TranscriptWriter:
    """``add`` never waits on the database; a background task stores what was added."""

    def __init__(self, db: Database, call_id: str) -> None:
        self.db = db
        self.call_id = call_id
        self._queue: asyncio.Queue[SpokenTurn] = asyncio.Queue(QUEUE_LIMIT)
        self._seq = 0
        self._task = asyncio.create_task(self._run(), name=f"transcript-{call_id}")

    async def add(self, turn: SpokenTurn) -> None:
        # A full queue means the database stalled for minutes: waiting then is the
        # least bad choice, as dropping a turn would lose part of the transcript.
        await self._queue.put(turn)

    async def _run(self) -> None:
        while True:
            turns = [await self._queue.get()]
            await asyncio.sleep(FLUSH_EVERY_SECONDS)
            while not self._queue.empty():
                turns.append(self._queue.get_nowait())
            await self._store_with_retries(turns)
            for _ in turns:
                self._queue.task_done()

    async def _store_with_retries(self, turns: list[SpokenTurn]) -> None:
        for attempt in range(STORE_ATTEMPTS):
            try:
                return await self._store(turns)
            except SQLAlchemyError:
                logger.exception(
                    "storing transcript of %s failed (attempt %d)", self.call_id, attempt + 1
                )
                await asyncio.sleep(2**attempt)
        logger.error("gave up storing %d transcript turns of %s", len(turns), self.call_id)

    async def _store(self, turns: list[SpokenTurn]) -> None:
        async with self.db.session() as session:
            session.add_all(
                CallTurn(
                    call_id=self.call_id,
                    seq=self._seq + offset,
                    role=turn.role,
                    text=turn.text,
                    start_seconds=turn.start,
                    end_seconds=turn.end,
                    latency=turn.latency,
                )
                for offset, turn in enumerate(turns, start=1)
            )
        self._seq += len(turns)

    async def close(self) -> None:
        """Store everything added so far, then stop."""
        await self._queue.join()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
