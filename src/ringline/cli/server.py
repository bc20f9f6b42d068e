"""``ringline serve`` and ``ringline migrate``."""

import asyncio

import typer
import uvicorn

from ringline.config import get_settings
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
