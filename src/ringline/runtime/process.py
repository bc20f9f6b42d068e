"""The process object: what makes calls happen in this process, started with its roles.

``ringline serve`` starts a runtime that carries call audio and, unless
``RINGLINE_BACKGROUND=false``, the background passes too; ``ringline worker`` starts one
for the background passes only (dialing, campaign scheduling, webhook delivery).
"""

from pipecat.transports.base_transport import BaseTransport

from ringline.campaigns.scheduler import scheduler_pass
from ringline.config import Settings
from ringline.db import Database
from ringline.jobs import LoopRunner
from ringline.runtime.dialer import Dialer, Reports
from ringline.runtime.end_requests import end_requests_pass
from ringline.runtime.engine import CallEngine
from ringline.runtime.leases import ProcessLease
from ringline.runtime.lines import Lines
from ringline.runtime.plan import PlanBuilder
from ringline.telephony.registry import CarrierContext, build_carriers
from ringline.webhooks.dispatcher import Dispatcher, Policy


class Runtime:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.lease = ProcessLease(db, settings)
        self.plans = PlanBuilder(db, settings)
        self.engine = CallEngine(db, settings, self.lease, self.plans)
        lines = Lines(db, settings, self.lease)
        self.reports = Reports(db)
        context = CarrierContext(db, settings, self.plans.default_llm, lines, self._converse)
        self.carriers = build_carriers(context)
        self.runner = LoopRunner()
        self.dialer: Dialer | None = None
        self.dispatcher: Dispatcher | None = None

    @property
    def owner(self) -> str:
        return self.lease.name

    async def start(self, *, background: bool) -> None:
        """Carry call audio from now on; with ``background``, dial, schedule and deliver."""
        await self.lease.start()  # fails the live calls of processes that died first
        self.runner.start(self.lease.renewal_pass())
        self.runner.start(end_requests_pass(self.db, self.engine))
        for carrier in self.carriers.values():
            await carrier.start()
        if not background:
            return
        self.dialer = Dialer(self.db, self.settings, self.carriers, self.lease, self.reports)
        self.dispatcher = Dispatcher(self.db, Policy.from_settings(self.settings))
        self.runner.start(self.dialer.dial_pass())
        self.runner.start(scheduler_pass(self.db, self.settings))
        self.runner.start(self.dispatcher.dispatch_pass())

    async def _converse(self, call_id: str, transport: BaseTransport) -> None:
        """A carrier with its own media hands an answered call's audio over here."""
        await self.reports.answered(call_id)
        await self.engine.converse(call_id, transport)

    async def warm_up(self) -> dict[str, float]:
        """Load and run the bundled models once, so the first call sounds like the rest."""
        return await self.plans.warm_up()

    async def hang_up(self, call_id: str) -> bool:
        return await self.engine.hang_up(call_id)

    async def cancel_dial(self, carrier: str, call_id: str) -> None:
        if found := self.carriers.get(carrier):
            await found.cancel(call_id)

    async def stop(self) -> None:
        await self.runner.stop()
        if self.dialer is not None:
            await self.dialer.stop()
        for carrier in self.carriers.values():
            await carrier.stop()
        await self.engine.stop()
        if self.dispatcher is not None:
            await self.dispatcher.stop()
        await self.plans.stop()
        await self.lease.stop()
