"""Twilio: calls placed through its REST API, audio over Media Streams, signed callbacks."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ringline.telephony.carrier import Carrier, CarrierContext

NAME = "twilio"


def reaches(number: str) -> bool:
    return True  # Twilio dials any E.164 number (India only from a non-Indian caller ID)


def build(context: "CarrierContext") -> "Carrier":
    from ringline.telephony.twilio.carrier import TwilioCarrier

    return TwilioCarrier(context.db, context.settings, context.lines)
