"""Sign-in, the session cookie, CSRF, read-only keys, sign-out and workspace isolation."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from ringline.auth.scopes import Scope
from ringline.auth.service import revoke_key
from ringline.db.base import utcnow
from ringline.models import DashboardSession
from tests.dashboard.signing import csrf_of, sign_in
from tests.fixtures.rows import assistant_in, call_row

PAGES = ["/dashboard/", "/dashboard/calls", "/dashboard/live"]


@pytest.mark.parametrize("path", PAGES)
async def test_a_page_without_a_session_redirects_to_sign_in(client, path):
    response = await client.get(path)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/dashboard/sign-in")


async def test_sign_in_returns_to_the_page_asked_for(client, auth):
    asked = await client.get("/dashboard/calls?status=completed")
    form = await client.get(asked.headers["location"])
    body = {
        "api_key": auth["Authorization"][7:],
        "csrf_token": csrf_of(form.text),
        "next": "/dashboard/calls?status=completed",
    }
    signed = await client.post("/dashboard/sign-in", data=body)

    assert signed.headers["location"] == "/dashboard/calls?status=completed"


async def test_the_cookie_is_http_only_strict_and_holds_no_key(client, auth, session):
    form = await client.get("/dashboard/sign-in")
    body = {"api_key": auth["Authorization"][7:], "csrf_token": csrf_of(form.text)}
    signed = await client.post("/dashboard/sign-in", data=body)
    cookie = signed.headers["set-cookie"]
    stored = (await session.scalars(select(DashboardSession))).all()

    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/dashboard" in cookie
    assert form.headers["x-frame-options"] == "DENY" and form.headers["cache-control"] == "no-store"
    assert auth["Authorization"][7:] not in cookie
    secret = client.cookies["ringline_session"]
    assert len(stored) == 1 and secret not in (stored[0].secret_hash, stored[0].csrf_token)


async def test_a_wrong_key_is_refused_with_the_form_again(client):
    form = await client.get("/dashboard/sign-in")
    body = {"api_key": "rl_not-a-key", "csrf_token": csrf_of(form.text)}
    refused = await client.post("/dashboard/sign-in", data=body)

    assert refused.status_code == 401 and "invalid API key" in refused.text
    assert "ringline_session" not in client.cookies


async def test_the_sign_in_form_needs_its_csrf_token(client, auth):
    await client.get("/dashboard/sign-in")
    body = {"api_key": auth["Authorization"][7:], "csrf_token": "forged"}
    refused = await client.post("/dashboard/sign-in", data=body)

    assert refused.status_code == 403 and "ringline_session" not in client.cookies


async def test_a_form_posted_without_its_csrf_token_is_refused(client, make_key, session):
    caller = await make_key()
    assistant = await assistant_in(session, caller.workspace_id)
    call = call_row(caller.workspace_id, assistant.id, status="in-progress")
    session.add(call)
    await session.flush()
    await sign_in(client, caller.headers)

    without = await client.post(f"/dashboard/calls/{call.id}/end", data={})
    forged = await client.post(f"/dashboard/calls/{call.id}/end", data={"csrf_token": "x"})
    await session.refresh(call)

    assert without.status_code == forged.status_code == 403
    assert call.end_requested_at is None


async def test_a_read_only_key_sees_pages_but_changes_nothing(client, make_key, session):
    caller = await make_key(scope=Scope.read)
    assistant = await assistant_in(session, caller.workspace_id)
    call = call_row(caller.workspace_id, assistant.id, status="in-progress")
    session.add(call)
    await session.flush()
    csrf = await sign_in(client, caller.headers)

    shown = await client.get(f"/dashboard/calls/{call.id}")
    refused = await client.post(f"/dashboard/calls/{call.id}/end", data={"csrf_token": csrf})
    await session.refresh(call)

    assert shown.status_code == 200 and "read-only" in shown.text
    assert "End call" not in shown.text
    assert refused.status_code == 403 and "read-only" in refused.text
    assert call.end_requested_at is None


async def test_sign_out_ends_the_session(client, auth):
    csrf = await sign_in(client, auth)
    secret = client.cookies["ringline_session"]
    refused = await client.post("/dashboard/sign-out", data={})
    out = await client.post("/dashboard/sign-out", data={"csrf_token": csrf})
    client.cookies.set("ringline_session", secret)  # a kept copy of the cookie opens nothing
    after = await client.get("/dashboard/")

    assert refused.status_code == 403
    assert out.status_code == 303 and out.headers["location"] == "/dashboard/sign-in"
    assert after.status_code == 303


async def test_revoking_the_key_signs_its_sessions_out(client, make_key, session):
    caller = await make_key()
    await sign_in(client, caller.headers)
    await revoke_key(session, caller.workspace_id, caller.key_id)

    assert (await client.get("/dashboard/")).status_code == 303


async def test_an_operator_never_sees_another_workspaces_calls(client, make_key, session):
    mine, theirs = await make_key("acme"), await make_key("globex")
    their_assistant = await assistant_in(session, theirs.workspace_id)
    their_call = call_row(theirs.workspace_id, their_assistant.id, status="in-progress")
    session.add(their_call)
    await session.flush()
    csrf = await sign_in(client, mine.headers)

    pages = [await client.get(path) for path in PAGES]
    page = await client.get(f"/dashboard/calls/{their_call.id}")
    recording = await client.get(f"/dashboard/calls/{their_call.id}/recording")
    end = await client.post(f"/dashboard/calls/{their_call.id}/end", data={"csrf_token": csrf})
    await session.refresh(their_call)

    assert all(p.status_code == 200 and their_call.id not in p.text for p in pages)
    assert page.status_code == 404 and recording.status_code == 404
    assert end.status_code == 404 and their_call.end_requested_at is None


async def test_an_expired_session_opens_nothing_and_is_cleared_at_the_next_sign_in(
    client, auth, session
):
    await sign_in(client, auth)
    [row] = (await session.scalars(select(DashboardSession))).all()
    row.expires_at = utcnow() - timedelta(seconds=1)
    await session.flush()

    expired = await client.get("/dashboard/")
    client.cookies.clear()
    await sign_in(client, auth)
    left = (await session.scalars(select(DashboardSession))).all()

    assert expired.status_code == 303
    assert len(left) == 1 and left[0].id != row.id
