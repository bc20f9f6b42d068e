"""Calls to a workspace's Twilio number: answered by its assistant, or refused politely."""

from sqlalchemy import select, update

from ringline.models import Call, PhoneNumber, Workspace
from ringline.telephony.media_tokens import valid_media_token
from tests.telephony.conftest import Line
from tests.telephony.fake_twilio import parse_stream, signature

PATH = "/carriers/twilio/inbound"
CALLER = "+919812345678"


async def ring(client, line: Line, token: str | None = None):
    params = {
        "AccountSid": line.account_sid,
        "ApiVersion": "2010-04-01",
        "CallSid": "CA" + "9" * 32,
        "CallStatus": "ringing",
        "Direction": "inbound",
        "From": CALLER,
        "To": line.number,
    }
    signed = signature(token or line.auth_token, f"{client.base_url}{PATH}", list(params.items()))
    return await client.post(PATH, data=params, headers={"X-Twilio-Signature": signed})


async def inbound_calls(db) -> list[Call]:
    async with db.session() as session:
        return list(await session.scalars(select(Call).where(Call.direction == "inbound")))


async def test_a_call_to_an_assigned_number_is_answered_with_a_stream(client, db, acme, settings):
    response = await ring(client, acme)

    [call] = await inbound_calls(db)
    stream = parse_stream(response.text)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    assert stream is not None
    assert stream.url == f"{settings.resolved_media_url}/carriers/twilio/media"
    assert stream.parameters["call_id"] == call.id
    secret = settings.secret_key.get_secret_value()
    assert valid_media_token(secret, call.id, stream.parameters["token"])
    assert (call.status, call.from_number, call.to_number) == ("in-progress", CALLER, acme.number)
    assert call.carrier == "twilio" and call.carrier_call_id == "CA" + "9" * 32
    assert call.workspace_id == acme.workspace_id and call.assistant_id == acme.assistant_id


async def test_a_number_without_an_assistant_rejects_the_call(client, db, acme):
    async with db.session() as session:
        await session.execute(update(PhoneNumber).values(assistant_id=None))

    response = await ring(client, acme)

    assert response.status_code == 200
    assert "<Reject />" in response.text and "<Stream" not in response.text
    assert await inbound_calls(db) == []


async def test_a_call_over_the_limit_hears_why_and_is_hung_up(client, db, acme):
    async with db.session() as session:
        await session.execute(update(Workspace).values(concurrent_call_limit=0))

    response = await ring(client, acme)

    assert response.status_code == 200
    assert "<Say>Sorry, all our lines are busy" in response.text
    assert response.text.endswith("<Hangup /></Response>")
    assert await inbound_calls(db) == []


async def test_a_badly_signed_inbound_call_is_refused(client, db, acme, other):
    forged = await ring(client, acme, token="f" * 32)
    theirs = await ring(client, acme, token=other.auth_token)

    assert (forged.status_code, theirs.status_code) == (403, 403)
    assert await inbound_calls(db) == []
