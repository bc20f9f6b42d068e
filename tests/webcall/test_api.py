"""POST /v1/webcall/token, the assistants' allowed origins, and the public widget files."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ringline.auth.scopes import Scope
from ringline.webcall import tokens

VISITOR = {"name": "Website Visitor", "page_url": "https://example.com/pricing"}


@pytest.fixture
async def assistant_id(client: httpx.AsyncClient, auth: dict[str, str]) -> str:
    body = {"name": "Web", "prompt": "You answer questions about Acme."}
    response = await client.post("/v1/assistants", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def test_a_token_is_signed_for_the_assistant_and_expires_in_five_minutes(
    client, auth, assistant_id, settings
):
    before = datetime.now(UTC)
    response = await client.post(
        "/v1/webcall/token",
        json={"assistant_id": assistant_id, "visitor_info": VISITOR},
        headers=auth,
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"token", "expires_at", "assistant_id"}
    assert body["assistant_id"] == assistant_id
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert before + timedelta(seconds=298) <= expires_at <= before + timedelta(seconds=301)
    claims = tokens.verify(settings.secret_key.get_secret_value(), body["token"])
    assert (claims.assistant_id, claims.expires_at) == (assistant_id, expires_at)


async def test_visitor_info_is_optional(client, auth, assistant_id):
    response = await client.post(
        "/v1/webcall/token", json={"assistant_id": assistant_id}, headers=auth
    )

    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"assistant_id": "asst_nope"}, 404),
        ({}, 400),
        ({"assistant_id": "x", "visitor_info": "Ada"}, 400),
        ({"assistant_id": "x", "extra": 1}, 400),
        ({"assistant_id": "x", "visitor_info": {"name": "a\u0000b"}}, 400),
        ({"assistant_id": "x", "visitor_info": {"notes": "x" * 5000}}, 400),
    ],
)
async def test_bad_token_requests(client, auth, body, status):
    response = await client.post("/v1/webcall/token", json=body, headers=auth)

    assert response.status_code == status, response.text
    assert "error" in response.json()


async def test_an_inactive_assistant_gets_no_tokens(client, auth, assistant_id):
    await client.patch(f"/v1/assistants/{assistant_id}", json={"status": "inactive"}, headers=auth)

    response = await client.post(
        "/v1/webcall/token", json={"assistant_id": assistant_id}, headers=auth
    )

    assert response.status_code == 400
    assert "inactive" in response.json()["error"]["message"]


async def test_tokens_need_a_key_that_may_write(client, make_key, assistant_id):
    reader = await make_key(scope=Scope.read)

    anonymous = await client.post("/v1/webcall/token", json={"assistant_id": assistant_id})
    read_only = await client.post(
        "/v1/webcall/token", json={"assistant_id": assistant_id}, headers=reader.headers
    )

    assert (anonymous.status_code, read_only.status_code) == (401, 403)


async def test_another_workspaces_assistant_is_not_found(client, make_key, assistant_id):
    other = await make_key("other")

    response = await client.post(
        "/v1/webcall/token", json={"assistant_id": assistant_id}, headers=other.headers
    )

    assert response.status_code == 404


async def test_allowed_origins_are_stored_as_browsers_send_them(client, auth, assistant_id):
    origins = ["https://Shop.Example", "http://localhost:8080/", "https://a.example:443"]

    response = await client.patch(
        f"/v1/assistants/{assistant_id}", json={"allowed_origins": origins}, headers=auth
    )
    created = await client.post("/v1/assistants", json={"name": "n", "prompt": "p"}, headers=auth)

    assert response.status_code == 200, response.text
    assert response.json()["allowed_origins"] == [
        "https://shop.example",
        "http://localhost:8080",
        "https://a.example:443",
    ]
    assert created.json()["allowed_origins"] == []


@pytest.mark.parametrize(
    "origin",
    ["shop.example", "ftp://shop.example", "https://shop.example/page", "https://", "https://u@h"],
)
async def test_anything_but_an_origin_is_refused(client, auth, assistant_id, origin):
    response = await client.patch(
        f"/v1/assistants/{assistant_id}", json={"allowed_origins": [origin]}, headers=auth
    )

    assert response.status_code == 400, response.text


async def test_the_widget_and_the_demo_page_are_served_without_a_key(client):
    widget = await client.get("/widget.js")
    demo = await client.get("/demo")

    assert widget.status_code == 200
    assert widget.headers["content-type"].startswith("text/javascript")
    assert "getUserMedia" in widget.text and "AudioWorklet" in widget.text
    assert demo.status_code == 200 and demo.headers["content-type"].startswith("text/html")
    assert '<script src="/widget.js"></script>' in demo.text
