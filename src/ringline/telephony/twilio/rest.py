"""Twilio's REST API for calls: create one, and end or cancel it (form-encoded, Basic auth)."""

from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from ringline.carrier_accounts.service import CarrierCredentials

# The events Twilio posts to the status callback (without them, only ``completed``).
STATUS_EVENTS = ("initiated", "ringing", "answered", "completed")
ALREADY_ENDED = 20404  # Twilio's code for a call resource that no longer exists
TIMEOUT = httpx.Timeout(10.0)
FORM = "application/x-www-form-urlencoded"


class TwilioRefused(Exception):
    """Twilio answered a request with an error; its own message, never the credentials."""


@dataclass(frozen=True)
class NewCall:
    to_number: str
    from_number: str
    twiml: str
    status_callback: str
    ring_seconds: int = 30


def _calls_url(account: CarrierCredentials) -> str:
    sid = account.fields["account_sid"]
    return f"{account.api_base_url}/2010-04-01/Accounts/{sid}/Calls"


def _auth(account: CarrierCredentials) -> httpx.BasicAuth:
    return httpx.BasicAuth(account.fields["account_sid"], account.fields["auth_token"])


async def create_call(client: httpx.AsyncClient, account: CarrierCredentials, call: NewCall) -> str:
    """Place the call; returns its CallSid."""
    form = [
        ("To", call.to_number),
        ("From", call.from_number),
        ("Twiml", call.twiml),
        ("StatusCallback", call.status_callback),
        ("StatusCallbackMethod", "POST"),
        ("Timeout", str(call.ring_seconds)),
        *(("StatusCallbackEvent", event) for event in STATUS_EVENTS),
    ]
    response = await client.post(
        f"{_calls_url(account)}.json",
        content=urlencode(form),  # encoded here: httpx's ``data`` repeats no field
        auth=_auth(account),
        headers={"Accept": "application/json", "Content-Type": FORM},
        timeout=TIMEOUT,
    )
    if response.status_code != 201:
        raise TwilioRefused(_message(response))
    return str(response.json()["sid"])


async def end_call(
    client: httpx.AsyncClient, account: CarrierCredentials, call_sid: str, status: str
) -> None:
    """``completed`` hangs up an answered call, ``canceled`` one still queued or ringing;
    a call Twilio no longer has is ended already."""
    response = await client.post(
        f"{_calls_url(account)}/{call_sid}.json",
        data={"Status": status},
        auth=_auth(account),
        headers={"Accept": "application/json"},
        timeout=TIMEOUT,
    )
    if response.status_code == 404 and _code(response) == ALREADY_ENDED:
        return
    if response.status_code >= 300:
        raise TwilioRefused(_message(response))


def _code(response: httpx.Response) -> int | None:
    try:
        code = response.json().get("code")
    except ValueError:
        return None
    return code if isinstance(code, int) else None


def _message(response: httpx.Response) -> str:
    try:
        message = response.json().get("message")
    except ValueError:
        message = None
    return f"Twilio answered {response.status_code}: {message or 'no message'}"
