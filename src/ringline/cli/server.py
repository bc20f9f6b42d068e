"""``ringline serve``, ``ringline worker`` and ``ringline migrate``."""

import asyncio
import signal

import typer
import uvicorn

from ringline.config import Settings, get_settings
from ringline.db import Database


def serve(
    host: str = typer.Option(
        None, help="Address to listen on [default: RINGLINE_HOST or 127.0.0.1]"
    ),
    port: int = typer.Option(None, help="Port to listen on [default: RINGLINE_PORT or 8000]"),
) -> None:
    """Run the API server (migrates the database and seeds it on first start)."""
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
    )


def migrate() -> None:
    """Apply the database migrations, then exit."""
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    async def run() -> None:
        db = Database(settings.resolved_database_url)
        try:
            await db.migrate()
        finally:
            await db.dispose()

    asyncio.run(run())
    typer.echo("database is up to date")


def worker() -> None:
    """Dial waiting calls and deliver webhooks, without serving the API (runs until stopped).

    Call audio still flows through a ``serve`` process: point RINGLINE_MEDIA_URL at it.
    """
    asyncio.run(_work(get_settings()))


async def _work(settings: Settings) -> None:
    from ringline.calling import start_calling
    from ringline.webhooks.dispatcher import start_dispatcher

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    await db.migrate()
    stopping = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stopping.set)
    dispatcher = start_dispatcher(db, settings)
    calling = await start_calling(db, settings)
    typer.echo(f"worker {calling.lease.name}: dialing calls and delivering webhooks", err=True)
    try:
        await stopping.wait()
    finally:
        await calling.stop()
        await dispatcher.stop()
        await db.dispose()
    typer.echo("worker stopped", err=True)
