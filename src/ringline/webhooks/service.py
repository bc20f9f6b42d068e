"""Webhook endpoints, their delivery log and the outbox entry point.

Every query here is filtered by the workspace. ``enqueue_event`` is how other modules
publish an event: it writes outbox rows in the caller's transaction, so an event exists
exactly when the change that caused it was committed.
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.db.base import utcnow
from ringline.db.tenancy import get_owned, list_owned
from ringline.errors import BadRequest, Conflict, not_found
from ringline.models import WebhookDelivery, WebhookEndpoint, WebhookMessage
from ringline.webhooks import outbox
from ringline.webhooks.safety import UnsafeUrl, refuse_private
from ringline.webhooks.schemas import EVENTS, WebhookCreate
from ringline.webhooks.signing import generate_secret


async def list_webhooks(session: AsyncSession, workspace_id: str) -> list[WebhookEndpoint]:
    return await list_owned(session, WebhookEndpoint, workspace_id)


async def get_webhook(session: AsyncSession, workspace_id: str, webhook_id: str) -> WebhookEndpoint:
    return await get_owned(session, WebhookEndpoint, workspace_id, webhook_id, "webhook")


async def create_webhook(
    session: AsyncSession, workspace_id: str, data: WebhookCreate, *, allow_private: bool
) -> WebhookEndpoint:
    if not allow_private:
        try:
            await refuse_private(data.url)
        except UnsafeUrl as exc:
            raise BadRequest(str(exc), [{"field": "url", "problem": str(exc)}]) from exc
    endpoint = WebhookEndpoint(
        workspace_id=workspace_id,
        url=data.url,
        events=data.events,
        secret=data.secret or generate_secret(),
    )
    session.add(endpoint)
    await session.flush()
    return endpoint


async def delete_webhook(session: AsyncSession, workspace_id: str, webhook_id: str) -> None:
    """Delete the endpoint; its undelivered messages and delivery log go with it."""
    await session.delete(await get_webhook(session, workspace_id, webhook_id))
    await session.flush()


async def list_deliveries(
    session: AsyncSession, workspace_id: str, webhook_id: str, limit: int
) -> list[WebhookDelivery]:
    """The endpoint's delivery attempts, newest first."""
    await get_webhook(session, workspace_id, webhook_id)
    query = (
        select(WebhookDelivery)
        .where(
            WebhookDelivery.workspace_id == workspace_id,
            WebhookDelivery.endpoint_id == webhook_id,
        )
        .order_by(WebhookDelivery.attempted_at.desc(), WebhookDelivery.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def redeliver(
    session: AsyncSession, workspace_id: str, webhook_id: str, message_id: str
) -> WebhookMessage:
    """Send a message again now, whatever became of it, with a fresh set of retries."""
    endpoint = await get_webhook(session, workspace_id, webhook_id)
    if endpoint.status == "disabled":
        raise Conflict(
            f"webhook {webhook_id} is disabled (its URL answered 410 Gone); register it again",
            {"status": endpoint.status},
        )
    message = await session.scalar(
        select(WebhookMessage).where(
            WebhookMessage.id == message_id,
            WebhookMessage.endpoint_id == webhook_id,
            WebhookMessage.workspace_id == workspace_id,
        )
    )
    if message is None:
        raise not_found("message", message_id)
    if message.status != "pending":
        message.status, message.attempts, message.lease_expires_at = "pending", 0, None
    message.next_attempt_at = utcnow()
    await session.flush()
    outbox.MESSAGES_QUEUED.after_commit(session)
    return message


def _event_body(event: str, payload: dict[str, Any]) -> dict[str, Any]:
    body = {"event": event, **payload}
    body.setdefault("timestamp", utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"))
    return body


async def enqueue_event(
    session: AsyncSession,
    workspace_id: str,
    event: str,
    payload: dict[str, Any],
    *,
    extra_urls: Iterable[str] = (),
    extra_headers: dict[str, str] | None = None,
    ordering_key: str | None = None,
) -> None:
    """Queue ``event`` for every endpoint of the workspace subscribed to it, and each extra URL.

    Call it inside the transaction that made the change; nothing is sent unless that
    commits. Messages sharing an ``ordering_key`` (a call's ID) reach each destination in
    the order they were queued. Extra URLs are signed with the workspace's signing secret
    (``GET /v1/webhooks/call-url/secret``) and carry ``extra_headers``.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event '{event}'")
    endpoints = await session.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.workspace_id == workspace_id, WebhookEndpoint.status != "disabled"
        )
    )
    destinations: list[tuple[str | None, str, dict[str, str] | None]] = [
        (e.id, e.url, None) for e in endpoints if event in e.events
    ]
    destinations += [(None, url, extra_headers) for url in extra_urls]
    body, now = _event_body(event, payload), utcnow()
    session.add_all(
        WebhookMessage(
            workspace_id=workspace_id,
            endpoint_id=endpoint_id,
            url=url,
            event=event,
            payload=body,
            headers=headers,
            ordering_key=ordering_key,
            next_attempt_at=now,
        )
        for endpoint_id, url, headers in destinations
    )
    # Flushed now so that ``seq`` follows the order in which events were queued.
    await session.flush()
    outbox.MESSAGES_QUEUED.after_commit(session)
