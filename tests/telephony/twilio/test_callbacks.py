"""Twilio's status callbacks: applied only when signed by the call's own account."""

from sqlalchemy import func, select

from ringline.models import WebhookMessage
from tests.telephony.conftest import Line, call_of
from tests.telephony.fake_twilio import signature

PATH = "/carriers/twilio/callback"


def status_params(line: Line, status: str, **extra: str) -> dict[str, str]:
    return {
        "AccountSid": line.account_sid,
        "ApiVersion": "2010-04-01",
        "CallSid": line.call_sid,
        "CallStatus": status,
        "Direction": "outbound-api",
        "From": line.number,
        "To": "+919876543210",
        "CallbackSource": "call-progress-events",
        **extra,
    }


async def post(client, line: Line, params, token: str | None = None, call_id=None):
    path = f"{PATH}?call_id={call_id or line.call_id}"
    url = f"{client.base_url}{path}"
    signed = signature(token or line.auth_token, url, list(params.items()))
    return await client.post(path, data=params, headers={"X-Twilio-Signature": signed})


async def events_queued(db) -> int:
    async with db.session() as session:
        return await session.scalar(select(func.count()).select_from(WebhookMessage)) or 0


async def test_signed_callbacks_move_the_call_along(client, db, acme):
    ringing = await post(client, acme, status_params(acme, "ringing"))
    answered = await post(client, acme, status_params(acme, "in-progress"))

    call = await call_of(db, acme.call_id)
    assert (ringing.status_code, answered.status_code) == (204, 204)
    assert call.status == "in-progress" and call.answered_at is not None


async def test_unanswered_calls_end_in_twilios_status(client, db, acme, other):
    busy = await post(client, acme, status_params(acme, "busy", CallDuration="0"))
    nobody = await post(client, other, status_params(other, "no-answer", CallDuration="0"))

    assert (busy.status_code, nobody.status_code) == (204, 204)
    assert (await call_of(db, acme.call_id)).status == "busy"
    assert (await call_of(db, other.call_id)).status == "no-answer"


async def test_a_badly_signed_callback_is_refused_and_changes_nothing(client, db, acme):
    params = status_params(acme, "in-progress")
    url = f"{client.base_url}{PATH}?call_id={acme.call_id}"
    tampered = params | {"CallStatus": "busy"}  # signed as in-progress, sent as busy
    headers = {"X-Twilio-Signature": signature(acme.auth_token, url, list(params.items()))}

    forged = await post(client, acme, params, token="f" * 32)
    altered = await client.post(f"{PATH}?call_id={acme.call_id}", data=tampered, headers=headers)
    unsigned = await client.post(f"{PATH}?call_id={acme.call_id}", data=params)

    assert [r.status_code for r in (forged, altered, unsigned)] == [403, 403, 403]
    call = await call_of(db, acme.call_id)
    assert call.status == "initiated" and call.answered_at is None
    assert await events_queued(db) == 0


async def test_another_accounts_callback_for_a_call_is_refused(client, db, acme, other):
    """Signed by another workspace's account (validly, for its own token), naming acme's
    call; and signed by acme's account but about another of its calls."""
    theirs = await post(client, acme, status_params(other, "in-progress"), token=other.auth_token)
    wrong_sid = status_params(acme, "in-progress", CallSid="CA" + "2" * 32)
    elsewhere = await post(client, acme, wrong_sid)

    assert (theirs.status_code, elsewhere.status_code) == (403, 403)
    assert (await call_of(db, acme.call_id)).status == "initiated"
    assert await events_queued(db) == 0


async def test_a_callback_for_an_unknown_call_is_refused(client, db, acme):
    response = await post(client, acme, status_params(acme, "ringing"), call_id="call_nope")

    assert response.status_code == 403
    assert await events_queued(db) == 0


async def test_a_replayed_callback_changes_nothing(client, db, acme):
    ringing = status_params(acme, "ringing")
    await post(client, acme, ringing)
    await post(client, acme, status_params(acme, "in-progress"))
    before, queued = await call_of(db, acme.call_id), await events_queued(db)

    replays = [await post(client, acme, ringing) for _ in range(2)]

    after = await call_of(db, acme.call_id)
    assert [r.status_code for r in replays] == [204, 204]
    assert (after.status, after.answered_at) == (before.status, before.answered_at)
    assert await events_queued(db) == queued
