"""Places the calls waiting in ``initiated``, within each workspace's concurrent-call limit.

The claim (``dial_started_at``, and this process as ``owner``) is committed before the
carrier is asked to dial, so a call is dialed at most once: if the process dies, a
claimed call that never finished is failed (``calls.leases``), never dialed again.
"""

import asyncio
import contextlib
import logging

from ringline.calls import events, live
from ringline.config import Settings
from ringline.db import Database
from ringline.db.base import utcnow
from ringline.jobs import Pass
from ringline.models import Call
from ringline.operations.metrics import DIAL_LAG
from ringline.runtime.leases import ProcessLease
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
        self,
        db: Database,
        settings: Settings,
        carriers: dict[str, Carrier],
        lease: ProcessLease,
        reports: Reports,
    ) -> None:
        self.db = db
        self.settings = settings
        self.carriers = carriers
        self.lease = lease
        self.reports = reports
        self._dialing: set[asyncio.Task[None]] = set()

    def dial_pass(self) -> Pass:
        """Claim what there is room for and dial it; woken when calls are placed."""
        return Pass(
            "calls.dial",
            self.dial_waiting,
            self.settings.dial_poll_seconds,
            wake_on=(events.CALLS_PLACED,),
        )

    async def dial_waiting(self) -> None:
        for request in await self._claim():
            self._spawn(request)

    async def stop(self) -> None:
        """Stop the dials under way (their calls are failed as interrupted by the lease)."""
        for task in list(self._dialing):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

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
            waiting = await live.waiting_to_dial(session, BATCH)
            room = await live.room_for_calls(session)
            claimed = []
            for call in waiting:
                if room.get(call.workspace_id, 0) > 0 and await live.claim_for_dialing(
                    session, call, self.lease.name
                ):
                    room[call.workspace_id] -= 1
                    claimed.append(self._request(call))
                    DIAL_LAG.observe(
                        (utcnow() - (call.scheduled_at or call.created_at)).total_seconds()
                    )
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
