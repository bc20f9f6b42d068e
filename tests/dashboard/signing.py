"""Signing in to the dashboard through its own form, as a browser would."""

import re

import httpx

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = TOKEN.search(html)
    assert found, html
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    """Sign in with the key in ``headers``; the session's CSRF token (the cookie is kept)."""
    form = await client.get("/dashboard/sign-in")
    key = headers["Authorization"].removeprefix("Bearer ")
    body = {"api_key": key, "csrf_token": csrf_of(form.text), "next": "/dashboard/"}
    signed = await client.post("/dashboard/sign-in", data=body)
    assert signed.status_code == 303, signed.text
    return csrf_of((await client.get(signed.headers["location"])).text)
