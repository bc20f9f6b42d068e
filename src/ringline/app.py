"""Builds the FastAPI application: routers, error handlers, OpenAPI and the lifespan."""

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from ringline import __version__
from ringline.analytics.router import router as analytics_router
from ringline.apidocs import describe, install_docs
from ringline.assistants.router import router as assistants_router
from ringline.assistants.router import voices_router
from ringline.auth.router import router as keys_router
from ringline.bootstrap import announce, announce_restart, bootstrap
from ringline.callees.router import router as callees_router
from ringline.calls.router import router as calls_router
from ringline.campaigns.router import router as campaigns_router
from ringline.campaigns.router import settings_router as campaign_settings_router
from ringline.carrier_accounts.router import router as carrier_accounts_router
from ringline.config import Settings, get_settings
from ringline.dashboard.router import install as install_dashboard
from ringline.db import Database
from ringline.errors import ERROR_RESPONSES, install_error_handlers
from ringline.knowledge.router import assistant_documents_router
from ringline.knowledge.router import router as documents_router
from ringline.migrations import migrate
from ringline.numbers.router import router as numbers_router
from ringline.operations.health import router as operations_router
from ringline.operations.metrics import RequestTimer
from ringline.providers.router import router as providers_router
from ringline.ratelimit import RateLimiter
from ringline.runtime.media import router as media_router
from ringline.runtime.process import Runtime
from ringline.state import AppState
from ringline.webcall.router import public_router as webcall_public_router
from ringline.webcall.router import router as webcall_router
from ringline.webhooks.router import router as webhooks_router
from ringline.workspaces.router import router as workspace_router

ROUTERS = [
    workspace_router,
    assistants_router,
    voices_router,
    carrier_accounts_router,
    numbers_router,
    documents_router,
    assistant_documents_router,
    analytics_router,
    calls_router,
    campaigns_router,
    campaign_settings_router,
    webhooks_router,
    callees_router,
    keys_router,
    providers_router,
    webcall_router,
]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    state: AppState = app.state.ringline
    state.settings.data_dir.mkdir(parents=True, exist_ok=True)
    await migrate(state.db)
    made = await bootstrap(state.db, state.settings)
    say(announce(made) if made is not None else announce_restart(state.settings))
    runtime = Runtime(state.db, state.settings)
    await runtime.start(background=state.settings.background)
    if state.settings.warm_up:
        await _warm_up(runtime)
    state.live_calls = runtime
    say(addresses(state.settings))
    try:
        yield
    finally:
        state.live_calls = None
        await runtime.stop()
        await state.db.dispose()


def say(lines: str) -> None:
    """Start-up news for the operator, whatever the log level."""
    print(lines, file=sys.stderr, flush=True)


async def _warm_up(runtime: Runtime) -> None:
    say("ringline: loading the bundled models (whisper, piper, VAD, turn model, embedder, LLM)...")
    try:
        took = await runtime.warm_up()
    except Exception as exc:  # the server still serves; the first call will say what fails
        say(f"ringline: could not warm the bundled models ({exc}); calls load them on use")
        return
    seconds = ", ".join(f"{name} {value:.1f} s" for name, value in took.items())
    say(f"ringline: models ready ({seconds})")


def addresses(settings: Settings) -> str:
    """Where to go next, printed once the server is about to accept requests."""
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    root = f"http://{host}:{settings.port}"
    return (
        f"ringline: API          {root}/v1\n"
        f"ringline: API docs     {root}/docs\n"
        f"ringline: browser demo {root}/demo\n"
        f"ringline: dashboard    {root}/dashboard/"
    )


def _openapi_with_400s(app: FastAPI) -> dict[str, Any]:
    """The document with its introduction and examples; FastAPI documents 422 for invalid
    input, ringline answers 400 (see errors.py)."""
    if app.openapi_schema is None:
        schema = describe(get_openapi(title=app.title, version=app.version, routes=app.routes))
        for path in schema["paths"].values():
            for operation in path.values():
                operation.get("responses", {}).pop("422", None)
        schema.get("components", {}).get("schemas", {}).pop("HTTPValidationError", None)
        schema.get("components", {}).get("schemas", {}).pop("ValidationError", None)
        app.openapi_schema = schema
    return app.openapi_schema


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    """The app; ``db`` defaults to the settings' database (tests pass their own)."""
    app = FastAPI(
        title="ringline", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    settings = settings or get_settings()
    app.state.ringline = AppState(
        settings=settings,
        db=db or Database(settings.resolved_database_url),
        rate_limiter=RateLimiter(settings.rate_limit, settings.rate_limit_storage),
    )
    install_error_handlers(app)
    v1 = APIRouter(prefix="/v1", responses=ERROR_RESPONSES)
    for router in ROUTERS:
        v1.include_router(router)
    app.include_router(v1)
    app.include_router(media_router)
    app.include_router(webcall_public_router)
    install_dashboard(app)
    app.include_router(operations_router)
    app.add_middleware(RequestTimer)
    install_docs(app)
    app.openapi = lambda: _openapi_with_400s(app)  # type: ignore[method-assign]
    return app
