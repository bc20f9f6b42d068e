"""Which process answers for each live call, so a process that dies takes only its calls.

Every process that dials calls or carries their audio registers in ``workers`` and renews
its heartbeat. A call it claims, or whose audio it carries, names it as ``owner``. A live
call whose owner is gone (its heartbeat older than the lease, its row missing, or on this
host a process ID that no longer runs) cannot go on, since its audio went with the
process: it is failed as interrupted, by whichever process notices first, and never
dialed again. Several API and worker processes can share one database this way.
"""

import logging
import os
import socket
from datetime import timedelta

from sqlalchemy import delete, select, update

from ringline.calls import events, live
from ringline.config import Settings
from ringline.db import Database
from ringline.db.base import rows_changed, utcnow
from ringline.jobs import Pass
from ringline.models import Worker

logger = logging.getLogger(__name__)
# Rows of processes gone this long are deleted; their calls were failed long before.
FORGET_AFTER = timedelta(days=1)


class ProcessLease:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.heartbeat_seconds = settings.worker_heartbeat_seconds
        self.lease = timedelta(seconds=settings.worker_lease_seconds)
        self.host, self.pid = socket.gethostname()[:96], os.getpid()
        self.name = f"{self.host}:{self.pid}"

    async def start(self) -> None:
        """Register, and fail the calls of processes that died (this one's past included)."""
        await self.renew()

    def renewal_pass(self) -> Pass:
        return Pass("runtime.lease", self.renew, self.heartbeat_seconds)

    async def renew(self) -> None:
        await self._heartbeat()
        await self.reap()

    async def stop(self) -> None:
        async with self.db.session() as session:
            await session.execute(delete(Worker).where(Worker.name == self.name))

    async def take(self, call_id: str) -> None:
        """Answer for ``call_id`` from now on (its audio reached this process)."""
        async with self.db.session() as session:
            await live.set_owner(session, call_id, self.name)

    async def reap(self) -> list[str]:
        """Fail the live calls whose owner is gone; returns their IDs."""
        async with self.db.session(read_only=True) as session:
            owned = await live.owned_live_calls(session)
            workers = {w.name: w for w in await session.scalars(select(Worker))}
        orphans = [call_id for call_id, owner in owned if not self._alive(workers.get(owner or ""))]
        for call_id in orphans:
            await events.failed(self.db, call_id, "interrupted: its server process stopped")
        return orphans

    def _alive(self, worker: Worker | None) -> bool:
        if worker is None:
            return False
        if worker.host == self.host and worker.pid != self.pid and not _runs(worker.pid):
            return False  # died on this machine: no need to wait out its lease
        return worker.name == self.name or utcnow() - worker.heartbeat_at < self.lease

    async def _heartbeat(self) -> None:
        now = utcnow()
        async with self.db.session() as session:
            renewed = await session.execute(
                update(Worker).where(Worker.name == self.name).values(heartbeat_at=now)
            )
            if rows_changed(renewed) == 0:  # taken for dead and forgotten while it stalled
                session.add(Worker(name=self.name, host=self.host, pid=self.pid))
            await session.execute(delete(Worker).where(Worker.heartbeat_at < now - FORGET_AFTER))


def _runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, under another user
    return True
