"""When a failed request is tried again, and how long to wait first.

Retried: 429 (after ``Retry-After`` when the server sends it), 5xx, and connection errors
and timeouts, up to ``max_retries`` times, with exponential backoff and jitter otherwise.
Only requests that are safe to repeat are retried: every method but POST, and a POST that
carries an ``Idempotency-Key`` (the server then answers a repeat with the first result)
or that is idempotent by nature (assigning a number, ending a call).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

__all__ = ["IDEMPOTENCY_HEADER", "RetryPolicy", "parse_retry_after"]

IDEMPOTENCY_HEADER = "Idempotency-Key"


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delta-seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    # A longer Retry-After is not waited out inside a call: RateLimitError is raised.
    max_retry_after: float = 60.0

    def backoff(self, attempt: int) -> float:
        """Exponential, capped, with up to 25% jitter so clients do not retry in step."""
        delay = min(self.max_delay, self.initial_delay * 2.0**attempt)
        return delay * (1 - 0.25 * random.random())

    def delay_after_error(self, attempt: int, *, retryable: bool) -> float | None:
        """Seconds before retrying after a connection error or timeout; None to give up."""
        if attempt >= self.max_retries or not retryable:
            return None
        return self.backoff(attempt)

    def delay_after_response(
        self, response: httpx.Response, attempt: int, *, retryable: bool
    ) -> float | None:
        """Seconds before retrying after an error status; None to give up."""
        status = response.status_code
        if status != 429 and status < 500:
            return None
        if attempt >= self.max_retries or not retryable:
            return None
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if retry_after is None:
            return self.backoff(attempt)
        return retry_after if retry_after <= self.max_retry_after else None
