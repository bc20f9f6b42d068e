"""The widget's socket on a real ``ringline serve``: which tokens and pages may open calls."""

import json
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from ringline.webcall import tokens
from tests.fixtures.server import running_server

KEY = "rl_webcall-socket-admin-key-0123456789"
SECRET = "webcall-socket-test-secret"
SHOP = "https://shop.example"
TERMINAL = {"completed", "failed", "no-answer", "busy"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(
        tmp_path_factory.mktemp("webcall-socket"),
        RINGLINE_BOOTSTRAP_API_KEY=KEY,
        RINGLINE_SECRET_KEY=SECRET,
        RINGLINE_RATE_LIMIT="100000/minute",
    ) as server:
        yield server


@pytest.fixture(scope="module")
def api(server):
    headers = {"Authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=f"{server.base_url}/v1", headers=headers, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def assistant_id(api):
    body = {"name": "Shop help", "prompt": "You help shoppers.", "allowed_origins": [SHOP]}
    return api.post("/assistants", json=body).raise_for_status().json()["id"]


def new_token(api, assistant_id) -> str:
    body = {"assistant_id": assistant_id, "visitor_info": {"name": "Ada"}}
    return api.post("/webcall/token", json=body).raise_for_status().json()["token"]


def socket_url(server) -> str:
    return server.base_url.replace("http://", "ws://") + "/webcall/ws"


def open_with(server, token: str, origin: str | None):
    """The socket's first message from the server, or how it closed."""
    with connect(socket_url(server), origin=origin, open_timeout=30) as ws:
        ws.send(json.dumps({"type": "start", "token": token}))
        try:
            first = json.loads(ws.recv(timeout=30))
        except ConnectionClosed as closed:
            assert closed.rcvd is not None
            return closed.rcvd.code, closed.rcvd.reason
        return first


def wait_for(api, call_id, timeout=120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = api.get(f"/calls/{call_id}/status").raise_for_status().json()
        if status["status"] in TERMINAL:
            return status
        time.sleep(0.25)
    raise AssertionError(f"{call_id} did not end: {status}")


def test_a_token_from_a_page_of_another_site_is_refused(server, api, assistant_id):
    token = new_token(api, assistant_id)

    code, reason = open_with(server, token, "https://evil.example")

    assert code == 1008 and "origin https://evil.example may not call" in reason


def test_a_socket_without_an_origin_is_refused(server, api, assistant_id):
    code, reason = open_with(server, new_token(api, assistant_id), None)

    assert code == 1008 and "origin" in reason


def test_an_expired_token_is_refused(server, api, assistant_id):
    claims = tokens.verify(SECRET, new_token(api, assistant_id))
    expired = tokens.TokenClaims(
        claims.token_id,
        claims.workspace_id,
        claims.assistant_id,
        datetime.now(UTC) - timedelta(seconds=1),
    )

    code, reason = open_with(server, tokens.sign(SECRET, expired), SHOP)

    assert code == 1008 and "expired" in reason


def test_a_token_signed_elsewhere_is_refused(server, api, assistant_id):
    claims = tokens.verify(SECRET, new_token(api, assistant_id))

    code, reason = open_with(server, tokens.sign("another-secret", claims), SHOP)

    assert code == 1008 and "invalid token" in reason


def test_a_token_opens_one_call_from_an_allowed_site_and_never_another(server, api, assistant_id):
    token = new_token(api, assistant_id)

    refused = open_with(server, token, "https://evil.example")
    opened = open_with(server, token, SHOP)  # hangs up at once: the socket closes
    reused = open_with(server, token, SHOP)

    assert refused[0] == 1008
    assert opened["type"] == "call"
    status = wait_for(api, opened["call_id"])
    assert (status["status"], status["source"], status["ended_by"]) == (
        "completed",
        "web",
        "customer",
    )
    assert status["direction"] == "inbound" and status["summary"]
    assert reused == (1008, "the token was already used: each token opens one call")
    history = api.get("/calls/history", params={"source": "web"}).raise_for_status().json()
    assert [call["call_id"] for call in history["calls"]] == [opened["call_id"]]
