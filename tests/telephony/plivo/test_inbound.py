"""Calls to a workspace's Plivo number: answered by its assistant, or refused politely."""

from sqlalchemy import select, update

from ringline.models import Call, PhoneNumber, Workspace
from tests.telephony.conftest import Line
from tests.telephony.fake_plivo import signature_v3

PATH = "/carriers/plivo/inbound"
CALLER = "+919812345678"


async def ring(client, line: Line, token: str | None = None):
    params = {
        "CallUUID": "c0ffee00-0000-4000-8000-000000000001",
        "CallStatus": "ringing",
        "Direction": "inbound",
        "From": CALLER.removeprefix("+"),
        "To": line.number.removeprefix("+"),
    }
    signed = signature_v3(token or line.auth_token, f"{client.base_url}{PATH}", params, "n1")
    headers = {"X-Plivo-Signature-V3": signed, "X-Plivo-Signature-V3-Nonce": "n1"}
    return await client.post(PATH, data=params, headers=headers)


async def inbound_calls(db) -> list[Call]:
    async with db.session() as session:
        return list(await session.scalars(select(Call).where(Call.direction == "inbound")))


async def test_a_call_to_an_assigned_number_is_answered_with_a_stream(client, db, acme):
    response = await ring(client, acme)

    [call] = await inbound_calls(db)
    assert response.status_code == 200 and "<Stream" in response.text
    assert f"call_id={call.id}" in response.text
    assert (call.status, call.from_number, call.to_number) == ("in-progress", CALLER, acme.number)
    assert call.carrier == "plivo" and call.workspace_id == acme.workspace_id


async def test_a_number_without_an_assistant_rejects_the_call(client, db, acme):
    async with db.session() as session:
        await session.execute(update(PhoneNumber).values(assistant_id=None))

    response = await ring(client, acme)

    assert '<Hangup reason="rejected" />' in response.text
    assert await inbound_calls(db) == []


async def test_a_call_over_the_limit_hears_why_and_is_hung_up(client, db, acme):
    async with db.session() as session:
        await session.execute(update(Workspace).values(concurrent_call_limit=0))

    response = await ring(client, acme)

    assert "<Speak>Sorry, all our lines are busy" in response.text
    assert response.text.endswith("<Hangup /></Response>")
    assert await inbound_calls(db) == []


async def test_a_badly_signed_inbound_call_is_refused(client, db, acme, other):
    forged = await ring(client, acme, token="f" * 32)
    theirs = await ring(client, acme, token=other.auth_token)

    assert (forged.status_code, theirs.status_code) == (403, 403)
    assert await inbound_calls(db) == []
