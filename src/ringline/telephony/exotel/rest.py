"""Exotel's "Connect Voice AI" call: the person dialed straight to ringline's stream."""

from dataclasses import dataclass
from typing import Any

import httpx

from ringline.carrier_accounts.service import CarrierCredentials

TIMEOUT = httpx.Timeout(10.0)


class ExotelRefused(Exception):
    """Exotel answered a request with an error; its own message, never the credentials."""


@dataclass(frozen=True)
class NewCall:
    to_number: str
    caller_id: str
    stream_url: str
    status_callback: str
    ring_seconds: int = 30


async def connect_call(
    client: httpx.AsyncClient, account: CarrierCredentials, call: NewCall
) -> str:
    """Place the call (``.json``: Exotel's v1 APIs answer XML otherwise); returns its Sid."""
    fields = account.fields
    form = {
        "From": call.to_number,
        "CallerId": call.caller_id,
        "StreamUrl": call.stream_url,
        "StreamType": "bidirectional",
        "TimeOut": str(call.ring_seconds),
        "StatusCallback": call.status_callback,
        "StatusCallbackEvents[]": ["ringing", "answered", "terminal"],  # sent repeated
    }
    response = await client.post(
        f"{account.api_base_url}/v1/Accounts/{fields['account_sid']}/Calls/connect.json",
        data=form,
        auth=httpx.BasicAuth(fields["api_key"], fields["api_token"]),
        timeout=TIMEOUT,
    )
    if response.status_code not in (200, 201):
        raise ExotelRefused(f"Exotel answered {response.status_code}: {_message(response)}")
    return _sid(response.json())


def _sid(body: dict[str, Any]) -> str:
    """Exotel's pages spell it ``{"Call": {"Sid"}}`` and ``{"call": {"sid"}}``."""
    call = {k.lower(): v for k, v in body.items()}.get("call") or {}
    return str({k.lower(): v for k, v in call.items()}.get("sid", ""))


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json().get("RestException", {}).get("Message") or "no message")
    except (ValueError, AttributeError):
        return "no message"
