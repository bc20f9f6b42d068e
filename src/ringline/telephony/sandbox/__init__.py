"""The sandbox carrier: simulated callees on this machine instead of a phone network."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ringline.telephony.carrier import Carrier, CarrierContext

NAME = "sandbox"


def reaches(number: str) -> bool:
    return True  # every number has a simulated person behind it


def build(context: "CarrierContext") -> "Carrier":
    from ringline.telephony.sandbox.carrier import SandboxCarrier

    return SandboxCarrier(
        context.db,
        context.default_llm,
        reports_dir=context.settings.data_dir / "sandbox",
        ring_seconds=context.settings.sandbox_ring_seconds,
    )
