"""Places the calls waiting in ``initiated``, within each workspace's concurrent-call limit.

The claim (``dial_started_at``, and this process as ``owner``) is committed before the
carrier is asked to dial, so a call is dialed at most once: if the process dies, a
claimed call that never finished is failed (``calls.leases``), never dialed again.
"""

import asyncio
import contextlib
import logging

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.calls import events
from ringline.calls.leases import ProcessLease
from ringline.calls.lifecycle import is_live
from ringline.config import Settings
from ringline.db import Database
from ringline.db.base import utcnow
from ringline.models import Call, Workspace
from ringline.telephony.carrier import Carrier, DialRequest
from ringline.telephony.media_tokens import media_token

logger = logging.getLogger(__name__)
BATCH = 50


class Reports:
    """What carriers report, turned into lifecycle changes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def ringing(self, call_id: str) -> None:
        await events.ringing(self.db, call_id)

    async def answered(self, call_id: str) -> None:
        await events.answered(self.db, call_id)

    async def unanswered(self, call_id: str, status: str, reason: str | None = None) -> None:
        await events.unanswered(self.db, call_id, status, reason)

    async def failed(self, call_id: str, reason: str) -> None:
        await events.failed(self.db, call_id, reason)


class Dialer:
    def __init__(
        self, db: Database, settings: Settings, carriers: dict[str, Carrier], lease: ProcessLease
    ) -> None:
        self.db = db
        self.settings = settings
        self.carriers = carriers
        self.lease = lease
        self.reports = Reports(db)
        self._wakeup = asyncio.Event()
        self._dialing: set[asyncio.Task[None]] = set()
        self._loop: asyncio.Task[None] | None = None

    async def start(self) -> None:
        events.CALLS_PLACED.subscribe(self._wakeup)
        self._loop = asyncio.create_task(self._run(), name="dialer")

    async def stop(self) -> None:
        events.CALLS_PLACED.unsubscribe(self._wakeup)
        for task in [self._loop, *self._dialing]:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _run(self) -> None:
        while True:
            self._wakeup.clear()
            try:
                for call in await self._claim():
                    self._spawn(call)
            except Exception:
                logger.exception("the dialer failed to claim calls")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self.settings.dial_poll_seconds)

    def _spawn(self, request: DialRequest) -> None:
        task = asyncio.create_task(self._dial(request), name=f"dial-{request.call_id}")
        self._dialing.add(task)
        task.add_done_callback(self._dialing.discard)

    async def _dial(self, request: DialRequest) -> None:
        carrier = self.carriers[request.carrier]
        try:
            await carrier.dial(request, self.reports)
        except Exception:
            logger.exception("dialing %s failed", request.call_id)
            await events.failed(self.db, request.call_id, "the carrier failed to place the call")

    async def _claim(self) -> list[DialRequest]:
        async with self.db.session() as session:
            waiting = await session.scalars(
                select(Call)
                .where(Call.status == "initiated", Call.dial_started_at.is_(None))
                .order_by(Call.created_at)
                .limit(BATCH)
            )
            room = await _room_per_workspace(session)
            claimed = []
            for call in waiting:
                if room.get(call.workspace_id, 0) > 0 and await _claim_one(
                    session, call, self.lease.name
                ):
                    room[call.workspace_id] -= 1
                    claimed.append(self._request(call))
            return claimed

    def _request(self, call: Call) -> DialRequest:
        secret = self.settings.secret_key.get_secret_value()
        return DialRequest(
            call_id=call.id,
            workspace_id=call.workspace_id,
            carrier=call.carrier,
            from_number=call.from_number,
            to_number=call.to_number,
            media_url=f"{self.settings.resolved_media_url}/carriers/{call.carrier}/media",
            media_parameters={"call_id": call.id, "token": media_token(secret, call.id)},
        )


async def _room_per_workspace(session: AsyncSession) -> dict[str, int]:
    """How many more calls each workspace may have live right now."""
    live = (
        select(Call.workspace_id, func.count().label("live"))
        .where(Call.dial_started_at.is_not(None), is_live())
        .group_by(Call.workspace_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            Workspace.id, Workspace.concurrent_call_limit - func.coalesce(live.c.live, 0)
        ).outerjoin(live, live.c.workspace_id == Workspace.id)
    )
    return {workspace_id: room for workspace_id, room in rows}


async def _claim_one(session: AsyncSession, call: Call, owner: str) -> bool:
    result = await session.execute(
        update(Call)
        .where(Call.id == call.id, Call.dial_started_at.is_(None))
        .values(dial_started_at=utcnow(), owner=owner)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
