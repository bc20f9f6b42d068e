"""The process's metrics, served at ``/metrics`` in Prometheus's text format.

One registry per process, filled where things happen (a status change, a dial, a webhook
attempt, an agent's reply, a request); the webhook backlog is counted when scraped.
Counters are this process's own: a scraper sums them over the processes it scrapes.
"""

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REGISTRY = CollectorRegistry(auto_describe=True)
_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_REPLY_SECONDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0, 5.0)

REQUESTS = Histogram(
    "ringline_http_request_seconds",
    "HTTP requests by method, route template and status code",
    ["method", "route", "status"],
    buckets=_SECONDS,
    registry=REGISTRY,
)
CALL_STATUSES = Counter(
    "ringline_call_status_changes",
    "Calls moved to each status by this process",
    ["status"],
    registry=REGISTRY,
)
LIVE_CALLS = Gauge(
    "ringline_live_calls", "Calls whose conversation this process holds now", registry=REGISTRY
)
DIAL_LAG = Histogram(
    "ringline_dial_lag_seconds",
    "From a call being due (placed, or its scheduled time) to its dial starting",
    buckets=_SECONDS,
    registry=REGISTRY,
)
REPLY_STAGES = Histogram(
    "ringline_reply_seconds",
    "Agent replies: customer silence to first audio (stage=total), and each stage",
    ["stage"],
    buckets=_REPLY_SECONDS,
    registry=REGISTRY,
)
TOOL_CALLS = Histogram(
    "ringline_tool_call_seconds",
    "HTTP tool calls made during calls, by outcome",
    ["outcome"],
    buckets=_SECONDS,
    registry=REGISTRY,
)
WEBHOOK_ATTEMPTS = Histogram(
    "ringline_webhook_attempt_seconds",
    "Webhook delivery attempts by verdict (delivered, retry, gone, failed)",
    ["verdict"],
    buckets=_SECONDS,
    registry=REGISTRY,
)
WEBHOOK_BACKLOG = Gauge(
    "ringline_webhook_backlog",
    "Webhook messages not yet delivered (waiting, leased or between retries)",
    registry=REGISTRY,
)


class RequestTimer:
    """ASGI middleware timing every HTTP request by its route template (never the raw path:
    call IDs would make a series each)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            took = time.perf_counter() - started
            REQUESTS.labels(scope["method"], _route(scope), str(status)).observe(took)


def _route(scope: Scope) -> str:
    """The path with its parameters named: "/v1/calls/{call_id}/status". (The matched
    route's own ``path`` lacks the prefixes of the routers it was included through.)"""
    if "route" not in scope:
        return "unmatched"
    template = str(scope["path"])
    for name, value in scope.get("path_params", {}).items():
        template = template.replace(f"/{value}", f"/{{{name}}}", 1)
    return template
