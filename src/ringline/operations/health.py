"""``/healthz``, ``/readyz`` and ``/metrics``: alive, ready for traffic, and what it did.

Ready means the database answers and its schema is at the newest migration (a process
started against a database another version migrated further, or not yet at all, is
not); the bundled models are loaded before ``serve`` reports ready, unless warm-up is off.
"""

from alembic.script import ScriptDirectory
from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select, text

from ringline.migrations import alembic_config
from ringline.models import WebhookMessage
from ringline.operations.metrics import REGISTRY, WEBHOOK_BACKLOG
from ringline.state import AppState, State

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive and serving requests."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
async def readyz(state: AppState = State) -> JSONResponse:
    """Ready for traffic: the database answers and its schema is at head (503 if not)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    try:
        async with state.db.session(read_only=True) as session:
            await session.execute(text("SELECT 1"))
            current = await session.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception as exc:  # whatever the driver raises: not ready, and why
        return _not_ready({"database": f"unreachable: {type(exc).__name__}"})
    checks = {"database": "ok", "schema": str(current)}
    if current != head:
        return _not_ready(checks | {"schema": f"{current}, not the newest ({head})"})
    models = "loaded" if state.settings.warm_up else "loaded on the first call"
    return JSONResponse({"status": "ready", **checks, "models": models})


def _not_ready(checks: dict[str, str]) -> JSONResponse:
    return JSONResponse({"status": "not ready", **checks}, status_code=503)


@router.get("/metrics", response_class=Response)
async def metrics(state: AppState = State) -> Response:
    """This process's metrics in Prometheus's text format."""
    async with state.db.session(read_only=True) as session:
        pending = select(func.count()).where(WebhookMessage.status == "pending")
        WEBHOOK_BACKLOG.set(await session.scalar(pending) or 0)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
