"""Client configuration, request details and errors from servers that answer otherwise."""

import inspect

import httpx
import pytest

from ringline.sdk import (
    APIStatusError,
    AsyncRingline,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    Ringline,
    RinglineError,
)
from tests.sdk.support import Connect, Reply, ScriptedServer, call


@pytest.mark.parametrize(
    ("reply", "kind", "code", "message"),
    [
        (Reply(502, body=b"Bad Gateway"), InternalServerError, None, "Bad Gateway"),
        (Reply(404, {"detail": "Not Found"}), NotFoundError, None, "Not Found"),
        (
            Reply(401, {"error": "invalid_token", "message": "expired"}),
            AuthenticationError,
            "invalid_token",
            "expired",
        ),
        (
            Reply(405, {"code": "method_not_allowed", "message": "use GET"}),
            APIStatusError,
            "method_not_allowed",
            "use GET",
        ),
        (Reply(500, json=["unexpected"]), InternalServerError, None, '["unexpected"]'),
        (Reply(400, {"error": {"code": "bad_request"}}), BadRequestError, "bad_request", "{"),
    ],
    ids=["text", "detail", "error-string", "flat", "list", "no-message"],
)
async def test_other_error_bodies(
    connect: Connect,
    scripted: ScriptedServer,
    reply: Reply,
    kind: type,
    code: str | None,
    message: str,
) -> None:
    client = connect(api_key="k", base_url=scripted.url, max_retries=0)
    scripted.script(reply)

    with pytest.raises(kind) as raised:
        await call(client.workspace.get)

    assert type(raised.value) is kind
    assert raised.value.status_code == reply.status
    assert raised.value.code == code
    assert raised.value.message.startswith(message)
    assert raised.value.response.status_code == reply.status


async def test_405_is_a_plain_status_error(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(Reply(405, {"error": {"code": "method_not_allowed", "message": "no"}}))

    with pytest.raises(APIStatusError) as raised:
        await call(client.voices.list)

    assert type(raised.value) is APIStatusError


async def test_unexpected_success_body(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(Reply(200, body=b"<html>captive portal</html>"), Reply(json={"x": 1}))

    with pytest.raises(RinglineError, match="unexpected answer to GET /voices"):
        await call(client.voices.list)
    with pytest.raises(RinglineError, match="voices"):
        await call(client.voices.list)


async def test_headers_and_base_path(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="rl_secret", base_url=scripted.url + "/")
    scripted.script(Reply(json={"id": "asst_a/b", "name": "A"}))

    await call(client.assistants.get, "asst_a/b")

    sent = scripted.received[0]
    assert sent.path == "/v1/assistants/asst_a%2Fb"
    assert sent.headers["authorization"] == "Bearer rl_secret"
    assert sent.headers["user-agent"].startswith("ringline-python/")
    assert sent.headers["accept"] == "application/json"


@pytest.mark.parametrize("bad_id", ["", None])
async def test_empty_ids_are_refused(connect: Connect, bad_id: str | None) -> None:
    client = connect(api_key="k")

    with pytest.raises(ValueError, match="non-empty string"):
        await call(client.assistants.get, bad_id)


def test_api_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RINGLINE_API_KEY", "rl_env")
    monkeypatch.setenv("RINGLINE_BASE_URL", "http://ringline.internal:9000/v1")

    with Ringline() as client:
        assert client.api_key == "rl_env"
        assert str(client.base_url) == "http://ringline.internal:9000/v1"


@pytest.mark.parametrize("kind", [Ringline, AsyncRingline])
def test_missing_api_key(monkeypatch: pytest.MonkeyPatch, kind: type) -> None:
    monkeypatch.delenv("RINGLINE_API_KEY", raising=False)

    with pytest.raises(RinglineError, match="no API key"):
        kind()


def test_custom_transport() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"voices": [{"name": "male-2"}]})

    with Ringline(
        "k", base_url="https://ringline.example/v1", transport=httpx.MockTransport(answer)
    ) as client:
        voices = client.voices.list()

    assert voices.voices[0].name == "male-2"
    assert str(seen[0].url) == "https://ringline.example/v1/voices"


async def test_async_custom_transport() -> None:
    async def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, json={"id": "wh_1", "url": str(request.url)})

    async with AsyncRingline("k", transport=httpx.MockTransport(answer)) as client:
        hook = await client.webhooks.create("https://x.example", ["call.completed"])

    assert hook.url == "http://127.0.0.1:8000/v1/webhooks"


def test_methods_read_like_methods() -> None:
    with Ringline("k") as client:
        method = client.calls.create_outbound
        assert method.__name__ == "create_outbound"
        assert method.__qualname__ == "Calls.create_outbound"
        assert "Idempotency-Key" in (method.__doc__ or "")
        assert "to_number" in str(inspect.signature(method))
