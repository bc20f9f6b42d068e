"""Alembic, driven from code: ``ringline migrate`` and server start-up call this."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"
# The PostgreSQL advisory lock that serializes migrations (any constant of ringline's own).
MIGRATION_LOCK = 0x72696E67


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def upgrade_to_head(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Processes starting together migrate one after another; the later ones find
            # the schema at head. (SQLite's write lock already serializes them.)
            lock = text("SELECT pg_advisory_xact_lock(:key)")
            await connection.execute(lock, {"key": MIGRATION_LOCK})
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), "head"))
