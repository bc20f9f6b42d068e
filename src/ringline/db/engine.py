"""The engine and session factory, created once per process by the app or a command."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling breaks SAVEPOINT; SQLAlchemy emits BEGIN instead.
    dbapi_connection.isolation_level = None
    # WAL lets readers run beside the one writer; busy_timeout waits out a held lock.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    # A deferred transaction that reads, then writes after another writer committed,
    # fails at once with "database is locked" (its snapshot is stale; no wait helps).
    # Writers therefore take the write lock up front and wait their turn for it.
    read_only = connection.get_execution_options().get("read_only", False)
    connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")


def create_engine(url: str) -> AsyncEngine:
    engine = create_async_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        event.listen(engine.sync_engine, "begin", _begin_sqlite)
    return engine


class Database:
    """An engine with its session factory; ``session()`` is the unit of work."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self, read_only: bool = False) -> AsyncIterator[AsyncSession]:
        """A session that commits when the block ends cleanly and rolls back otherwise.

        ``read_only`` sessions do not queue behind writers on SQLite.
        """
        async with self.sessions() as session, session.begin():
            if read_only:
                await session.connection(execution_options={"read_only": True})
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
