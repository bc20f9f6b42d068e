"""The machinery that makes calls happen in this process: carriers, dialer, voice engine."""

from dataclasses import dataclass

from ringline.calls.dialer import Dialer
from ringline.calls.leases import ProcessLease
from ringline.campaigns.scheduler import CampaignScheduler
from ringline.config import Settings
from ringline.db import Database
from ringline.telephony.carrier import Carrier
from ringline.telephony.sandbox.carrier import SandboxCarrier
from ringline.voice.engine import VoiceEngine


@dataclass
class Calling:
    voice: VoiceEngine
    carriers: dict[str, Carrier]
    lease: ProcessLease
    # Placing calls (campaign contacts included); None where other processes do it.
    dialer: Dialer | None = None
    scheduler: CampaignScheduler | None = None

    async def stop(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.stop()
        if self.dialer is not None:
            await self.dialer.stop()
        for carrier in self.carriers.values():
            await carrier.stop()
        await self.voice.stop()
        await self.lease.stop()


async def start_calling(db: Database, settings: Settings, dial: bool = True) -> Calling:
    """Carry calls' audio in this process and, if ``dial``, place waiting calls too."""
    lease = ProcessLease(db, settings)
    await lease.start()  # fails the live calls of processes that died, this one's past included
    voice = VoiceEngine(db, settings, lease)
    voice.start()
    sandbox = SandboxCarrier(
        db,
        voice.default_llm,
        reports_dir=settings.data_dir / "sandbox",
        ring_seconds=settings.sandbox_ring_seconds,
    )
    carriers: dict[str, Carrier] = {sandbox.name: sandbox}
    calling = Calling(voice, carriers, lease)
    if dial:
        calling.dialer = Dialer(db, settings, carriers, lease)
        await calling.dialer.start()
        calling.scheduler = CampaignScheduler(db, settings)
        await calling.scheduler.start()
    return calling
