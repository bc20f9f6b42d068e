"""Exotel's status callbacks carry no signature: only one bearing the secret ringline
put in that call's callback URL is applied."""

import base64

from sqlalchemy import func, select

from ringline.models import Call, WebhookMessage
from ringline.telephony.exotel.url_secrets import url_secret
from tests.telephony.conftest import Line, call_of

PATH = "/carriers/exotel/callback"


def status(line: Line, event: str, value: str) -> dict[str, str]:
    return {"CallSid": line.call_sid, "EventType": event, "Status": value,
            "From": "+919876543210", "To": line.number}  # fmt: skip


async def post(client, line: Line, params, token=None, call_id=None):
    call_id = call_id or line.call_id
    secret = url_secret(token or line.auth_token, call_id)
    return await client.post(f"{PATH}?call_id={call_id}&secret={secret}", data=params)


async def events_queued(db) -> int:
    async with db.session() as session:
        return await session.scalar(select(func.count()).select_from(WebhookMessage)) or 0


async def test_callbacks_with_the_calls_secret_move_it_along(client, db, acme, other):
    ringing = await post(client, acme, status(acme, "ringing", "ringing"))
    answered = await post(client, acme, status(acme, "answered", "in-progress"))
    busy = await post(client, other, status(other, "terminal", "busy"))

    assert [r.status_code for r in (ringing, answered, busy)] == [200, 200, 200]
    assert (await call_of(db, acme.call_id)).status == "in-progress"
    assert (await call_of(db, other.call_id)).status == "busy"


async def test_callbacks_without_the_right_secret_are_refused_and_change_nothing(
    client, db, acme, other
):
    params = status(acme, "answered", "in-progress")
    forged = await post(client, acme, params, token="f" * 32)
    theirs = await post(client, acme, params, token=other.auth_token)
    bare = await client.post(f"{PATH}?call_id={acme.call_id}", data=params)
    elsewhere = await post(client, acme, params | {"CallSid": "another"})
    unknown = await post(client, acme, params, call_id="call_nope")

    codes = [r.status_code for r in (forged, theirs, bare, elsewhere, unknown)]
    assert codes == [403] * 5
    assert (await call_of(db, acme.call_id)).status == "initiated"
    assert await events_queued(db) == 0


async def test_a_replayed_callback_changes_nothing(client, db, acme):
    await post(client, acme, status(acme, "answered", "in-progress"))
    before, queued = await call_of(db, acme.call_id), await events_queued(db)

    again = await post(client, acme, status(acme, "ringing", "ringing"))

    after = await call_of(db, acme.call_id)
    assert again.status_code == 200
    assert (after.status, after.answered_at) == (before.status, before.answered_at)
    assert await events_queued(db) == queued


async def test_the_applet_needs_the_accounts_credentials(client, db, acme, settings):
    query = {"CallSid": "x1", "From": "09812345678", "To": acme.number}
    good = "Basic " + base64.b64encode(f"{acme.account_sid}:{acme.auth_token}".encode()).decode()
    bad = "Basic " + base64.b64encode(f"{acme.account_sid}:wrong".encode()).decode()

    refused = await client.get("/carriers/exotel/inbound", params=query,
                               headers={"Authorization": bad})  # fmt: skip
    async with db.session() as session:
        before = await session.scalar(select(func.count()).where(Call.direction == "inbound"))
    answered = await client.get("/carriers/exotel/inbound", params=query,
                                headers={"Authorization": good})  # fmt: skip

    assert refused.status_code == 403 and before == 0
    assert answered.status_code == 200
    url = answered.json()["url"]
    assert url.startswith(f"{settings.resolved_media_url}/carriers/exotel/media?sample-rate=8000")
    assert "call_id=call_" in url and "token=" in url
