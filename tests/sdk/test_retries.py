"""Retries against a scripted server: what is retried, how often, and after how long."""

import time
import uuid
from email.utils import formatdate

import pytest

from ringline.sdk import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)
from tests.sdk.support import Connect, Reply, ScriptedServer, call

VOICES = {"voices": [{"name": "female-1"}]}
ASSISTANT = {"id": "asst_1", "name": "A"}
CALL = {"call_id": "call_1", "status": "initiated"}
NUMBER = {"id": "num_1", "number": "+918001234567", "assistant_id": "asst_1"}


def error(status: int) -> Reply:
    return Reply(status, {"error": {"code": "x", "message": "try again", "details": None}})


async def test_429_waits_retry_after_seconds(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(Reply(429, {"error": {}}, headers={"Retry-After": "2"}), Reply(json=VOICES))

    voices = await call(client.voices.list)

    assert voices.voices[0].name == "female-1"
    assert len(scripted.received) == 2
    assert client.sleeps == [2.0]


async def test_429_waits_until_retry_after_date(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    retry_at = formatdate(time.time() + 3, usegmt=True)
    scripted.script(Reply(429, headers={"Retry-After": retry_at}), Reply(json=VOICES))

    await call(client.voices.list)

    assert len(client.sleeps) == 1 and 1.5 < client.sleeps[0] <= 3


async def test_too_long_retry_after_is_not_waited(
    connect: Connect, scripted: ScriptedServer
) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(Reply(429, headers={"Retry-After": "600"}))

    with pytest.raises(RateLimitError) as raised:
        await call(client.voices.list)

    assert raised.value.retry_after == 600
    assert len(scripted.received) == 1 and client.sleeps == []


async def test_5xx_backs_off_exponentially(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(error(500), error(503), Reply(json=VOICES))

    await call(client.voices.list)

    assert len(scripted.received) == 3
    first, second = client.sleeps
    assert 0.375 <= first <= 0.5 and 0.75 <= second <= 1.0


async def test_gives_up_after_max_retries(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url, max_retries=3)
    scripted.script(*[error(502)] * 4)

    with pytest.raises(InternalServerError) as raised:
        await call(client.workspace.get)

    assert raised.value.status_code == 502
    assert len(scripted.received) == 4 and len(client.sleeps) == 3


async def test_max_retries_zero_sends_once(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url, max_retries=0)
    scripted.script(error(500), Reply(json=VOICES))

    with pytest.raises(InternalServerError):
        await call(client.voices.list)

    assert len(scripted.received) == 1


async def test_client_errors_are_not_retried(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(Reply(404, {"error": {"code": "not_found", "message": "gone"}}))

    with pytest.raises(NotFoundError):
        await call(client.assistants.get, "asst_1")

    assert len(scripted.received) == 1


async def test_dropped_connection_is_retried(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(Reply(drop=True), Reply(json=ASSISTANT))

    assistant = await call(client.assistants.update, "asst_1", name="A")

    assert assistant.id == "asst_1"
    assert [r.method for r in scripted.received] == ["PATCH", "PATCH"]


async def test_timeout_is_retried_then_raised(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url, timeout=0.2, max_retries=1)
    scripted.script(Reply(json=VOICES, delay=0.6), Reply(json=VOICES, delay=0.6))

    with pytest.raises(APITimeoutError):
        await call(client.voices.list)

    assert len(scripted.received) == 2 and len(client.sleeps) == 1


async def test_unreachable_server_raises_connection_error(connect: Connect) -> None:
    client = connect(api_key="k", base_url="http://127.0.0.1:9/v1", max_retries=1)

    with pytest.raises(APIConnectionError):
        await call(client.voices.list)

    assert len(client.sleeps) == 1


@pytest.mark.parametrize("failure", [error(500), Reply(drop=True)], ids=["500", "drop"])
async def test_post_without_key_is_not_retried(
    connect: Connect, scripted: ScriptedServer, failure: Reply
) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(failure, Reply(201, ASSISTANT))

    with pytest.raises((InternalServerError, APIConnectionError)):
        await call(client.assistants.create, name="A", prompt="p")

    assert len(scripted.received) == 1
    assert "idempotency-key" not in scripted.received[0].headers


async def test_post_with_key_is_retried_with_same_key(
    connect: Connect, scripted: ScriptedServer
) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(error(503), Reply(drop=True), Reply(201, ASSISTANT))

    await call(client.assistants.create, name="A", prompt="p", idempotency_key="create-a-1")

    assert [r.headers["idempotency-key"] for r in scripted.received] == ["create-a-1"] * 3
    assert all(r.json() == {"name": "A", "prompt": "p"} for r in scripted.received)


async def test_outbound_call_gets_a_key_and_keeps_it(
    connect: Connect, scripted: ScriptedServer
) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(Reply(429, headers={"Retry-After": "1"}), error(500), Reply(json=CALL))

    await call(client.calls.create_outbound, assistant_id="asst_1", to_number="+919876543210")

    keys = {r.headers["idempotency-key"] for r in scripted.received}
    assert len(scripted.received) == 3 and len(keys) == 1
    assert uuid.UUID(keys.pop()).version == 4


async def test_each_outbound_call_gets_its_own_key(
    connect: Connect, scripted: ScriptedServer
) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(Reply(json=CALL), Reply(json=CALL))

    for _ in range(2):
        await call(client.calls.create_outbound, assistant_id="asst_1", to_number="+919876543210")

    first, second = (r.headers["idempotency-key"] for r in scripted.received)
    assert first != second


async def test_idempotent_posts_are_retried(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(error(500), Reply(json=NUMBER), Reply(drop=True), Reply(json=CALL))

    await call(client.numbers.assign, "num_1", "asst_1")
    await call(client.calls.end, "call_1")

    assert [r.path for r in scripted.received] == [
        "/v1/numbers/num_1/assign",
        "/v1/numbers/num_1/assign",
        "/v1/calls/call_1/end",
        "/v1/calls/call_1/end",
    ]
