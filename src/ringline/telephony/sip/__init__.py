"""SIP trunks: a user agent inside ringline places and answers calls over a trunk or a
PBX; the audio is RTP, carried into the voice engine by a Pipecat transport."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ringline.telephony.carrier import Carrier, CarrierContext

NAME = "sip"


def reaches(number: str) -> bool:
    return True  # the trunk decides what it routes; a refusal comes back as a SIP code


def build(context: "CarrierContext") -> "Carrier":
    from ringline.telephony.sip.carrier import SipCarrier

    return SipCarrier(context)
