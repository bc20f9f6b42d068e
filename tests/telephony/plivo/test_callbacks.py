"""Plivo's ring, answer and hangup requests: applied only when signed by the call's own
account, with the answer XML streaming the call's audio to ringline."""

from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

from sqlalchemy import func, select

from ringline.models import WebhookMessage
from ringline.telephony.media_tokens import valid_media_token
from tests.telephony.conftest import Line, call_of
from tests.telephony.fake_plivo import signature_v3

PATH = "/carriers/plivo/callback"


def request_params(line: Line, status: str, **extra: str) -> dict[str, str]:
    return {
        "CallUUID": line.call_sid,
        "CallStatus": status,
        "Direction": "outbound",
        "From": line.number.removeprefix("+"),
        "To": "919876543210",
        **extra,
    }


async def post(client, line: Line, event: str, params, token=None, call_id=None):
    path = f"{PATH}?call_id={call_id or line.call_id}&event={event}"
    signed = signature_v3(token or line.auth_token, f"{client.base_url}{path}", params, "n0nce")
    headers = {"X-Plivo-Signature-V3": signed, "X-Plivo-Signature-V3-Nonce": "n0nce"}
    return await client.post(path, data=params, headers=headers)


async def events_queued(db) -> int:
    async with db.session() as session:
        return await session.scalar(select(func.count()).select_from(WebhookMessage)) or 0


async def test_ring_then_answer_streams_the_call(client, db, acme, settings):
    ringing = await post(client, acme, "ring", request_params(acme, "ringing"))
    answer = await post(client, acme, "answer", request_params(acme, "in-progress"))

    call = await call_of(db, acme.call_id)
    assert ringing.status_code == 204 and answer.status_code == 200
    assert call.status == "in-progress"
    stream = ElementTree.fromstring(answer.text).find("Stream")
    assert stream is not None and stream.text
    assert stream.attrib["bidirectional"] == "true"
    assert stream.attrib["contentType"] == "audio/x-mulaw;rate=8000"
    url = urlsplit(stream.text)
    assert url.path == "/carriers/plivo/media"
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    secret = settings.secret_key.get_secret_value()
    assert query["call_id"] == acme.call_id
    assert valid_media_token(secret, acme.call_id, query["token"])


async def test_a_hangup_before_answer_ends_the_call_in_its_status(client, db, acme, other):
    busy = await post(client, acme, "hangup", request_params(acme, "busy"))
    timeout = await post(client, other, "hangup", request_params(other, "timeout"))

    assert (busy.status_code, timeout.status_code) == (204, 204)
    assert (await call_of(db, acme.call_id)).status == "busy"
    assert (await call_of(db, other.call_id)).status == "no-answer"


async def test_badly_signed_or_foreign_requests_are_refused_and_change_nothing(
    client, db, acme, other
):
    params = request_params(acme, "in-progress")
    forged = await post(client, acme, "answer", params, token="f" * 32)
    theirs = await post(client, acme, "answer", request_params(other, "in-progress"),
                        token=other.auth_token)  # fmt: skip
    unsigned = await client.post(f"{PATH}?call_id={acme.call_id}&event=answer", data=params)
    elsewhere = await post(client, acme, "answer", params | {"CallUUID": "another-call"})
    unknown = await post(client, acme, "answer", params, call_id="call_nope")

    statuses = [r.status_code for r in (forged, theirs, unsigned, elsewhere, unknown)]
    assert statuses == [403] * 5
    assert (await call_of(db, acme.call_id)).status == "initiated"
    assert await events_queued(db) == 0


async def test_a_replayed_request_changes_nothing(client, db, acme):
    await post(client, acme, "ring", request_params(acme, "ringing"))
    await post(client, acme, "answer", request_params(acme, "in-progress"))
    before, queued = await call_of(db, acme.call_id), await events_queued(db)

    again = await post(client, acme, "ring", request_params(acme, "ringing"))

    after = await call_of(db, acme.call_id)
    assert again.status_code == 204
    assert (after.status, after.answered_at) == (before.status, before.answered_at)
    assert await events_queued(db) == queued
