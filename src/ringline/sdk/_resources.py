"""The resources of both clients: ``client.assistants.create(...)`` and so on.

Each method is an operation builder from ``_operations`` bound to a client: on a
``Ringline`` it returns the result, on an ``AsyncRingline`` a coroutine of it. Only the
iterators that follow pages (history, contacts) are written out twice, since one blocks
and the other awaits.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, ParamSpec, Protocol, Self, TypeVar, overload

from ringline.sdk import _operations as ops
from ringline.sdk._models import CallRecord, CampaignContact, Page
from ringline.sdk._operations import Operation
from ringline.sdk._types import NOT_GIVEN, DateLike, NotGiven

__all__ = [
    "Analytics",
    "ApiKeys",
    "Assistants",
    "AsyncAnalytics",
    "AsyncApiKeys",
    "AsyncAssistants",
    "AsyncCalls",
    "AsyncCampaigns",
    "AsyncCarrierAccounts",
    "AsyncDocuments",
    "AsyncNumbers",
    "AsyncProviders",
    "AsyncSandbox",
    "AsyncVoices",
    "AsyncWebcall",
    "AsyncWebhooks",
    "AsyncWorkspaceResource",
    "Calls",
    "Campaigns",
    "CarrierAccounts",
    "Documents",
    "Numbers",
    "Providers",
    "Sandbox",
    "Voices",
    "Webcall",
    "Webhooks",
    "WorkspaceResource",
]

P = ParamSpec("P")
T = TypeVar("T")


class SyncSender(Protocol):
    def _send(self, operation: Operation[T]) -> T: ...


class AsyncSender(Protocol):
    def _send(self, operation: Operation[T]) -> Awaitable[T]: ...


class SyncResource:
    def __init__(self, client: SyncSender) -> None:
        self._client = client


class AsyncResource:
    def __init__(self, client: AsyncSender) -> None:
        self._client = client


def _as_method(
    function: Callable[..., Any], build: Callable[..., Any], owner: type, name: str
) -> None:
    """Give a bound operation the resource's method name and the builder's docs and parameters."""
    functools.update_wrapper(function, build)
    function.__name__ = name
    function.__qualname__ = f"{owner.__qualname__}.{name}"
    function.__module__ = owner.__module__
    signature = inspect.signature(build)
    function.__signature__ = signature.replace(  # type: ignore[attr-defined]
        return_annotation=inspect.Signature.empty
    )


class _Sync(Generic[P, T]):
    """A method of a sync resource: builds the operation, sends it, returns the result."""

    def __init__(self, build: Callable[P, Operation[T]]) -> None:
        self._build = build
        self._name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, resource: None, owner: type) -> Self: ...
    @overload
    def __get__(self, resource: SyncResource, owner: type) -> Callable[P, T]: ...
    def __get__(self, resource: SyncResource | None, owner: type) -> Self | Callable[P, T]:
        if resource is None:
            return self
        send, build = resource._client._send, self._build

        def method(*args: P.args, **kwargs: P.kwargs) -> T:
            return send(build(*args, **kwargs))

        _as_method(method, build, owner, self._name)
        return method


class _Async(Generic[P, T]):
    """A method of an async resource: returns a coroutine that sends the operation."""

    def __init__(self, build: Callable[P, Operation[T]]) -> None:
        self._build = build
        self._name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, resource: None, owner: type) -> Self: ...
    @overload
    def __get__(self, resource: AsyncResource, owner: type) -> Callable[P, Awaitable[T]]: ...
    def __get__(
        self, resource: AsyncResource | None, owner: type
    ) -> Self | Callable[P, Awaitable[T]]:
        if resource is None:
            return self
        send, build = resource._client._send, self._build

        async def method(*args: P.args, **kwargs: P.kwargs) -> T:
            return await send(build(*args, **kwargs))

        _as_method(method, build, owner, self._name)
        return method


# Builds the operation that fetches the page starting at ``offset``.
PageAt = Callable[..., Operation[Page[T]]]


def _follow(client: SyncSender, page_at: PageAt[T]) -> Iterator[T]:
    """The items of every page, fetching the next page only when the last one is used up."""
    offset: int | None = 0
    while offset is not None:
        page = client._send(page_at(offset=offset))
        yield from page
        offset = page.next_offset(offset)


async def _follow_async(client: AsyncSender, page_at: PageAt[T]) -> AsyncIterator[T]:
    offset: int | None = 0
    while offset is not None:
        page = await client._send(page_at(offset=offset))
        for item in page:
            yield item
        offset = page.next_offset(offset)


class WorkspaceResource(SyncResource):
    get = _Sync(ops.workspace_get)


class AsyncWorkspaceResource(AsyncResource):
    get = _Async(ops.workspace_get)


class Providers(SyncResource):
    list = _Sync(ops.providers_list)
    set = _Sync(ops.providers_set)
    remove = _Sync(ops.providers_remove)


class AsyncProviders(AsyncResource):
    list = _Async(ops.providers_list)
    set = _Async(ops.providers_set)
    remove = _Async(ops.providers_remove)


class Assistants(SyncResource):
    list = _Sync(ops.assistants_list)
    get = _Sync(ops.assistants_get)
    create = _Sync(ops.assistants_create)
    update = _Sync(ops.assistants_update)


class AsyncAssistants(AsyncResource):
    list = _Async(ops.assistants_list)
    get = _Async(ops.assistants_get)
    create = _Async(ops.assistants_create)
    update = _Async(ops.assistants_update)


class Voices(SyncResource):
    list = _Sync(ops.voices_list)


class AsyncVoices(AsyncResource):
    list = _Async(ops.voices_list)


class CarrierAccounts(SyncResource):
    list = _Sync(ops.carrier_accounts_list)
    get = _Sync(ops.carrier_accounts_get)
    create = _Sync(ops.carrier_accounts_create)
    delete = _Sync(ops.carrier_accounts_delete)


class AsyncCarrierAccounts(AsyncResource):
    list = _Async(ops.carrier_accounts_list)
    get = _Async(ops.carrier_accounts_get)
    create = _Async(ops.carrier_accounts_create)
    delete = _Async(ops.carrier_accounts_delete)


class Documents(SyncResource):
    list = _Sync(ops.documents_list)
    get = _Sync(ops.documents_get)
    create = _Sync(ops.documents_create)
    upload = _Sync(ops.documents_upload)
    delete = _Sync(ops.documents_delete)
    search = _Sync(ops.documents_search)
    attached = _Sync(ops.documents_attached)
    attach = _Sync(ops.documents_attach)


class AsyncDocuments(AsyncResource):
    list = _Async(ops.documents_list)
    get = _Async(ops.documents_get)
    create = _Async(ops.documents_create)
    upload = _Async(ops.documents_upload)
    delete = _Async(ops.documents_delete)
    search = _Async(ops.documents_search)
    attached = _Async(ops.documents_attached)
    attach = _Async(ops.documents_attach)


class Numbers(SyncResource):
    list = _Sync(ops.numbers_list)
    register = _Sync(ops.numbers_register)
    assign = _Sync(ops.numbers_assign)


class AsyncNumbers(AsyncResource):
    list = _Async(ops.numbers_list)
    register = _Async(ops.numbers_register)
    assign = _Async(ops.numbers_assign)


class ApiKeys(SyncResource):
    list = _Sync(ops.keys_list)
    create = _Sync(ops.keys_create)
    revoke = _Sync(ops.keys_revoke)


class AsyncApiKeys(AsyncResource):
    list = _Async(ops.keys_list)
    create = _Async(ops.keys_create)
    revoke = _Async(ops.keys_revoke)


class Calls(SyncResource):
    create_outbound = _Sync(ops.calls_create_outbound)
    status = _Sync(ops.calls_status)
    transcript = _Sync(ops.calls_transcript)
    end = _Sync(ops.calls_end)
    recording = _Sync(ops.calls_recording)
    history = _Sync(ops.calls_history)

    def iter_history(
        self,
        *,
        page_size: int = 100,
        from_: DateLike | NotGiven = NOT_GIVEN,
        to: DateLike | NotGiven = NOT_GIVEN,
        assistant_id: str | NotGiven = NOT_GIVEN,
        status: str | NotGiven = NOT_GIVEN,
        disposition: str | NotGiven = NOT_GIVEN,
        campaign_id: str | NotGiven = NOT_GIVEN,
        source: str | NotGiven = NOT_GIVEN,
        direction: str | NotGiven = NOT_GIVEN,
    ) -> Iterator[CallRecord]:
        """Every call in the history that matches the filters, fetching page by page."""
        page = functools.partial(
            ops.calls_history,
            limit=page_size,
            from_=from_,
            to=to,
            assistant_id=assistant_id,
            status=status,
            disposition=disposition,
            campaign_id=campaign_id,
            source=source,
            direction=direction,
        )
        return _follow(self._client, page)


class AsyncCalls(AsyncResource):
    create_outbound = _Async(ops.calls_create_outbound)
    status = _Async(ops.calls_status)
    transcript = _Async(ops.calls_transcript)
    end = _Async(ops.calls_end)
    recording = _Async(ops.calls_recording)
    history = _Async(ops.calls_history)

    def iter_history(
        self,
        *,
        page_size: int = 100,
        from_: DateLike | NotGiven = NOT_GIVEN,
        to: DateLike | NotGiven = NOT_GIVEN,
        assistant_id: str | NotGiven = NOT_GIVEN,
        status: str | NotGiven = NOT_GIVEN,
        disposition: str | NotGiven = NOT_GIVEN,
        campaign_id: str | NotGiven = NOT_GIVEN,
        source: str | NotGiven = NOT_GIVEN,
        direction: str | NotGiven = NOT_GIVEN,
    ) -> AsyncIterator[CallRecord]:
        """Every call in the history that matches the filters, fetching page by page."""
        page = functools.partial(
            ops.calls_history,
            limit=page_size,
            from_=from_,
            to=to,
            assistant_id=assistant_id,
            status=status,
            disposition=disposition,
            campaign_id=campaign_id,
            source=source,
            direction=direction,
        )
        return _follow_async(self._client, page)


class Analytics(SyncResource):
    get = _Sync(ops.analytics_get)


class AsyncAnalytics(AsyncResource):
    get = _Async(ops.analytics_get)


class Campaigns(SyncResource):
    list = _Sync(ops.campaigns_list)
    launch = _Sync(ops.campaigns_launch)
    status = _Sync(ops.campaigns_status)
    create = _Sync(ops.campaigns_create)
    get = _Sync(ops.campaigns_get)
    pause = _Sync(ops.campaigns_pause)
    resume = _Sync(ops.campaigns_resume)
    cancel = _Sync(ops.campaigns_cancel)
    contacts = _Sync(ops.campaigns_contacts)
    add_contacts = _Sync(ops.campaigns_add_contacts)
    upload_csv = _Sync(ops.campaigns_upload_csv)
    settings = _Sync(ops.campaigns_settings)
    update_settings = _Sync(ops.campaigns_update_settings)

    def iter_contacts(
        self, campaign_id: str, *, state: str | NotGiven = NOT_GIVEN, page_size: int = 1000
    ) -> Iterator[CampaignContact]:
        """Every contact of the campaign (optionally only those in one ``state``), in
        upload order, fetching page by page."""
        page = functools.partial(ops.campaigns_contacts, campaign_id, state=state, limit=page_size)
        return _follow(self._client, page)


class AsyncCampaigns(AsyncResource):
    list = _Async(ops.campaigns_list)
    launch = _Async(ops.campaigns_launch)
    status = _Async(ops.campaigns_status)
    create = _Async(ops.campaigns_create)
    get = _Async(ops.campaigns_get)
    pause = _Async(ops.campaigns_pause)
    resume = _Async(ops.campaigns_resume)
    cancel = _Async(ops.campaigns_cancel)
    contacts = _Async(ops.campaigns_contacts)
    add_contacts = _Async(ops.campaigns_add_contacts)
    upload_csv = _Async(ops.campaigns_upload_csv)
    settings = _Async(ops.campaigns_settings)
    update_settings = _Async(ops.campaigns_update_settings)

    def iter_contacts(
        self, campaign_id: str, *, state: str | NotGiven = NOT_GIVEN, page_size: int = 1000
    ) -> AsyncIterator[CampaignContact]:
        """Every contact of the campaign (optionally only those in one ``state``), in
        upload order, fetching page by page."""
        page = functools.partial(ops.campaigns_contacts, campaign_id, state=state, limit=page_size)
        return _follow_async(self._client, page)


class Webhooks(SyncResource):
    create = _Sync(ops.webhooks_create)
    list = _Sync(ops.webhooks_list)
    delete = _Sync(ops.webhooks_delete)
    deliveries = _Sync(ops.webhooks_deliveries)
    redeliver = _Sync(ops.webhooks_redeliver)
    call_url_secret = _Sync(ops.webhooks_call_url_secret)


class AsyncWebhooks(AsyncResource):
    create = _Async(ops.webhooks_create)
    list = _Async(ops.webhooks_list)
    delete = _Async(ops.webhooks_delete)
    deliveries = _Async(ops.webhooks_deliveries)
    redeliver = _Async(ops.webhooks_redeliver)
    call_url_secret = _Async(ops.webhooks_call_url_secret)


class Sandbox(SyncResource):
    list_callees = _Sync(ops.sandbox_list_callees)
    set_callee = _Sync(ops.sandbox_set_callee)
    delete_callee = _Sync(ops.sandbox_delete_callee)


class AsyncSandbox(AsyncResource):
    list_callees = _Async(ops.sandbox_list_callees)
    set_callee = _Async(ops.sandbox_set_callee)
    delete_callee = _Async(ops.sandbox_delete_callee)


class Webcall(SyncResource):
    create_token = _Sync(ops.webcall_create_token)


class AsyncWebcall(AsyncResource):
    create_token = _Async(ops.webcall_create_token)
