"""``ringline serve``, ``ringline worker`` and ``ringline migrate``."""

import asyncio
import logging
import signal
import sys
from enum import StrEnum
from typing import Annotated

import typer
import uvicorn

from ringline import migrations
from ringline.config import Settings, get_settings
from ringline.db import Database


class Level(StrEnum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


LogLevel = Annotated[
    Level,
    typer.Option(
        "--log-level",
        envvar="RINGLINE_LOG_LEVEL",
        help="info: one line per call event; debug: every request and the voice pipeline",
    ),
]
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def configure_logging(level: Level) -> None:
    """ringline's lines at ``level``; libraries only from warnings up, unless debugging.

    Pipecat logs through loguru, at DEBUG by default: dozens of lines for every call.
    """
    from loguru import logger as loguru

    debugging = level is Level.debug
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT, "%H:%M:%S"))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.DEBUG if debugging else max(logging.WARNING, _number(level)))
    logging.getLogger("ringline").setLevel(_number(level))
    loguru.remove()
    quiet = "ERROR" if level is Level.error else "WARNING"
    loguru.add(sys.stderr, level="DEBUG" if debugging else quiet)


def _number(level: Level) -> int:
    number: int = logging.getLevelNamesMapping()[level.value.upper()]
    return number


def serve(
    host: str = typer.Option(
        None, help="Address to listen on [default: RINGLINE_HOST or 127.0.0.1]"
    ),
    port: int = typer.Option(None, help="Port to listen on [default: RINGLINE_PORT or 8000]"),
    log_level: LogLevel = Level.info,
) -> None:
    """Run the API server (migrates the database and seeds it on first start)."""
    configure_logging(log_level)  # before the app's imports, which load Pipecat
    from ringline.app import create_app

    settings = get_settings()
    # The sandbox carrier connects back to this address: keep settings and listener in step.
    settings = settings.model_copy(
        update={"host": host or settings.host, "port": port or settings.port}
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        log_level=log_level.value,
        access_log=log_level is Level.debug,  # --wait alone polls every 2 s
    )


def migrate() -> None:
    """Apply the database migrations, then exit."""
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    async def run() -> None:
        db = Database(settings.resolved_database_url)
        try:
            await migrations.migrate(db)
        finally:
            await db.dispose()

    asyncio.run(run())
    typer.echo("database is up to date")


def worker(log_level: LogLevel = Level.info) -> None:
    """Dial waiting calls and deliver webhooks, without serving the API (runs until stopped).

    Call audio still flows through a ``serve`` process: point RINGLINE_MEDIA_URL at it.
    """
    configure_logging(log_level)
    asyncio.run(_work(get_settings()))


async def _work(settings: Settings) -> None:
    from ringline.runtime.process import Runtime

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    await migrations.migrate(db)
    stopping = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stopping.set)
    runtime = Runtime(db, settings)
    await runtime.start(background=True)
    typer.echo(f"worker {runtime.owner}: dialing calls and delivering webhooks", err=True)
    try:
        await stopping.wait()
    finally:
        await runtime.stop()
        await db.dispose()
    typer.echo("worker stopped", err=True)
