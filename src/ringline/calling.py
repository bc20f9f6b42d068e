"""The machinery that makes calls happen in this process: carriers, dialer, voice engine."""

from dataclasses import dataclass

from ringline.calls.dialer import Dialer
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
    dialer: Dialer
    scheduler: CampaignScheduler

    async def stop(self) -> None:
        await self.scheduler.stop()
        await self.dialer.stop()
        for carrier in self.carriers.values():
            await carrier.stop()
        await self.voice.stop()


async def start_calling(db: Database, settings: Settings) -> Calling:
    voice = VoiceEngine(db, settings)
    sandbox = SandboxCarrier(
        db,
        voice.llm_endpoint,
        reports_dir=settings.data_dir / "sandbox",
        ring_seconds=settings.sandbox_ring_seconds,
    )
    carriers: dict[str, Carrier] = {sandbox.name: sandbox}
    dialer = Dialer(db, settings, carriers)
    await dialer.start()
    # After the dialer, which first fails the calls a stop interrupted (settling them).
    scheduler = CampaignScheduler(db, settings)
    await scheduler.start()
    return Calling(voice, carriers, dialer, scheduler)
