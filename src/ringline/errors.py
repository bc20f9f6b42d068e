"""ringline's errors and the one JSON shape every error response has.

ApiError                      {"error": {"code", "message", "details"}}
├── BadRequest        400     the body or query is malformed or invalid
├── Unauthorized      401     missing, unknown, revoked or expired key
├── Forbidden         403     the key's scope does not allow this
├── NotFound          404     no such resource in this workspace
├── Conflict          409     the request clashes with the current state
└── RateLimited       429     too many requests; carries Retry-After
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    status_code = 500
    code = "internal_error"

    def __init__(
        self, message: str, details: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers = headers


class BadRequest(ApiError):
    status_code = 400
    code = "bad_request"


class Unauthorized(ApiError):
    status_code = 401
    code = "unauthorized"


class Forbidden(ApiError):
    status_code = 403
    code = "forbidden"


class NotFound(ApiError):
    status_code = 404
    code = "not_found"


class Conflict(ApiError):
    status_code = 409
    code = "conflict"


class RateLimited(ApiError):
    status_code = 429
    code = "rate_limited"


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "rate_limited",
}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in [
        (400, "Bad request: the body or query is malformed or invalid"),
        (401, "Invalid or expired API key"),
        (403, "Insufficient permissions for this workspace"),
        (404, "Resource not found"),
        (429, "Rate limited: retry after the Retry-After header value"),
    ]
}


CONFLICT_RESPONSE: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorResponse, "description": "Conflicts with the current state"}
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def not_found(kind: str, resource_id: str) -> NotFound:
    return NotFound(f"{kind} {resource_id} not found", {"id": resource_id})


def _field_path(error: dict[str, Any]) -> str:
    # ("body", "voice") -> "voice"; ("query", "limit") -> "limit"; ("body", "tags", 0) -> "tags.0"
    if error["type"] == "json_invalid":
        return "body"  # its location is a character offset, not a field
    location = tuple(error["loc"])
    return ".".join(str(part) for part in location[1:]) or str(location[0])


def _problem(error: dict[str, Any]) -> str:
    if error["type"] == "json_invalid":
        return f"the body is not valid JSON: {error.get('ctx', {}).get('error', 'decode error')}"
    if error["type"] == "model_attributes_type" and tuple(error["loc"]) == ("body",):
        return "the body must be a JSON object sent with Content-Type: application/json"
    if error["type"] == "value_error":  # a validator's own words, without pydantic's prefix
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return str(error["msg"])


def validation_message(details: list[dict[str, str]]) -> str:
    """The 400's message: the problem itself when there is one, else the fields to check
    (a client that shows only the message still says what is wrong)."""
    if len(details) == 1:
        return f"invalid request: {details[0]['field']}: {details[0]['problem']}"
    fields = ", ".join(sorted({d["field"] for d in details}))
    return f"invalid request: check {fields}"


def validation_details(errors: list[Any]) -> list[dict[str, str]]:
    return [{"field": _field_path(error), "problem": _problem(error)} for error in errors]


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves on this path (Starlette names only one route's)."""
    routes = request.app.router.routes

    def served(method: str) -> bool:
        scope = {**request.scope, "method": method}
        return any(route.matches(scope)[0] is Match.FULL for route in routes)

    return [method for method in HTTP_METHODS if served(method)]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        body = error_body(exc.code, exc.message, exc.details)
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = validation_details(list(exc.errors()))
        body = error_body("bad_request", validation_message(details), details)
        return JSONResponse(body, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "error")
        message = str(exc.detail)
        headers = exc.headers
        if exc.status_code in (404, 405):
            message = f"{message}: {request.method} {request.url.path}"
        if exc.status_code == 405:
            headers = {"Allow": ", ".join(_allowed_methods(request))}
        body = error_body(code, message)
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        body = error_body("internal_error", "internal server error: retry with backoff")
        return JSONResponse(body, status_code=500)
