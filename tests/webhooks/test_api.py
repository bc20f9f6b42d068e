"""The /v1/webhooks routes and enqueue_event, inside the test's rolled-back transaction."""

import base64

import httpx
import pytest
from sqlalchemy import select

from ringline.auth.scopes import Scope
from ringline.db.base import utcnow
from ringline.models import WebhookDelivery, WebhookMessage
from ringline.webhooks.service import enqueue_event
from tests.conftest import KeyMaker, make_app, make_settings

HOOK = "https://93.184.215.14/webhooks/ringline"
EVENTS = ["call.completed", "call.failed"]


async def register(client, auth, url=HOOK, events=EVENTS, **fields):
    body = {"url": url, "events": events, **fields}
    response = await client.post("/v1/webhooks", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_registered_webhook_gets_a_standard_secret_and_is_listed_without_it(client, auth):
    created = await register(client, auth)

    listed = (await client.get("/v1/webhooks", headers=auth)).json()

    secret = created.pop("secret")
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) >= 24
    assert created["id"].startswith("wh_")
    assert (created["url"], created["events"], created["status"]) == (HOOK, EVENTS, "active")
    assert listed == {"webhooks": [created]}


async def test_a_given_secret_is_kept_as_given(client, auth):
    created = await register(client, auth, secret="optional-signing-secret")
    standard = await register(client, auth, secret="whsec_" + "A" * 32)

    assert created["secret"] == "optional-signing-secret"
    assert standard["secret"] == "whsec_" + "A" * 32


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"url": HOOK, "events": ["call.exploded"]}, "events.0", "unknown event 'call.exploded'"),
        ({"url": HOOK, "events": []}, "events", "at least 1 item"),
        ({"url": HOOK, "events": ["call.failed", "call.failed"]}, "events", "unique"),
        ({"url": HOOK}, "events", "required"),
        ({"url": "ftp://files.example.com/x", "events": EVENTS}, "url", "not an http(s) URL"),
        ({"url": "not a url", "events": EVENTS}, "url", "not an http(s) URL"),
        ({"url": "https://", "events": EVENTS}, "url", "not an http(s) URL"),
        ({"url": "https://example.com:99999/x", "events": EVENTS}, "url", "not a valid URL"),
        ({"events": EVENTS}, "url", "required"),
        ({"url": HOOK, "events": EVENTS, "secret": "short"}, "secret", "at least 16"),
        ({"url": HOOK, "events": EVENTS, "secret": "whsec_not*base64!!"}, "secret", "base64"),
        ({"url": HOOK, "events": EVENTS, "colour": "red"}, "colour", "not permitted"),
    ],
)
async def test_invalid_bodies_are_a_400_naming_the_problem(client, auth, body, field, says):
    response = await client.post("/v1/webhooks", json=body, headers=auth)

    error = response.json()["error"]
    assert response.status_code == 400
    assert [d["field"] for d in error["details"]] == [field]
    assert says in error["details"][0]["problem"]
    assert (await client.get("/v1/webhooks", headers=auth)).json() == {"webhooks": []}


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8080/hook",
        "http://127.0.0.1/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
async def test_private_and_loopback_urls_are_refused(client, auth, url):
    response = await client.post("/v1/webhooks", json={"url": url, "events": EVENTS}, headers=auth)

    error = response.json()["error"]
    assert response.status_code == 400
    assert "non-public address" in error["message"] and url in error["message"]
    assert error["details"][0]["field"] == "url"


async def test_private_urls_are_accepted_when_the_server_allows_them(db, session, auth, tmp_path):
    app = make_app(db, session, make_settings(tmp_path, allow_private_webhooks=True))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ringline.test") as client:
        created = await register(client, auth, url="http://localhost:8080/hook")

    assert created["url"] == "http://localhost:8080/hook"


async def test_delete_removes_the_webhook(client, auth):
    created = await register(client, auth)

    deleted = await client.delete(f"/v1/webhooks/{created['id']}", headers=auth)
    again = await client.delete(f"/v1/webhooks/{created['id']}", headers=auth)

    assert deleted.status_code == 204 and deleted.content == b""
    assert again.status_code == 404 and created["id"] in again.json()["error"]["message"]
    assert (await client.get("/v1/webhooks", headers=auth)).json() == {"webhooks": []}


async def test_workspaces_never_see_or_touch_each_others_webhooks(
    client, make_key: KeyMaker, session
):
    acme_key, globex = await make_key("acme"), (await make_key("globex")).headers
    acme = acme_key.headers
    hook = await register(client, acme)
    [message_id] = await queue(session, acme_key.workspace_id)

    routes = [
        client.delete(f"/v1/webhooks/{hook['id']}", headers=globex),
        client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=globex),
        client.post(f"/v1/webhooks/{hook['id']}/deliveries/{message_id}/redeliver", headers=globex),
    ]
    answers = [await route for route in routes]

    assert [a.status_code for a in answers] == [404, 404, 404]
    assert (await client.get("/v1/webhooks", headers=globex)).json() == {"webhooks": []}
    assert len((await client.get("/v1/webhooks", headers=acme)).json()["webhooks"]) == 1


async def test_reading_needs_a_read_key_and_writing_a_write_key(client, make_key: KeyMaker):
    reader = (await make_key(scope=Scope.read)).headers
    writer = (await make_key(scope=Scope.write)).headers

    listed = await client.get("/v1/webhooks", headers=reader)
    body = {"url": HOOK, "events": EVENTS}
    refused = await client.post("/v1/webhooks", json=body, headers=reader)
    secret = await client.get("/v1/webhooks/call-url/secret", headers=reader)
    created = await client.post("/v1/webhooks", json=body, headers=writer)
    anonymous = await client.get("/v1/webhooks")

    assert listed.status_code == 200 and created.status_code == 201
    assert refused.status_code == secret.status_code == 403
    assert anonymous.status_code == 401


async def test_the_signing_secret_is_stable_and_differs_per_workspace(client, make_key: KeyMaker):
    acme, globex = (await make_key("acme")).headers, (await make_key("globex")).headers

    first = (await client.get("/v1/webhooks/call-url/secret", headers=acme)).json()["secret"]
    again = (await client.get("/v1/webhooks/call-url/secret", headers=acme)).json()["secret"]
    other = (await client.get("/v1/webhooks/call-url/secret", headers=globex)).json()["secret"]

    assert first == again != other
    assert first.startswith("whsec_") and len(base64.b64decode(first[6:])) == 32


async def queue(session, workspace_id: str, event="call.completed", **options) -> list[str]:
    """Enqueue one event; the IDs of the messages it made, in order."""
    before = set(await session.scalars(select(WebhookMessage.id)))
    await enqueue_event(session, workspace_id, event, {"call_id": "call_1"}, **options)
    made = await session.scalars(select(WebhookMessage).order_by(WebhookMessage.seq))
    return [m.id for m in made if m.id not in before]


async def test_enqueue_makes_one_message_per_subscribed_endpoint_and_extra_url(
    client, make_key: KeyMaker, session
):
    acme, globex = await make_key("acme"), await make_key("globex")
    completed = await register(client, acme.headers, events=["call.completed"])
    await register(client, acme.headers, events=["campaign.started"])
    await register(client, globex.headers, events=["call.completed"])
    payload = {"call_id": "call_1", "status": "completed", "timestamp": "2026-02-06T14:32:25Z"}

    await enqueue_event(
        session,
        acme.workspace_id,
        "call.completed",
        payload,
        extra_urls=["https://93.184.215.14/call-hook"],
        ordering_key="call_1",
    )

    made = list(await session.scalars(select(WebhookMessage).order_by(WebhookMessage.seq)))
    assert [(m.endpoint_id, m.url) for m in made] == [
        (completed["id"], HOOK),
        (None, "https://93.184.215.14/call-hook"),
    ]
    assert all(m.workspace_id == acme.workspace_id and m.ordering_key == "call_1" for m in made)
    assert made[0].payload == {"event": "call.completed", **payload}
    assert made[0].id.startswith("msg_") and made[0].status == "pending"


async def test_enqueue_adds_the_event_and_a_timestamp(make_key: KeyMaker, session):
    caller = await make_key()

    await enqueue_event(
        session,
        caller.workspace_id,
        "call.failed",
        {"call_id": "call_1"},
        extra_urls=["https://93.184.215.14/x"],
    )

    message = await session.scalar(select(WebhookMessage))
    assert list(message.payload) == ["event", "call_id", "timestamp"]
    assert message.payload["event"] == "call.failed"
    assert message.payload["timestamp"].endswith("Z") and len(message.payload["timestamp"]) == 20


async def test_enqueue_refuses_unknown_events(make_key: KeyMaker, session):
    caller = await make_key()

    with pytest.raises(ValueError, match="call.exploded"):
        await enqueue_event(session, caller.workspace_id, "call.exploded", {})


async def test_disabled_endpoints_get_no_new_messages(client, make_key: KeyMaker, session):
    from ringline.models import WebhookEndpoint

    caller = await make_key()
    hook = await register(client, caller.headers)
    (await session.get(WebhookEndpoint, hook["id"])).status = "disabled"

    assert await queue(session, caller.workspace_id) == []
    assert (await client.get("/v1/webhooks", headers=caller.headers)).json()["webhooks"][0][
        "status"
    ] == "disabled"


async def test_deliveries_list_each_attempt_newest_first(client, make_key: KeyMaker, session):
    caller = await make_key()
    hook = await register(client, caller.headers)
    [message_id] = await queue(session, caller.workspace_id)
    for status_code, error in [(503, "HTTP 503"), (200, None)]:
        session.add(
            WebhookDelivery(
                workspace_id=caller.workspace_id,
                endpoint_id=hook["id"],
                message_id=message_id,
                event="call.completed",
                attempted_at=utcnow(),
                status_code=status_code,
                latency_ms=12,
                error=error,
            )
        )
        await session.flush()

    path = f"/v1/webhooks/{hook['id']}/deliveries"
    listed = await client.get(path, headers=caller.headers)
    limited = await client.get(f"{path}?limit=1", headers=caller.headers)
    bad_limit = await client.get(f"{path}?limit=0", headers=caller.headers)
    missing = await client.get("/v1/webhooks/wh_nope/deliveries", headers=caller.headers)

    deliveries = listed.json()["deliveries"]
    assert [(d["status_code"], d["error"]) for d in deliveries] == [(200, None), (503, "HTTP 503")]
    assert {d["message_id"] for d in deliveries} == {message_id}
    assert set(deliveries[0]) == {
        "id",
        "event",
        "message_id",
        "attempted_at",
        "status_code",
        "latency_ms",
        "error",
    }
    assert len(limited.json()["deliveries"]) == 1
    assert bad_limit.status_code == 400
    assert bad_limit.json()["error"]["details"][0]["field"] == "limit"
    assert missing.status_code == 404


async def test_redeliver_queues_a_finished_message_again_now(client, make_key: KeyMaker, session):
    caller = await make_key()
    hook = await register(client, caller.headers)
    [message_id] = await queue(session, caller.workspace_id)
    message = await session.scalar(select(WebhookMessage).where(WebhookMessage.id == message_id))
    message.status, message.attempts = "failed", 8
    await session.flush()
    path = f"/v1/webhooks/{hook['id']}/deliveries/{message_id}/redeliver"

    response = await client.post(path, headers=caller.headers)

    body = response.json()
    assert response.status_code == 202
    assert (body["id"], body["status"], body["attempts"]) == (message_id, "pending", 0)


async def test_redeliver_refuses_unknown_messages_and_disabled_endpoints(
    client, make_key: KeyMaker, session
):
    from ringline.models import WebhookEndpoint

    caller = await make_key()
    hook = await register(client, caller.headers)
    other = await register(client, caller.headers, events=["call.failed"])
    [message_id] = await queue(session, caller.workspace_id, "call.completed")
    base = f"/v1/webhooks/{hook['id']}/deliveries"

    unknown = await client.post(f"{base}/msg_nope/redeliver", headers=caller.headers)
    wrong_endpoint = await client.post(
        f"/v1/webhooks/{other['id']}/deliveries/{message_id}/redeliver", headers=caller.headers
    )
    (await session.get(WebhookEndpoint, hook["id"])).status = "disabled"
    disabled = await client.post(f"{base}/{message_id}/redeliver", headers=caller.headers)

    assert unknown.status_code == wrong_endpoint.status_code == 404
    assert disabled.status_code == 409 and "410" in disabled.json()["error"]["message"]


async def test_deleting_a_webhook_drops_its_queue_and_log(client, make_key: KeyMaker, session):
    caller = await make_key()
    hook = await register(client, caller.headers)
    await queue(session, caller.workspace_id)

    await client.delete(f"/v1/webhooks/{hook['id']}", headers=caller.headers)

    assert list(await session.scalars(select(WebhookMessage))) == []
