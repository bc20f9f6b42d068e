"""Requests per API key through the ``limits`` library (memory, or Redis to share limits)."""

import math
import time

from limits import RateLimitItem, parse
from limits.aio.strategies import FixedWindowRateLimiter
from limits.storage import storage_from_string

from ringline.errors import RateLimited


def _async_storage_url(url: str) -> str:
    return url if url.startswith("async+") else f"async+{url}"


class RateLimiter:
    def __init__(self, rate: str, storage_url: str) -> None:
        self.item: RateLimitItem = parse(rate)
        self.limiter = FixedWindowRateLimiter(storage_from_string(_async_storage_url(storage_url)))

    async def hit(self, key_id: str) -> dict[str, str]:
        """Count one request; return the RateLimit-* headers, or raise RateLimited."""
        allowed = await self.limiter.hit(self.item, key_id)
        stats = await self.limiter.get_window_stats(self.item, key_id)
        reset = max(1, math.ceil(stats.reset_time - time.time()))
        headers = {
            "RateLimit-Limit": str(self.item.amount),
            "RateLimit-Remaining": str(stats.remaining),
            "RateLimit-Reset": str(reset),
        }
        if not allowed:
            raise RateLimited(
                f"rate limit of {self.item} exceeded; retry after {reset} s",
                {"limit": str(self.item), "retry_after_seconds": reset},
                headers=headers | {"Retry-After": str(reset)},
            )
        return headers
