"""The errors the SDK raises.

    RinglineError                        anything the SDK raises
    ├── APIConnectionError               the request never got an answer
    ├── APITimeoutError                  the answer took longer than the timeout
    ├── APIStatusError                   the server answered with a non-2xx status
    │   ├── BadRequestError          400 the body or query is malformed or invalid
    │   ├── AuthenticationError      401 missing, unknown, revoked or expired key
    │   ├── PermissionDeniedError    403 the key's scope does not allow this
    │   ├── NotFoundError            404 no such resource in this workspace
    │   ├── ConflictError            409 the request clashes with the current state
    │   ├── RateLimitError           429 too many requests; see ``retry_after``
    │   └── InternalServerError      5xx the server failed; retried with backoff
    └── WebhookVerificationError         a webhook's signature or timestamp is wrong

``APIStatusError`` reads ringline's error body, ``{"error": {"code", "message",
"details"}}``, and falls back to whatever a proxy or another server sent instead.
"""

from __future__ import annotations

from typing import Any

import httpx

from ringline.sdk._retries import parse_retry_after

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RinglineError",
    "WebhookVerificationError",
    "status_error",
]


class RinglineError(Exception):
    """Base class of every error the SDK raises."""


class APIConnectionError(RinglineError):
    """The server could not be reached, or closed the connection before answering."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(RinglineError):
    """Connecting, sending or waiting for the answer took longer than the timeout."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APIStatusError(RinglineError):
    """The server answered with a status outside 2xx."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        code: str | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(f"{response.status_code} {code or 'error'}: {message}")
        self.message = message
        self.code = code
        self.details = details
        self.response = response
        self.status_code = response.status_code


class BadRequestError(APIStatusError):
    """400: ``details`` names each field to fix."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, unknown, revoked or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the API key's scope does not allow the operation."""


class NotFoundError(APIStatusError):
    """404: no such resource in this workspace."""


class ConflictError(APIStatusError):
    """409: the request clashes with the current state (a duplicate, a reused key)."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` says how many seconds to wait, if known."""

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.response.headers.get("retry-after"))


class InternalServerError(APIStatusError):
    """5xx: the server failed; the SDK retries these with backoff."""


class WebhookVerificationError(RinglineError):
    """A webhook's headers are missing, its timestamp is out of tolerance or no signature
    matches: do not trust the payload."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def _error_fields(response: httpx.Response) -> tuple[str | None, str, Any]:
    """(code, message, details) from ringline's body, or from what another server sent."""
    fallback = response.text.strip()[:500] or response.reason_phrase or "no message"
    try:
        body = response.json()
    except ValueError:
        return None, fallback, None
    if not isinstance(body, dict):
        return None, fallback, body
    error = body.get("error")
    if isinstance(error, dict):
        code = error.get("code")
        message = error.get("message") or fallback
        return (str(code) if code is not None else None), str(message), error.get("details")
    if isinstance(error, str):  # {"error": "...", "message": "..."} from other servers
        return error, str(body.get("message") or error), body.get("details")
    if "detail" in body:  # FastAPI and Starlette defaults
        detail = body["detail"]
        return None, detail if isinstance(detail, str) else fallback, detail
    code = body.get("code")
    message = body.get("message") or fallback
    return (str(code) if code is not None else None), str(message), body.get("details")


def status_error(response: httpx.Response) -> APIStatusError:
    """The exception for a non-2xx response; its body must have been read."""
    code, message, details = _error_fields(response)
    status = response.status_code
    cls = _BY_STATUS.get(status, InternalServerError if status >= 500 else APIStatusError)
    return cls(message, response=response, code=code, details=details)
