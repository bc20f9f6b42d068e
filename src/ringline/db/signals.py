"""Wake background workers of this process when a transaction commits new work for them.

Workers also poll, so a signal lost (another process committed) only costs a poll delay.
"""

import asyncio
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession


class CommitSignal:
    def __init__(self, name: str) -> None:
        self._key = f"ringline.signal.{name}"
        self._waiters: set[asyncio.Event] = set()

    def subscribe(self, waiter: asyncio.Event) -> None:
        self._waiters.add(waiter)

    def unsubscribe(self, waiter: asyncio.Event) -> None:
        self._waiters.discard(waiter)

    def after_commit(self, session: AsyncSession) -> None:
        """Set every subscriber's event once ``session`` commits (not if it rolls back)."""
        if not session.info.get(self._key):
            session.info[self._key] = True
            event.listen(session.sync_session, "after_commit", self._fire, once=True)

    def _fire(self, session: Any) -> None:
        session.info.pop(self._key, None)
        for waiter in self._waiters:
            waiter.set()
