"""/docs: Swagger UI served from the ``swagger-ui-bundle-v2`` package, so it works offline,
and what the OpenAPI document says beyond the routes: an introduction and examples."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from ringline.api_examples import REQUESTS, RESPONSES

ASSETS = "/static/swagger"

INTRODUCTION = """\
A self-hosted voice-AI calling platform: voice assistants that place and answer phone
calls, campaigns that call lists of contacts, call history with transcripts, recordings,
dispositions and summaries, analytics, and signed webhooks.

**Authentication.** Every `/v1` request carries an API key: `Authorization: Bearer <key>`.
The first start of the server prints an admin key; `ringline keys create` (or
`POST /v1/keys`) makes more. Press *Authorize* above and paste a key to try the requests
here.

**A first call.** Create an assistant (`POST /v1/assistants`), then place a call
(`POST /v1/calls/outbound`) from the workspace's sandbox number `+918001234567`: the
sandbox carrier dials a simulated callee on this machine, no phone network needed. Follow
it with `GET /v1/calls/{call_id}/status` and `GET /v1/calls/{call_id}/transcript`.

**Phone numbers** are written with their country code, in any usual way
(`+91 98765 43210`, `+91-98765-43210`) and always returned in E.164 (`+919876543210`).

**Errors** have one shape: `{"error": {"code", "message", "details"}}`. A 400 lists each
field to fix in `details` as `{"field", "problem"}`; a 429 says in `Retry-After` how many
seconds to wait (60 requests a minute per key unless configured otherwise).

**Retries.** `POST /v1/calls/outbound`, `POST /v1/campaigns/launch` and the other creating
requests take an `Idempotency-Key` header: a repeat with the same key returns the first
answer instead of acting twice.

The Python SDK (`ringline.sdk`) and the `ringline` command line wrap every route here.
"""


def install_docs(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_path), name="swagger-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="ringline API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )


def describe(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the introduction and the examples to a generated OpenAPI document."""
    schema["info"]["description"] = INTRODUCTION
    for (method, path), body in REQUESTS.items():
        content = schema["paths"][path][method]["requestBody"]["content"]
        content["application/json"]["example"] = body
    for (method, path, status), body in RESPONSES.items():
        content = schema["paths"][path][method]["responses"][status]["content"]
        content["application/json"]["example"] = body
    return schema
