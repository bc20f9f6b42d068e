"""The schema's migrations (hand-written Alembic revisions in ``versions/``), driven from
code: ``ringline migrate`` and every process's start call ``migrate``."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from ringline.db import Database

MIGRATIONS = Path(__file__).parent
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


async def migrate(db: Database) -> None:
    """Bring ``db`` to the newest schema."""
    await upgrade_to_head(db.engine)
