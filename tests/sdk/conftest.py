"""Fixtures for the SDK tests: a real ringline server, a scripted one, and clients."""

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from tests.sdk.support import (
    Client,
    Connect,
    FastAsyncRingline,
    FastRingline,
    ScriptedServer,
    serve_in_thread,
    server_settings,
)


@pytest.fixture(scope="session")
def ringline_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ringline server, seeded on first start with ``ADMIN_KEY``."""
    with serve_in_thread(server_settings(tmp_path_factory.mktemp("ringline"))) as url:
        yield url


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    with ScriptedServer().running() as server:
        yield server


@pytest.fixture(params=["sync", "async"])
async def connect(request: pytest.FixtureRequest) -> AsyncIterator[Connect]:
    """Makes clients of one kind (each test runs with both); closes them afterwards."""
    made: list[Client] = []
    kind = FastRingline if request.param == "sync" else FastAsyncRingline

    def make(**options: Any) -> Client:
        client = kind(**options)
        made.append(client)
        return client

    yield make
    for client in made:
        if isinstance(client, FastAsyncRingline):
            await client.aclose()
        else:
            client.close()
