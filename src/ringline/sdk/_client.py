"""``Ringline`` and ``AsyncRingline``: configuration, sending with retries, error mapping.

Both share ``BaseClient``, which builds requests, decides on retries and turns answers
into results or exceptions; the two subclasses only do the I/O and the waiting.
"""

from __future__ import annotations

import asyncio
import os
import time
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from ringline import __version__
from ringline.sdk import _resources as r
from ringline.sdk._exceptions import (
    APIConnectionError,
    APITimeoutError,
    RinglineError,
    status_error,
)
from ringline.sdk._operations import Operation
from ringline.sdk._retries import RetryPolicy
from ringline.sdk._types import NOT_GIVEN

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncRingline",
    "Ringline",
]

T = TypeVar("T")

DEFAULT_BASE_URL = "http://127.0.0.1:8000/v1"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2

# Failures after which the request may not have reached the server, so a retry is safe
# for requests that are safe to repeat; others (a bad URL, a proxy refusing) are not.
_RETRIED_TRANSPORT_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class BaseClient:
    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | httpx.URL | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
    ) -> None:
        api_key = api_key or os.environ.get("RINGLINE_API_KEY")
        if not api_key:
            raise RinglineError("no API key: pass api_key= or set RINGLINE_API_KEY")
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.api_key = api_key
        self.base_url = httpx.URL(
            str(base_url or os.environ.get("RINGLINE_BASE_URL") or DEFAULT_BASE_URL)
        )
        self.timeout = timeout
        self.retries = RetryPolicy(max_retries=max_retries)

    @property
    def max_retries(self) -> int:
        return self.retries.max_retries

    def _client_options(self) -> dict[str, Any]:
        headers = {
            "Authorization": f"Bearer {self.api_key}",
            "Accept": "application/json",
            "User-Agent": f"ringline-python/{__version__}",
        }
        return {"base_url": self.base_url, "timeout": self.timeout, "headers": headers}

    def _request_options(self, operation: Operation[Any]) -> dict[str, Any]:
        options: dict[str, Any] = {
            "method": operation.method,
            "url": operation.path.lstrip("/"),  # relative, so it stays under the base path
            "params": operation.params,
            "headers": operation.headers,
        }
        if operation.body is not NOT_GIVEN:
            options["json"] = operation.body
        if operation.files is not None:
            options["files"] = operation.files
        return options

    def _result(self, operation: Operation[T], response: httpx.Response) -> T:
        try:
            return operation.parse(response)
        except ValueError as exc:  # not JSON, or not the expected shape
            raise RinglineError(
                f"unexpected answer to {operation.method} {operation.path} "
                f"({response.status_code}): {exc}"
            ) from exc

    def _transport_failure(
        self, error: httpx.TransportError, operation: Operation[Any], attempt: int
    ) -> tuple[RinglineError, float | None]:
        """The exception to raise for ``error``, and the delay before a retry (None: none)."""
        where = f"{operation.method} {operation.path}"
        request = _request_of(error)
        failure: RinglineError
        if isinstance(error, httpx.TimeoutException):
            failure = APITimeoutError(f"{where} timed out: {error!r}", request=request)
        else:
            failure = APIConnectionError(f"{where} failed: {error!r}", request=request)
        retryable = operation.retryable and isinstance(error, _RETRIED_TRANSPORT_ERRORS)
        return failure, self.retries.delay_after_error(attempt, retryable=retryable)

    def _retry_delay(
        self, operation: Operation[Any], response: httpx.Response, attempt: int
    ) -> float | None:
        return self.retries.delay_after_response(response, attempt, retryable=operation.retryable)


def _request_of(error: httpx.TransportError) -> httpx.Request | None:
    try:
        return error.request
    except RuntimeError:  # raised from outside a client, without a request
        return None


class Ringline(BaseClient):
    """The blocking client. Use it as a context manager, or call ``close()``.

    >>> client = Ringline(api_key="rl_...", base_url="http://127.0.0.1:8000/v1")
    >>> client.assistants.list().assistants
    """

    workspace: r.WorkspaceResource
    providers: r.Providers
    assistants: r.Assistants
    voices: r.Voices
    numbers: r.Numbers
    documents: r.Documents
    carrier_accounts: r.CarrierAccounts
    keys: r.ApiKeys
    calls: r.Calls
    analytics: r.Analytics
    campaigns: r.Campaigns
    webhooks: r.Webhooks
    sandbox: r.Sandbox
    webcall: r.Webcall

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )
        self._http = httpx.Client(transport=transport, **self._client_options())
        self.workspace = r.WorkspaceResource(self)
        self.providers = r.Providers(self)
        self.assistants = r.Assistants(self)
        self.voices = r.Voices(self)
        self.numbers = r.Numbers(self)
        self.documents = r.Documents(self)
        self.carrier_accounts = r.CarrierAccounts(self)
        self.keys = r.ApiKeys(self)
        self.calls = r.Calls(self)
        self.analytics = r.Analytics(self)
        self.campaigns = r.Campaigns(self)
        self.webhooks = r.Webhooks(self)
        self.sandbox = r.Sandbox(self)
        self.webcall = r.Webcall(self)

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def _send(self, operation: Operation[T]) -> T:
        request = self._http.build_request(**self._request_options(operation))
        attempt = 0
        while True:
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                failure, delay = self._transport_failure(exc, operation, attempt)
                if delay is None:
                    raise failure from exc
            else:
                if response.is_success:
                    return self._result(operation, response)
                delay = self._retry_delay(operation, response, attempt)
                if delay is None:
                    raise status_error(response)
            self._sleep(delay)
            attempt += 1

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncRingline(BaseClient):
    """The asyncio client. Use it as an async context manager, or await ``aclose()``.

    >>> async with AsyncRingline(api_key="rl_...") as client:
    ...     assistants = (await client.assistants.list()).assistants
    """

    workspace: r.AsyncWorkspaceResource
    providers: r.AsyncProviders
    assistants: r.AsyncAssistants
    voices: r.AsyncVoices
    numbers: r.AsyncNumbers
    documents: r.AsyncDocuments
    carrier_accounts: r.AsyncCarrierAccounts
    keys: r.AsyncApiKeys
    calls: r.AsyncCalls
    analytics: r.AsyncAnalytics
    campaigns: r.AsyncCampaigns
    webhooks: r.AsyncWebhooks
    sandbox: r.AsyncSandbox
    webcall: r.AsyncWebcall

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )
        self._http = httpx.AsyncClient(transport=transport, **self._client_options())
        self.workspace = r.AsyncWorkspaceResource(self)
        self.providers = r.AsyncProviders(self)
        self.assistants = r.AsyncAssistants(self)
        self.voices = r.AsyncVoices(self)
        self.numbers = r.AsyncNumbers(self)
        self.documents = r.AsyncDocuments(self)
        self.carrier_accounts = r.AsyncCarrierAccounts(self)
        self.keys = r.AsyncApiKeys(self)
        self.calls = r.AsyncCalls(self)
        self.analytics = r.AsyncAnalytics(self)
        self.campaigns = r.AsyncCampaigns(self)
        self.webhooks = r.AsyncWebhooks(self)
        self.sandbox = r.AsyncSandbox(self)
        self.webcall = r.AsyncWebcall(self)

    async def _sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def _send(self, operation: Operation[T]) -> T:
        request = self._http.build_request(**self._request_options(operation))
        attempt = 0
        while True:
            try:
                response = await self._http.send(request)
            except httpx.TransportError as exc:
                failure, delay = self._transport_failure(exc, operation, attempt)
                if delay is None:
                    raise failure from exc
            else:
                if response.is_success:
                    return self._result(operation, response)
                delay = self._retry_delay(operation, response, attempt)
                if delay is None:
                    raise status_error(response)
            await self._sleep(delay)
            attempt += 1

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
