"""HTTP tools against a real endpoint on loopback: signed requests, answers, failures."""

import json
import time
from collections.abc import Iterator

import pytest
from standardwebhooks import Webhook

from ringline.tools.http import HttpToolBox
from ringline.tools.schemas import HttpTool
from ringline.voice.tools import with_filler
from ringline.webhooks.signing import signing_key, workspace_secret
from tests.webhooks.receiver import Receiver, Reply

SECRET = workspace_secret("server-secret", "ws_1")


@pytest.fixture
def endpoint() -> Iterator[Receiver]:
    with Receiver() as receiver:
        yield receiver


def box(endpoint: Receiver, *, allow_private: bool = True, **tool: object) -> HttpToolBox:
    declared = {
        "name": "order_status",
        "description": "Look up an order",
        "url": endpoint.url("/order"),
        "timeout_seconds": 2,
    }
    return HttpToolBox(
        [HttpTool.model_validate(declared | tool)],
        call_id="call_1",
        variables={"customer_name": "Rahul"},
        secret=SECRET,
        allow_private=allow_private,
    )


def answering(payload: object, **reply: float) -> Reply:
    return Reply(body=json.dumps(payload).encode(), **reply)  # type: ignore[arg-type]


async def test_a_post_tool_sends_the_call_and_its_arguments_signed(endpoint):
    endpoint.answer("/order", answering({"say": "Your order shipped on Monday."}))
    tools = box(endpoint, headers={"Authorization": "Bearer shop-key"})

    called = await tools.call("order_status", {"order_id": "4521"})

    [request] = endpoint.to("/order")
    assert json.loads(request.body) == {
        "tool": "order_status",
        "call_id": "call_1",
        "arguments": {"order_id": "4521"},
        "variables": {"customer_name": "Rahul"},
    }
    Webhook(signing_key(SECRET)).verify(request.body, request.headers)  # raises if forged
    assert request.headers["authorization"] == "Bearer shop-key"
    assert called.result == {"say": "Your order shipped on Monday."}
    assert called.error is None and called.duration_ms >= 0
    assert tools.calls == [called]


async def test_a_put_tool_sends_the_same_signed_body(endpoint):
    endpoint.answer("/order", answering({"status": "shipped"}))

    called = await box(endpoint, method="PUT").call("order_status", {"gift": True})

    [request] = endpoint.to("/order")
    assert request.method == "PUT"
    assert Webhook(signing_key(SECRET)).verify(request.body, request.headers)["arguments"] == {
        "gift": True
    }
    assert called.result == {"status": "shipped"}


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply(status=500, body=b'{"detail": "boom"}'), "the endpoint answered HTTP 500"),
        (Reply(status=302), "the endpoint answered HTTP 302"),
        (Reply(body=b"<html>busy</html>"), "the answer is not JSON"),
    ],
)
async def test_a_failing_endpoint_is_an_error_not_an_exception(endpoint, reply, error):
    endpoint.answer("/order", reply)

    called = await box(endpoint).call("order_status", {})

    assert (called.result, called.error) == (None, error)
    assert called.for_model() == {"error": error}


async def test_a_slow_endpoint_times_out_as_its_tool_says(endpoint):
    endpoint.answer("/order", answering({"say": "late"}, delay=3.0))
    began = time.monotonic()

    called = await box(endpoint, timeout_seconds=0.5).call("order_status", {})

    assert called.error == "no answer within 0.5 s"
    assert time.monotonic() - began < 2.0


async def test_an_endpoint_that_is_not_there_is_an_error(endpoint):
    tools = box(endpoint, url="http://127.0.0.1:9/nothing-listens-here")

    called = await tools.call("order_status", {})

    assert called.error is not None and "Connect" in called.error


async def test_the_servers_own_network_is_refused_before_any_request(endpoint):
    called = await box(endpoint, allow_private=False).call("order_status", {})

    assert called.error is not None and "non-public address" in called.error
    assert endpoint.to("/order") == []


async def test_a_slow_answer_gets_the_filler_and_a_quick_one_does_not(endpoint):
    endpoint.answer("/order", answering({"say": "slow"}, delay=1.5), answering({"say": "quick"}))
    tools = box(endpoint)
    said: list[str] = []

    async def say(text: str) -> None:
        said.append(text)

    slow = await with_filler(tools.call("order_status", {}), "One moment.", say)
    quick = await with_filler(tools.call("order_status", {}), "One moment.", say)

    assert said == ["One moment."]
    assert (slow.result, quick.result) == ({"say": "slow"}, {"say": "quick"})
