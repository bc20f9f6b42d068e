"""One delivery attempt: sign, POST (no redirects followed), and judge the answer.

2xx delivered; 410 gone (the endpoint is disabled); 429, 5xx, timeouts, connection and
DNS errors are retried; every other answer fails the message for good, as does an
address the SSRF check refuses.
"""

import asyncio
import json
import time
from typing import Annotated, Any

import httpx
from pydantic import Field

from ringline import __version__
from ringline.db.base import utcnow
from ringline.webhooks.outbox import Attempt, Verdict
from ringline.webhooks.safety import UnsafeUrl, pin
from ringline.webhooks.signing import signed_headers

# Enough of a response body to keep the connection reusable; more is not read.
# The headers a delivery sets itself, the signature's ``webhook-*`` ones and HTTP's own
# framing: a caller's headers for its destination (a call's ``webhook_headers``) may not
# name them.
OWN_HEADERS = frozenset(
    {"content-type", "user-agent", "content-length", "host", "connection", "transfer-encoding"}
)
OWN_HEADER_PREFIX = "webhook-"
MAX_BODY = 64 * 1024
# A header a client asks to be sent with its requests (a call's ``webhook_headers``).
HeaderName = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")]
HeaderValue = Annotated[str, Field(max_length=1024, pattern=r"^[\x20-\x7e]*$")]


def is_own_header(name: str) -> bool:
    """Whether a delivery sets the header itself (a caller's value would be overwritten)."""
    return name.lower() in OWN_HEADERS or name.lower().startswith(OWN_HEADER_PREFIX)


def verdict_for(status_code: int) -> Verdict:
    if 200 <= status_code < 300:
        return "delivered"
    if status_code == 410:
        return "gone"
    if status_code == 429 or status_code >= 500:
        return "retry"
    return "failed"


def _problem(status_code: int) -> str | None:
    if 300 <= status_code < 400:
        return f"HTTP {status_code}: redirects are not followed; register the final URL"
    return None if 200 <= status_code < 300 else f"HTTP {status_code}"


async def _drain(response: httpx.Response) -> None:
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read > MAX_BODY:
            return


def encode(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


async def _post(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], body: str, allow_private: bool
) -> int:
    target = await pin(url, allow_private)
    request = client.build_request(
        "POST",
        target.url,
        content=body.encode(),
        headers=headers | target.headers,
        extensions=target.extensions,
    )
    response = await client.send(request, stream=True, follow_redirects=False)
    try:
        await _drain(response)
    finally:
        await response.aclose()
    return response.status_code


async def attempt(
    client: httpx.AsyncClient,
    *,
    url: str,
    secret: str,
    message_id: str,
    payload: dict[str, Any],
    timeout: float,
    allow_private: bool,
    extra_headers: dict[str, str] | None = None,
) -> Attempt:
    """Send one message once; never raises for anything the destination did. The
    caller's ``extra_headers`` go first: the signature and content headers win."""
    body, sent_at = encode(payload), utcnow()
    headers = (
        (extra_headers or {})
        | signed_headers(secret, message_id, sent_at, body)
        | {
            "content-type": "application/json",
            "user-agent": f"ringline-webhooks/{__version__}",
        }
    )
    started = time.perf_counter()

    def finish(status_code: int | None, error: str | None, verdict: Verdict) -> Attempt:
        latency_ms = round((time.perf_counter() - started) * 1000)
        return Attempt(sent_at, status_code, latency_ms, error, verdict)

    try:
        async with asyncio.timeout(timeout):
            status_code = await _post(client, url, headers, body, allow_private)
    except UnsafeUrl as exc:
        return finish(None, str(exc), "failed")
    except httpx.InvalidURL as exc:
        return finish(None, f"invalid URL: {exc}", "failed")
    except TimeoutError:
        return finish(None, f"no answer within {timeout:g} s", "retry")
    except (httpx.TransportError, OSError) as exc:
        return finish(None, f"{type(exc).__name__}: {exc}".rstrip(": "), "retry")
    return finish(status_code, _problem(status_code), verdict_for(status_code))
