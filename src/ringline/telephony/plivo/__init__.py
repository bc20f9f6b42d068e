"""Plivo: calls placed through its REST API, audio over its bidirectional Stream, V3-signed
callbacks."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ringline.telephony.carrier import Carrier, CarrierContext

NAME = "plivo"


def reaches(number: str) -> bool:
    return True  # Plivo dials any E.164 number (India: both legs in India, media anchoring)


def build(context: "CarrierContext") -> "Carrier":
    from ringline.telephony.plivo.carrier import PlivoCarrier

    return PlivoCarrier(context.db, context.settings, context.lines)
