"""Runs each named pass in its own loop: now, then whenever it is woken or its interval ends."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from ringline.db.signals import CommitSignal

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pass:
    """One unit of background work, named ``"<domain>.<verb>"``.

    ``wake_on``: signals fired when a transaction commits work for it; ``wakeup`` can also
    be set by its owner (a finished delivery makes room for the next).
    """

    name: str
    run: Callable[[], Awaitable[object]]
    every_seconds: float
    wake_on: tuple[CommitSignal, ...] = ()
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)


class LoopRunner:
    def __init__(self) -> None:
        self._loops: dict[str, tuple[Pass, asyncio.Task[None]]] = {}

    @property
    def names(self) -> list[str]:
        return list(self._loops)

    def start(self, job: Pass) -> None:
        if job.name in self._loops:
            raise ValueError(f"pass {job.name} is already running")
        for signal in job.wake_on:
            signal.subscribe(job.wakeup)
        self._loops[job.name] = (job, asyncio.create_task(_loop(job), name=job.name))

    async def stop(self) -> None:
        """Stop every loop (a pass under way is cancelled: passes are idempotent)."""
        for job, task in reversed(self._loops.values()):
            for signal in job.wake_on:
                signal.unsubscribe(job.wakeup)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._loops.clear()


async def _loop(job: Pass) -> None:
    while True:
        job.wakeup.clear()
        try:
            await job.run()
        except Exception:
            logger.exception("background pass %s failed; it runs again", job.name)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(job.wakeup.wait(), job.every_seconds)


@asynccontextmanager
async def running(*passes: Pass) -> AsyncIterator[LoopRunner]:
    """Run ``passes`` for the block (tools and tests that need a few passes going)."""
    runner = LoopRunner()
    for job in passes:
        runner.start(job)
    try:
        yield runner
    finally:
        await runner.stop()
