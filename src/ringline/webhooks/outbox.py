"""The outbox's SQL for dispatchers: claim due messages under a lease, record each attempt.

These queries span workspaces on purpose: a dispatcher serves them all. Claiming is one
``UPDATE ... WHERE seq IN (SELECT ... FOR UPDATE SKIP LOCKED)``: on PostgreSQL concurrent
dispatchers skip each other's rows; on SQLite the statement runs under the one write lock.
A message is "in flight" while its lease runs; the lease doubles as the claim's token, so
a dispatcher that lost its lease (it stalled past it) records nothing.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ringline.db.base import rows_changed
from ringline.db.signals import CommitSignal
from ringline.models import WebhookDelivery, WebhookEndpoint, WebhookMessage

Verdict = Literal["delivered", "retry", "failed", "gone"]
# Set when a transaction that queued messages commits: dispatchers then look at once.
MESSAGES_QUEUED = CommitSignal("webhook-messages")


def destination(message: type[WebhookMessage] = WebhookMessage) -> ColumnElement[str]:
    """What ordering and in-flight limits are kept per: the endpoint, or the URL if none."""
    return func.coalesce(message.endpoint_id, message.url)


def _due(now: datetime) -> list[ColumnElement[bool]]:
    return [
        WebhookMessage.status == "pending",
        WebhookMessage.next_attempt_at <= now,
        or_(WebhookMessage.lease_expires_at.is_(None), WebhookMessage.lease_expires_at < now),
    ]


def _in_turn() -> ColumnElement[bool]:
    """Ordering: a keyed message waits while an earlier one (same key, destination) is pending."""
    earlier = aliased(WebhookMessage)
    return or_(
        WebhookMessage.ordering_key.is_(None),
        ~exists().where(
            earlier.ordering_key == WebhookMessage.ordering_key,
            destination(earlier) == destination(),
            earlier.status == "pending",
            earlier.seq < WebhookMessage.seq,
        ),
    )


async def claim(
    session: AsyncSession,
    *,
    now: datetime,
    lease_until: datetime,
    limit: int,
    room: dict[str, int],
    per_destination: int,
) -> list[WebhookMessage]:
    """Lease up to ``limit`` due messages, at most ``room[d]`` (else ``per_destination``) per d.

    Only the oldest ``limit * per_destination`` due messages are ranked, so a claim costs
    the same however long the backlog; destinations with no room are left out of them.
    """
    full = [key for key, left in room.items() if left <= 0]
    window = (
        select(
            WebhookMessage.seq, WebhookMessage.next_attempt_at, destination().label("destination")
        )
        .where(*_due(now), _in_turn(), destination().not_in(full))
        .order_by(WebhookMessage.next_attempt_at, WebhookMessage.seq)
        .limit(limit * per_destination)
        .subquery()
    )
    rank = func.row_number().over(
        partition_by=window.c.destination, order_by=(window.c.next_attempt_at, window.c.seq)
    )
    ranked = select(window, rank.label("rank")).subquery()
    cap = case(room, value=ranked.c.destination, else_=per_destination) if room else per_destination
    chosen = (
        select(ranked.c.seq)
        .where(ranked.c.rank <= cap)
        .order_by(ranked.c.next_attempt_at, ranked.c.seq)
        .limit(limit)
    )
    locked = (
        select(WebhookMessage.seq)
        .where(WebhookMessage.seq.in_(chosen), *_due(now))
        .with_for_update(skip_locked=True)
    )
    leased = (
        update(WebhookMessage)
        .where(WebhookMessage.seq.in_(locked))
        .values(lease_expires_at=lease_until)
        .returning(WebhookMessage)
    )
    claimed = await session.scalars(leased, execution_options={"synchronize_session": False})
    return sorted(claimed, key=lambda message: message.seq)


async def secrets_of(session: AsyncSession, endpoint_ids: set[str]) -> dict[str, str]:
    rows = await session.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.secret).where(
            WebhookEndpoint.id.in_(endpoint_ids)
        )
    )
    return {endpoint_id: secret for endpoint_id, secret in rows}


@dataclass(frozen=True)
class Attempt:
    """What one attempt got back; ``verdict`` says what happens to the message next."""

    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None
    verdict: Verdict


async def record(
    session: AsyncSession,
    message: WebhookMessage,
    attempt: Attempt,
    *,
    retry_at: datetime | None,
    failing_after: int,
) -> bool:
    """Store the attempt and the message's next state; False if the lease was lost meanwhile."""
    status = {"delivered": "delivered", "retry": "pending"}.get(attempt.verdict, "failed")
    if status == "pending" and retry_at is None:
        status = "failed"  # out of retries
    result = await session.execute(
        update(WebhookMessage)
        .where(
            WebhookMessage.seq == message.seq,
            WebhookMessage.lease_expires_at == message.lease_expires_at,
        )
        .values(
            status=status,
            attempts=WebhookMessage.attempts + 1,
            next_attempt_at=retry_at or WebhookMessage.next_attempt_at,
            lease_expires_at=None,
        )
    )
    if rows_changed(result) == 0:
        return False
    session.add(_delivery(message, attempt))
    if message.endpoint_id is not None:
        await _update_endpoint(session, message, attempt.verdict, failing_after)
    return True


def _delivery(message: WebhookMessage, attempt: Attempt) -> WebhookDelivery:
    return WebhookDelivery(
        workspace_id=message.workspace_id,
        endpoint_id=message.endpoint_id,
        message_id=message.id,
        event=message.event,
        attempted_at=attempt.attempted_at,
        status_code=attempt.status_code,
        latency_ms=attempt.latency_ms,
        error=attempt.error,
    )


async def _update_endpoint(
    session: AsyncSession, message: WebhookMessage, verdict: Verdict, failing_after: int
) -> None:
    endpoint = WebhookEndpoint.id == message.endpoint_id
    if verdict == "delivered":
        # Written only when there is something to reset: most deliveries touch no endpoint row.
        await session.execute(
            update(WebhookEndpoint)
            .where(endpoint, WebhookEndpoint.consecutive_failures > 0)
            .values(consecutive_failures=0, status=_unless_disabled("active"))
        )
    elif verdict == "gone":
        await _disable(session, message)
    else:
        failures = WebhookEndpoint.consecutive_failures + 1
        failing = and_(WebhookEndpoint.status == "active", failures >= failing_after)
        await session.execute(
            update(WebhookEndpoint)
            .where(endpoint)
            .values(
                consecutive_failures=failures,
                status=case((failing, "failing"), else_=WebhookEndpoint.status),
            )
        )


def _unless_disabled(status: str) -> ColumnElement[str]:
    return case((WebhookEndpoint.status == "disabled", "disabled"), else_=status)


async def _disable(session: AsyncSession, message: WebhookMessage) -> None:
    """410 Gone: the receiver asked for no more; its queued messages fail now."""
    await session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == message.endpoint_id)
        .values(status="disabled", consecutive_failures=WebhookEndpoint.consecutive_failures + 1)
    )
    await session.execute(
        update(WebhookMessage)
        .where(
            WebhookMessage.endpoint_id == message.endpoint_id, WebhookMessage.status == "pending"
        )
        .values(status="failed", lease_expires_at=None)
    )
