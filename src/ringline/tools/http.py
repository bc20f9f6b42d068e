"""Calling an assistant's HTTP tools during a call.

Each request sends ``{"tool", "call_id", "arguments", "variables"}`` as JSON, signed like a
webhook sent to a call's ``webhook_url`` (Standard Webhooks, the workspace's call-URL
secret, ``GET /v1/webhooks/call-url/secret``), so one verifier serves both. The address is
checked against the server's own network before every request, as for webhooks. Whatever
the endpoint does, the call goes on: a timeout, a refused address, an HTTP error or an
answer that is not JSON becomes the ``error`` the agent hears.
"""

import time
from typing import Any

import httpx

from ringline import __version__
from ringline.db.base import utcnow
from ringline.ids import new_id
from ringline.operations.metrics import TOOL_CALLS
from ringline.tools.schemas import HttpTool
from ringline.voice.tools import ToolCall, ToolSpec
from ringline.webhooks.delivery import encode
from ringline.webhooks.safety import UnsafeUrl, pin
from ringline.webhooks.signing import signed_headers

# An answer larger than this is not read: it would not fit a spoken reply anyway.
MAX_ANSWER_BYTES = 64 * 1024


class ToolFailed(Exception):
    """What went wrong, in words the agent can pass on."""


def spec_of(tool: HttpTool) -> ToolSpec:
    return ToolSpec(
        name=tool.name,
        description=tool.description,
        parameters=tool.parameters.model_dump(exclude_none=True),
        filler=tool.filler_message if tool.filler else "",
    )


class HttpToolBox:
    """One call's HTTP tools; ``calls`` keeps every call made, in order."""

    def __init__(
        self,
        tools: list[HttpTool],
        *,
        call_id: str,
        variables: dict[str, Any],
        secret: str,
        allow_private: bool,
    ) -> None:
        self._tools = {tool.name: tool for tool in tools}
        self.specs = tuple(spec_of(tool) for tool in tools)
        self.calls: list[ToolCall] = []
        self._call_id = call_id
        self._variables = variables
        self._secret = secret
        self._allow_private = allow_private

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolCall:
        started = time.perf_counter()
        try:
            result, error = await self._request(self._tools[name], arguments), None
        except KeyError:
            result, error = None, f"there is no tool named {name!r}"
        except ToolFailed as exc:
            result, error = None, str(exc)
        took = round((time.perf_counter() - started) * 1000)
        TOOL_CALLS.labels("error" if error else "answered").observe(took / 1000)
        called = ToolCall(name, dict(arguments), result, error, took)
        self.calls.append(called)
        return called

    async def _request(self, tool: HttpTool, arguments: dict[str, Any]) -> Any:
        try:
            async with httpx.AsyncClient(timeout=tool.timeout_seconds) as client:
                response = await self._send(client, tool, arguments)
        except UnsafeUrl as exc:
            raise ToolFailed(str(exc)) from exc
        except httpx.TimeoutException as exc:
            raise ToolFailed(f"no answer within {tool.timeout_seconds:g} s") from exc
        except (httpx.HTTPError, OSError) as exc:
            raise ToolFailed(f"{type(exc).__name__}: {exc}".rstrip(": ")) from exc
        return _answer(response)

    async def _send(
        self, client: httpx.AsyncClient, tool: HttpTool, arguments: dict[str, Any]
    ) -> httpx.Response:
        target = await pin(tool.url, self._allow_private)
        body = encode(
            {
                "tool": tool.name,
                "call_id": self._call_id,
                "arguments": arguments,
                "variables": self._variables,
            }
        )
        headers = (
            tool.headers
            | signed_headers(self._secret, new_id("msg"), utcnow(), body)
            | {"content-type": "application/json", "user-agent": f"ringline-tools/{__version__}"}
            | target.headers
        )
        request = client.build_request(
            tool.method,
            target.url,
            content=body.encode(),
            headers=headers,
            extensions=target.extensions,
        )
        return await client.send(request, follow_redirects=False)


def _answer(response: httpx.Response) -> Any:
    """The endpoint's JSON answer; ToolFailed for anything but a 2xx JSON answer."""
    if not 200 <= response.status_code < 300:
        raise ToolFailed(f"the endpoint answered HTTP {response.status_code}")
    if len(response.content) > MAX_ANSWER_BYTES:
        raise ToolFailed(f"the answer is over {MAX_ANSWER_BYTES // 1024} KB")
    if not response.content:
        return {}
    try:
        return response.json()
    except ValueError as exc:
        raise ToolFailed("the answer is not JSON") from exc
