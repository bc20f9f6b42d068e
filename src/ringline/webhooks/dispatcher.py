"""The in-process dispatcher: claims due outbox messages and delivers them concurrently.

One loop claims what there is room for: at most ``concurrency`` attempts in flight in
the process, and at most ``per_endpoint_concurrency`` per destination, so a slow or dead
endpoint holds only its own slots while the others keep flowing. Each attempt runs as its
own task and records its result in its own transaction. The loop wakes when this process
commits new messages, when an attempt finishes, and otherwise every ``poll`` seconds
(messages queued by other processes, retries coming due, expired leases).

Delivery is at least once: a message is leased, not removed, when claimed; if the process
dies the lease runs out and any dispatcher sends it again.
"""

import asyncio
import logging
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from ringline.config import Settings
from ringline.db import Database
from ringline.db.base import utcnow
from ringline.jobs import Pass
from ringline.models import WebhookMessage
from ringline.operations.metrics import WEBHOOK_ATTEMPTS
from ringline.webhooks import delivery, outbox
from ringline.webhooks.signing import workspace_secret

logger = logging.getLogger(__name__)
JITTER = 0.2


@dataclass(frozen=True)
class Policy:
    """How delivery behaves; built from the ``webhook_*`` settings."""

    timeout: float
    retry_schedule: tuple[float, ...]
    concurrency: int
    per_endpoint_concurrency: int
    failing_after: int
    lease: float
    poll: float
    allow_private: bool
    server_secret: str

    @classmethod
    def from_settings(cls, settings: Settings) -> "Policy":
        return cls(
            timeout=settings.webhook_timeout_seconds,
            retry_schedule=tuple(settings.webhook_retry_schedule),
            concurrency=settings.webhook_concurrency,
            per_endpoint_concurrency=settings.webhook_per_endpoint_concurrency,
            failing_after=settings.webhook_failing_after,
            # Past the attempt's own timeout, so a live attempt never loses its lease.
            lease=max(settings.webhook_lease_seconds, settings.webhook_timeout_seconds + 1),
            poll=settings.webhook_poll_seconds,
            allow_private=settings.allow_private_webhooks,
            server_secret=settings.secret_key.get_secret_value(),
        )

    def retry_at(self, attempt_number: int, now: datetime) -> datetime | None:
        """When to try again after failed attempt ``attempt_number`` (1-based); None: give up."""
        if attempt_number > len(self.retry_schedule):
            return None
        delay = self.retry_schedule[attempt_number - 1] * random.uniform(1 - JITTER, 1 + JITTER)
        return now + timedelta(seconds=delay)


class Dispatcher:
    def __init__(self, db: Database, policy: Policy) -> None:
        self.db = db
        self.policy = policy
        self.client = httpx.AsyncClient(
            timeout=policy.timeout,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=policy.concurrency),
        )
        self.wakeup = asyncio.Event()
        self.in_flight: Counter[str] = Counter()
        self.attempts: set[asyncio.Task[None]] = set()

    def dispatch_pass(self) -> Pass:
        """Claim what there is room for; woken by new messages and by finished attempts."""
        return Pass(
            "webhooks.dispatch",
            self.claim_due,
            self.policy.poll,
            wake_on=(outbox.MESSAGES_QUEUED,),
            wakeup=self.wakeup,
        )

    async def claim_due(self) -> None:
        # Whatever was due is claimed or waits for room; a finished attempt wakes the pass.
        room = self.policy.concurrency - len(self.attempts)
        if room > 0:
            await self._claim(room)

    async def stop(self) -> None:
        """Let attempts under way finish (up to their timeout), then close.

        Call it after the dispatch pass stopped, so nothing new is claimed meanwhile."""
        if self.attempts:
            _, unfinished = await asyncio.wait(self.attempts, timeout=self.policy.timeout + 1)
            for task in unfinished:
                task.cancel()  # its lease runs out and the message is sent again
            await asyncio.gather(*unfinished, return_exceptions=True)
        await self.client.aclose()

    async def _claim(self, limit: int) -> None:
        now = utcnow()
        per_destination = self.policy.per_endpoint_concurrency
        room = {key: per_destination - count for key, count in self.in_flight.items() if count}
        async with self.db.session() as session:
            messages = await outbox.claim(
                session,
                now=now,
                lease_until=now + timedelta(seconds=self.policy.lease),
                limit=limit,
                room=room,
                per_destination=per_destination,
            )
            secrets = await outbox.secrets_of(
                session, {m.endpoint_id for m in messages if m.endpoint_id}
            )
        for message in messages:
            secret = secrets.get(message.endpoint_id or "") or workspace_secret(
                self.policy.server_secret, message.workspace_id
            )
            self._spawn(message, secret)

    def _spawn(self, message: WebhookMessage, secret: str) -> None:
        key = message.endpoint_id or message.url
        self.in_flight[key] += 1
        task = asyncio.get_running_loop().create_task(self._deliver(message, secret))
        self.attempts.add(task)

        def done(finished: asyncio.Task[None]) -> None:
            self.attempts.discard(finished)
            self.in_flight[key] -= 1
            self.wakeup.set()

        task.add_done_callback(done)

    async def _deliver(self, message: WebhookMessage, secret: str) -> None:
        attempt = await delivery.attempt(
            self.client,
            url=message.url,
            secret=secret,
            message_id=message.id,
            payload=message.payload,
            extra_headers=message.headers,
            timeout=self.policy.timeout,
            allow_private=self.policy.allow_private,
        )
        WEBHOOK_ATTEMPTS.labels(attempt.verdict).observe(attempt.latency_ms / 1000)
        retry_at = None
        if attempt.verdict == "retry":
            retry_at = self.policy.retry_at(message.attempts + 1, utcnow())
        try:
            async with self.db.session() as session:
                kept = await outbox.record(
                    session,
                    message,
                    attempt,
                    retry_at=retry_at,
                    failing_after=self.policy.failing_after,
                )
        except Exception:
            logger.exception("recording webhook message %s failed; it is sent again", message.id)
            return
        if not kept:
            logger.warning("webhook message %s: lease lost, result not recorded", message.id)
