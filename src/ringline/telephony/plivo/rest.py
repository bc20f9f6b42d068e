"""Plivo's REST API for calls: create one (JSON, Basic auth), and hang one up."""

from dataclasses import dataclass

import httpx

from ringline.carrier_accounts.service import CarrierCredentials

TIMEOUT = httpx.Timeout(10.0)


class PlivoRefused(Exception):
    """Plivo answered a request with an error; its own message, never the credentials."""


@dataclass(frozen=True)
class NewCall:
    to_number: str
    from_number: str
    answer_url: str
    ring_url: str
    hangup_url: str
    ring_seconds: int = 30


def _account_url(account: CarrierCredentials) -> str:
    return f"{account.api_base_url}/v1/Account/{account.fields['auth_id']}"


def _auth(account: CarrierCredentials) -> httpx.BasicAuth:
    return httpx.BasicAuth(account.fields["auth_id"], account.fields["auth_token"])


async def create_call(client: httpx.AsyncClient, account: CarrierCredentials, call: NewCall) -> str:
    """Place the call; returns Plivo's ``request_uuid`` (the CallUUID comes in callbacks)."""
    body = {
        "from": call.from_number.removeprefix("+"),
        "to": call.to_number.removeprefix("+"),
        "answer_url": call.answer_url,
        "answer_method": "POST",
        "ring_url": call.ring_url,
        "ring_method": "POST",
        "hangup_url": call.hangup_url,
        "hangup_method": "POST",
        "ring_timeout": call.ring_seconds,
    }
    response = await client.post(
        f"{_account_url(account)}/Call/", json=body, auth=_auth(account), timeout=TIMEOUT
    )
    if response.status_code not in (200, 201):
        raise PlivoRefused(_message(response))
    return str(response.json().get("request_uuid", ""))


async def hang_up(client: httpx.AsyncClient, account: CarrierCredentials, call_uuid: str) -> None:
    """A call Plivo no longer has (404) is ended already."""
    response = await client.delete(
        f"{_account_url(account)}/Call/{call_uuid}/", auth=_auth(account), timeout=TIMEOUT
    )
    if response.status_code not in (204, 404):
        raise PlivoRefused(_message(response))


def _message(response: httpx.Response) -> str:
    try:
        message = response.json().get("error") or response.json().get("message")
    except ValueError:
        message = None
    return f"Plivo answered {response.status_code}: {message or 'no message'}"
