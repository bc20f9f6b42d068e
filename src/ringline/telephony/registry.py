"""The carriers this build knows. Adding a carrier is one subpackage and one entry here.

Domain code asks the registry which carriers can dial a number (no carrier's name is
written anywhere else); the runtime asks it to build each carrier for the process.
"""

from collections.abc import Callable
from dataclasses import dataclass

from ringline.telephony import exotel, plivo, sandbox, sip, twilio
from ringline.telephony.carrier import Carrier, CarrierContext

__all__ = ["KINDS", "CarrierContext", "CarrierKind", "build_carriers", "can_dial"]


@dataclass(frozen=True)
class CarrierKind:
    name: str
    reaches: Callable[[str], bool]
    build: Callable[[CarrierContext], Carrier]


KINDS: dict[str, CarrierKind] = {
    kind.name: kind
    for kind in (
        CarrierKind(sandbox.NAME, sandbox.reaches, sandbox.build),
        CarrierKind(twilio.NAME, twilio.reaches, twilio.build),
        CarrierKind(plivo.NAME, plivo.reaches, plivo.build),
        CarrierKind(exotel.NAME, exotel.reaches, exotel.build),
        CarrierKind(sip.NAME, sip.reaches, sip.build),
    )
}


def can_dial(carrier: str, number: str) -> bool:
    """Whether this build has ``carrier`` and it can dial ``number``."""
    kind = KINDS.get(carrier)
    return kind is not None and kind.reaches(number)


def build_carriers(context: CarrierContext) -> dict[str, Carrier]:
    return {name: kind.build(context) for name, kind in KINDS.items()}
