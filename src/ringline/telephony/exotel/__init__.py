"""Exotel: calls connected straight to the media stream ("Connect Voice AI"), audio over
its Voicebot stream (PCM16 8 kHz), callbacks proven by a per-call secret in their URL."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ringline.telephony.carrier import Carrier, CarrierContext

NAME = "exotel"


def reaches(number: str) -> bool:
    return number.startswith("+91")  # an Indian operator: ExoPhones dial Indian numbers


def build(context: "CarrierContext") -> "Carrier":
    from ringline.telephony.exotel.carrier import ExotelCarrier

    return ExotelCarrier(context.db, context.settings, context.lines)
