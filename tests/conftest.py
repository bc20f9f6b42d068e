from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.app import create_app
from ringline.auth.dependencies import get_session
from ringline.auth.scopes import Scope
from ringline.auth.service import create_key
from ringline.config import Settings
from ringline.db import Database
from ringline.migrations import migrate
from ringline.workspaces.service import create_workspace
from tests.fixtures.database import (
    create_postgres_database,
    drop_postgres_database,
    rolled_back_session,
)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
async def db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    """A database migrated to head from empty, once per backend."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
    else:
        url = await create_postgres_database()
    database = Database(url)
    await migrate(database)
    yield database
    await database.dispose()
    if request.param == "postgresql":
        await drop_postgres_database(url)


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    async for session in rolled_back_session(db):
        yield session


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "data_dir": tmp_path,
        "rate_limit": "1000/minute",
        "warm_up": False,
    }
    return Settings(**(values | overrides))


def make_app(db: Database, session: AsyncSession, settings: Settings) -> FastAPI:
    """The real app, its requests sharing the test's rolled-back transaction."""
    app = create_app(settings, db)  # no runtime started: these tests never dial

    async def shared_session() -> AsyncIterator[AsyncSession]:
        yield session
        await session.flush()

    app.dependency_overrides[get_session] = shared_session
    return app


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def app(db: Database, session: AsyncSession, settings: Settings) -> FastAPI:
    return make_app(db, session, settings)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ringline.test") as client:
        yield client


@dataclass(frozen=True)
class Caller:
    """An API key made for a test: its ID, its workspace and the headers that send it."""

    key_id: str
    workspace_id: str
    headers: dict[str, str]


KeyMaker = Callable[..., Coroutine[Any, Any, Caller]]


@pytest.fixture
def make_key(session: AsyncSession) -> KeyMaker:
    """Create a workspace (or reuse one by name) and a key in it."""
    workspaces: dict[str, str] = {}

    async def make(workspace: str = "acme", scope: Scope = Scope.admin, **options: Any) -> Caller:
        if workspace not in workspaces:
            workspaces[workspace] = (await create_workspace(session, workspace)).id
        key, secret = await create_key(
            session, workspaces[workspace], name="test", scope=scope, **options
        )
        return Caller(key.id, key.workspace_id, {"Authorization": f"Bearer {secret}"})

    return make


@pytest.fixture
async def auth(make_key: KeyMaker) -> dict[str, str]:
    """Headers with an admin key of the workspace 'acme'."""
    return (await make_key()).headers
