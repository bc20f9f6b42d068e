"""Delivery against a real HTTP receiver on loopback, on SQLite and PostgreSQL."""

import json
import socket
import time

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from ringline.db import Database
from ringline.db.base import utcnow
from ringline.webhooks.signing import workspace_secret
from tests.webhooks.conftest import (
    attempts,
    dispatching,
    endpoint,
    fast_settings,
    messages,
    publish,
    register,
    settled,
)
from tests.webhooks.receiver import Receiver, Reply, eventually


async def test_a_message_arrives_signed_with_the_endpoint_secret(
    outbox_db: Database, workspace_id, receiver: Receiver, tmp_path
):
    hook = await register(outbox_db, workspace_id, receiver.url())

    async with dispatching(outbox_db, fast_settings(tmp_path)):
        await publish(outbox_db, workspace_id)
        await eventually(lambda: settled(outbox_db))

    [got] = receiver.to("/hook")
    payload = Webhook(hook.secret).verify(got.body, got.headers)
    [message] = await messages(outbox_db)
    [attempt] = await attempts(outbox_db)
    assert payload["event"] == "call.completed" and payload["call_id"] == "call_x"
    assert payload["timestamp"].endswith("Z")
    assert got.message_id == message.id and got.headers["content-type"] == "application/json"
    assert (message.status, message.attempts) == ("delivered", 1)
    assert (attempt.status_code, attempt.error, attempt.message_id) == (200, None, message.id)
    with pytest.raises(WebhookVerificationError):
        Webhook(hook.secret).verify(got.body.replace(b"call_x", b"call_y"), got.headers)


async def test_a_plain_text_secret_signs_with_its_bytes(
    outbox_db, workspace_id, receiver, tmp_path
):
    secret = "optional-signing-secret"
    await register(outbox_db, workspace_id, receiver.url(), secret=secret)

    async with dispatching(outbox_db, fast_settings(tmp_path)):
        await publish(outbox_db, workspace_id)
        await eventually(lambda: receiver.to("/hook"))

    [got] = receiver.to("/hook")
    assert Webhook(secret.encode()).verify(got.body, got.headers)["event"] == "call.completed"


async def test_extra_urls_are_signed_with_the_workspace_secret(
    outbox_db, workspace_id, receiver, tmp_path
):
    settings = fast_settings(tmp_path)
    await publish(outbox_db, workspace_id, extra_urls=[receiver.url("/call")])

    async with dispatching(outbox_db, settings):
        await eventually(lambda: settled(outbox_db))

    [got] = receiver.to("/call")
    secret = workspace_secret(settings.secret_key.get_secret_value(), workspace_id)
    assert Webhook(secret).verify(got.body, got.headers)["n"] == 0
    [message] = await messages(outbox_db)
    assert message.endpoint_id is None and message.status == "delivered"


async def test_5xx_429_and_timeouts_are_retried_with_backoff_under_one_id(
    outbox_db, workspace_id, receiver, tmp_path
):
    await register(outbox_db, workspace_id, receiver.url())
    receiver.answer("/hook", Reply(500), Reply(503), Reply(200, delay=2.0), Reply(429))
    settings = fast_settings(
        tmp_path, webhook_timeout_seconds=0.5, webhook_retry_schedule=[0.2, 0.4, 0.6, 0.2]
    )

    async with dispatching(outbox_db, settings):
        await publish(outbox_db, workspace_id)
        await eventually(lambda: settled(outbox_db))

    got = receiver.to("/hook")
    gaps = [later.at - earlier.at for earlier, later in zip(got, got[1:], strict=False)]
    [message] = await messages(outbox_db)
    log = await attempts(outbox_db)
    assert [r.status for r in got] == [500, 503, 200, 429, 200]
    assert len({r.message_id for r in got}) == 1
    # Each wait is its scheduled delay, give or take 20 % jitter (the third adds the timeout).
    assert all(gap >= 0.8 * delay for gap, delay in zip(gaps, [0.2, 0.4, 1.1, 0.2], strict=True))
    assert (message.status, message.attempts) == ("delivered", 5)
    assert [a.status_code for a in log] == [500, 503, None, 429, 200]
    assert log[2].error == "no answer within 0.5 s"


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/gone-away"


async def test_an_unreachable_endpoint_fails_after_its_last_retry_and_shows_failing(
    outbox_db, workspace_id, tmp_path
):
    hook = await register(outbox_db, workspace_id, _closed_port_url())
    settings = fast_settings(tmp_path, webhook_retry_schedule=[0.05, 0.05], webhook_failing_after=3)

    async with dispatching(outbox_db, settings):
        await publish(outbox_db, workspace_id)
        await eventually(lambda: settled(outbox_db))

    log = await attempts(outbox_db)
    state = await endpoint(outbox_db, hook.id)
    assert len(log) == 3 and all(a.status_code is None for a in log)
    assert all(a.error.startswith("ConnectError") for a in log)
    assert (state.status, state.consecutive_failures) == ("failing", 3)


async def test_a_failing_endpoint_is_active_again_after_a_success(
    outbox_db, workspace_id, receiver, tmp_path
):
    hook = await register(outbox_db, workspace_id, receiver.url())
    receiver.answer("/hook", then=Reply(500))
    settings = fast_settings(tmp_path, webhook_retry_schedule=[0.05] * 6, webhook_failing_after=2)

    async def status_is(expected: str) -> bool:
        return (await endpoint(outbox_db, hook.id)).status == expected

    async with dispatching(outbox_db, settings):
        await publish(outbox_db, workspace_id)
        await eventually(lambda: status_is("failing"))
        receiver.answer("/hook", then=Reply(200))
        await eventually(lambda: status_is("active"))

    [message] = await messages(outbox_db)
    assert message.status == "delivered"
    assert (await endpoint(outbox_db, hook.id)).consecutive_failures == 0


async def test_410_disables_the_endpoint_and_fails_its_queued_messages(
    outbox_db, workspace_id, receiver, tmp_path
):
    hook = await register(outbox_db, workspace_id, receiver.url())
    receiver.answer("/hook", then=Reply(410))
    settings = fast_settings(tmp_path, webhook_per_endpoint_concurrency=1)

    async with dispatching(outbox_db, settings):
        await publish(outbox_db, workspace_id, count=3)
        await eventually(lambda: settled(outbox_db))
    await publish(outbox_db, workspace_id)

    assert len(receiver.to("/hook")) == 1
    assert (await endpoint(outbox_db, hook.id)).status == "disabled"
    assert [m.status for m in await messages(outbox_db)] == ["failed"] * 3
    assert [a.status_code for a in await attempts(outbox_db)] == [410]


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, "HTTP 400"),
        (302, "HTTP 302: redirects are not followed; register the final URL"),
    ],
)
async def test_other_4xx_and_redirects_fail_without_retry(
    outbox_db, workspace_id, receiver, tmp_path, status, error
):
    hook = await register(outbox_db, workspace_id, receiver.url())
    receiver.answer("/hook", then=Reply(status))

    async with dispatching(outbox_db, fast_settings(tmp_path, webhook_retry_schedule=[0.05])):
        await publish(outbox_db, workspace_id)
        await eventually(lambda: settled(outbox_db))

    [message] = await messages(outbox_db)
    [attempt] = await attempts(outbox_db)
    assert (message.status, attempt.status_code, attempt.error) == ("failed", status, error)
    assert (await endpoint(outbox_db, hook.id)).status == "active"


async def test_a_dead_endpoint_does_not_delay_a_healthy_one(
    outbox_db, workspace_id, receiver, tmp_path
):
    await register(outbox_db, workspace_id, receiver.url("/dead"))
    await register(outbox_db, workspace_id, receiver.url("/healthy"))
    receiver.answer("/dead", then=Reply(200, delay=5))
    settings = fast_settings(
        tmp_path,
        webhook_timeout_seconds=1.5,
        webhook_per_endpoint_concurrency=2,
        webhook_concurrency=8,
    )

    async with dispatching(outbox_db, settings):
        started = time.monotonic()
        await publish(outbox_db, workspace_id, count=20)
        await eventually(lambda: len(receiver.to("/healthy")) == 20, timeout=1.5)
        finished = time.monotonic() - started
        dead_attempts = len(receiver.to("/dead"))

    # Every healthy delivery landed while the dead endpoint's first attempts still hung.
    assert finished < 1.5
    assert dead_attempts == 2


async def test_events_of_one_call_reach_an_endpoint_in_order(
    outbox_db, workspace_id, receiver, tmp_path
):
    from ringline.webhooks.service import enqueue_event

    await register(outbox_db, workspace_id, receiver.url("/ordered"))
    receiver.answer(
        "/ordered", Reply(200, delay=0.05), Reply(500), Reply(503), then=Reply(200, delay=0.01)
    )

    async with dispatching(outbox_db, fast_settings(tmp_path, webhook_retry_schedule=[0.1] * 3)):
        async with outbox_db.session() as session:
            for n in range(5):
                for call in ("call_a", "call_b"):
                    payload = {"call_id": call, "n": n}
                    await enqueue_event(
                        session, workspace_id, "call.completed", payload, ordering_key=call
                    )
        await eventually(lambda: len(receiver.to("/ordered", 200)) == 10)

    for call in ("call_a", "call_b"):
        seen = [
            (json.loads(r.body)["n"], r.status)
            for r in receiver.to("/ordered")
            if json.loads(r.body)["call_id"] == call
        ]
        numbers = [n for n, _ in seen]
        assert numbers == sorted(numbers), seen
        assert [n for n, status in seen if status == 200] == [0, 1, 2, 3, 4]


async def test_two_dispatchers_never_send_a_message_twice(
    outbox_db, workspace_id, receiver, tmp_path
):
    await register(outbox_db, workspace_id, receiver.url())
    await publish(outbox_db, workspace_id, count=60)
    # Generous timeout and lease: a delivery that times out under load is retried, rightly,
    # and would be counted twice; this test is about two dispatchers never sharing a claim.
    settings = fast_settings(
        tmp_path,
        webhook_per_endpoint_concurrency=8,
        webhook_timeout_seconds=10.0,
        webhook_lease_seconds=30.0,
    )
    other = Database(outbox_db.url)

    try:
        async with dispatching(outbox_db, settings), dispatching(other, settings):
            await eventually(lambda: settled(outbox_db))
    finally:
        await other.dispose()

    ids = [r.message_id for r in receiver.to("/hook")]
    assert len(ids) == len(set(ids)) == 60
    assert {m.status for m in await messages(outbox_db)} == {"delivered"}


async def test_a_message_whose_claimer_died_is_sent_after_its_lease_expires(
    outbox_db, workspace_id, receiver, tmp_path
):
    from datetime import timedelta

    from ringline.webhooks import outbox

    await register(outbox_db, workspace_id, receiver.url())
    await publish(outbox_db, workspace_id)
    async with outbox_db.session() as session:  # a dispatcher that claims, then dies
        now = utcnow()
        [claimed] = await outbox.claim(
            session,
            now=now,
            lease_until=now + timedelta(seconds=1),
            limit=10,
            room={},
            per_destination=4,
        )

    async with dispatching(outbox_db, fast_settings(tmp_path)):
        await eventually(lambda: receiver.to("/hook"), timeout=5)
        waited = (utcnow() - now).total_seconds()

    assert receiver.to("/hook")[0].message_id == claimed.id
    assert waited >= 1


async def test_private_addresses_are_refused_at_delivery_unless_allowed(
    outbox_db, workspace_id, receiver, tmp_path
):
    hook = await register(outbox_db, workspace_id, receiver.url())
    await publish(outbox_db, workspace_id, extra_urls=["http://localhost:9/call"])

    async with dispatching(outbox_db, fast_settings(tmp_path, allow_private_webhooks=False)):
        await eventually(lambda: settled(outbox_db))

    log = await attempts(outbox_db)
    assert receiver.received == []
    assert len(log) == 2 and all("resolves to a non-public address" in a.error for a in log)
    assert {a.endpoint_id for a in log} == {hook.id, None}
