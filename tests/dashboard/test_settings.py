"""Numbers with their assistants; webhooks with their delivery log and redelivery."""

from ringline.db.base import utcnow
from ringline.models import WebhookDelivery
from tests.dashboard.signing import sign_in
from tests.webhooks.test_api import queue, register


async def test_numbers_show_the_assistant_answering_them(client, auth):
    assistant = (
        await client.post(
            "/v1/assistants", json={"name": "Front desk", "prompt": "p"}, headers=auth
        )
    ).json()
    body = {"number": "+918001234567", "assistant_id": assistant["id"]}
    number = (await client.post("/v1/numbers", json=body, headers=auth)).json()
    csrf = await sign_in(client, auth)

    html = (await client.get("/dashboard/numbers")).text
    cleared = await client.post(
        f"/dashboard/numbers/{number['id']}/assistant", data={"csrf_token": csrf}
    )
    listed = (await client.get("/v1/numbers", headers=auth)).json()

    assert "+918001234567" in html and "Front desk" in html
    assert cleared.status_code == 303
    assert [n["assistant_id"] for n in listed["numbers"] if n["id"] == number["id"]] == [None]


async def test_a_delivery_is_listed_and_redelivered(client, make_key, session):
    caller = await make_key()
    hook = await register(client, caller.headers)
    [message_id] = await queue(session, caller.workspace_id)
    delivery = WebhookDelivery(
        workspace_id=caller.workspace_id,
        endpoint_id=hook["id"],
        message_id=message_id,
        event="call.completed",
        attempted_at=utcnow(),
        status_code=503,
        latency_ms=12,
        error="HTTP 503",
    )
    session.add(delivery)
    await session.flush()
    csrf = await sign_in(client, caller.headers)

    log = (await client.get(f"/dashboard/webhooks/{hook['id']}")).text
    again = await client.post(
        f"/dashboard/webhooks/{hook['id']}/redeliver",
        data={"csrf_token": csrf, "message_id": message_id},
    )
    listed = (await client.get("/dashboard/webhooks")).text

    assert "503" in log and message_id in log
    assert again.status_code == 303 and message_id in again.headers["location"]
    assert hook["url"] in listed


async def test_another_workspaces_webhook_is_not_found(client, make_key):
    mine, theirs = await make_key("acme"), await make_key("globex")
    hook = await register(client, theirs.headers)
    csrf = await sign_in(client, mine.headers)

    shown = await client.get(f"/dashboard/webhooks/{hook['id']}")
    again = await client.post(
        f"/dashboard/webhooks/{hook['id']}/redeliver",
        data={"csrf_token": csrf, "message_id": "msg_x"},
    )

    assert shown.status_code == 404 and again.status_code == 404
