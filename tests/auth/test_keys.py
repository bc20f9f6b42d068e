from datetime import timedelta

import pytest
from sqlalchemy import select

from ringline.auth.scopes import Scope
from ringline.db.base import utcnow
from ringline.models import ApiKey
from tests.conftest import KeyMaker


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer rl_not-a-real-key"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer"},
    ],
    ids=["missing", "unknown", "wrong-scheme", "empty"],
)
async def test_requests_without_a_valid_key_are_401(client, headers):
    response = await client.get("/v1/assistants", headers=headers)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


async def test_revoked_key_is_401(client, auth, make_key: KeyMaker):
    victim = await make_key(scope=Scope.read)
    assert (await client.get("/v1/workspace", headers=victim.headers)).status_code == 200

    revoked = await client.delete(f"/v1/keys/{victim.key_id}", headers=auth)

    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    response = await client.get("/v1/workspace", headers=victim.headers)
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]


async def test_expired_key_is_401(client, make_key: KeyMaker, session):
    caller = await make_key(expires_at=utcnow() + timedelta(hours=1))
    assert (await client.get("/v1/workspace", headers=caller.headers)).status_code == 200
    key = await session.get(ApiKey, caller.key_id)
    key.expires_at = utcnow() - timedelta(seconds=1)
    await session.flush()

    response = await client.get("/v1/workspace", headers=caller.headers)

    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


READS = [
    ("GET", "/v1/workspace"),
    ("GET", "/v1/assistants"),
    ("GET", "/v1/numbers"),
    ("GET", "/v1/voices"),
]
WRITES = [
    ("POST", "/v1/assistants"),
    ("PATCH", "/v1/assistants/asst_x"),
    ("POST", "/v1/numbers"),
    ("POST", "/v1/numbers/num_x/assign"),
]
ADMINS = [("GET", "/v1/keys"), ("POST", "/v1/keys"), ("DELETE", "/v1/keys/key_x")]


@pytest.mark.parametrize(
    ("scope", "allowed", "refused"),
    [
        (Scope.read, READS, WRITES + ADMINS),
        (Scope.write, READS + WRITES, ADMINS),
        (Scope.admin, READS + WRITES + ADMINS, []),
    ],
)
async def test_scopes_allow_their_operations_and_refuse_the_rest_with_403(
    client, make_key: KeyMaker, scope, allowed, refused
):
    headers = (await make_key(scope=scope)).headers

    for method, path in allowed:
        response = await client.request(method, path, headers=headers, json={})
        assert response.status_code != 403, (method, path, response.text)
    for method, path in refused:
        response = await client.request(method, path, headers=headers, json={})
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["error"]["details"]["key_scope"] == scope


async def test_created_key_is_shown_once_and_stored_only_as_a_hash(client, auth, session):
    response = await client.post("/v1/keys", json={"name": "ci", "scope": "read"}, headers=auth)

    assert response.status_code == 201
    created = response.json()
    assert created["key"].startswith("rl_") and created["key"].startswith(created["prefix"])
    stored = await session.scalar(select(ApiKey).where(ApiKey.id == created["id"]))
    assert created["key"] not in {stored.secret_hash, stored.prefix, stored.name}
    listed = (await client.get("/v1/keys", headers=auth)).json()["keys"]
    assert created["id"] in [k["id"] for k in listed]
    assert all("key" not in k for k in listed)
    new_key = {"Authorization": f"Bearer {created['key']}"}
    assert (await client.get("/v1/assistants", headers=new_key)).status_code == 200


async def test_key_with_expiry_in_the_past_is_refused(client, auth):
    response = await client.post(
        "/v1/keys", json={"expires_at": "2020-01-01T00:00:00Z"}, headers=auth
    )

    assert response.status_code == 400
    assert "expires_at" in response.json()["error"]["message"]


async def test_keys_of_another_workspace_cannot_be_revoked(client, make_key: KeyMaker):
    acme, globex = await make_key("acme"), await make_key("globex")

    response = await client.delete(f"/v1/keys/{acme.key_id}", headers=globex.headers)

    assert response.status_code == 404
    assert (await client.get("/v1/workspace", headers=acme.headers)).status_code == 200
