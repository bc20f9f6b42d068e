"""Builds the FastAPI application: routers, error handlers, OpenAPI and the lifespan."""

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from sqlalchemy import text

from ringline import __version__
from ringline.analytics.router import router as analytics_router
from ringline.apidocs import install_docs
from ringline.assistants.router import router as assistants_router
from ringline.assistants.router import voices_router
from ringline.auth.ratelimit import RateLimiter
from ringline.auth.router import router as keys_router
from ringline.bootstrap import announce, bootstrap
from ringline.calling import start_calling
from ringline.calls.router import router as calls_router
from ringline.campaigns.router import router as campaigns_router
from ringline.campaigns.router import settings_router as campaign_settings_router
from ringline.config import Settings, get_settings
from ringline.db import Database
from ringline.errors import ERROR_RESPONSES, install_error_handlers
from ringline.numbers.router import router as numbers_router
from ringline.providers.router import router as providers_router
from ringline.sandbox.router import router as sandbox_router
from ringline.telephony.router import router as media_router
from ringline.webcall.router import public_router as webcall_public_router
from ringline.webcall.router import router as webcall_router
from ringline.webhooks.dispatcher import start_dispatcher
from ringline.webhooks.router import router as webhooks_router
from ringline.workspaces.router import router as workspace_router

ROUTERS = [
    workspace_router,
    assistants_router,
    voices_router,
    numbers_router,
    analytics_router,
    calls_router,
    campaigns_router,
    campaign_settings_router,
    webhooks_router,
    sandbox_router,
    keys_router,
    providers_router,
    webcall_router,
]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    await db.migrate()
    made = await bootstrap(db, settings)
    if made is not None:
        print(announce(made), file=sys.stderr, flush=True)
    app.state.db = db
    dispatcher = start_dispatcher(db, settings) if settings.background else None
    calling = await start_calling(db, settings, dial=settings.background)
    app.state.voice, app.state.carriers = calling.voice, calling.carriers
    try:
        yield
    finally:
        await calling.stop()
        if dispatcher is not None:
            await dispatcher.stop()
        await db.dispose()


def _openapi_with_400s(app: FastAPI) -> dict[str, Any]:
    """FastAPI documents 422 for invalid input; ringline answers 400 (see errors.py)."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        for path in schema["paths"].values():
            for operation in path.values():
                operation.get("responses", {}).pop("422", None)
        schema.get("components", {}).get("schemas", {}).pop("HTTPValidationError", None)
        schema.get("components", {}).get("schemas", {}).pop("ValidationError", None)
        app.openapi_schema = schema
    return app.openapi_schema


async def healthz(request: Request) -> dict[str, str]:
    """Ready when the database answers."""
    async with request.app.state.db.session() as session:
        await session.execute(text("SELECT 1"))
    return {"status": "ok"}


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="ringline", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    settings = settings or get_settings()
    app.state.settings = settings
    app.state.rate_limiter = RateLimiter(settings.rate_limit, settings.rate_limit_storage)
    install_error_handlers(app)
    v1 = APIRouter(prefix="/v1", responses=ERROR_RESPONSES)
    for router in ROUTERS:
        v1.include_router(router)
    app.include_router(v1)
    app.include_router(media_router)
    app.include_router(webcall_public_router)
    app.add_api_route("/healthz", healthz, methods=["GET"], tags=["health"])
    install_docs(app)
    app.openapi = lambda: _openapi_with_400s(app)  # type: ignore[method-assign]
    return app
