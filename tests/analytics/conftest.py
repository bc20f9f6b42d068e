"""Workspaces with assistants, and calls written straight to the table at chosen times."""

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.models import Assistant, Call
from tests.conftest import Caller, KeyMaker
from tests.fixtures.rows import call_row as shared_call_row


@dataclass(frozen=True)
class Tenant:
    """A workspace's key and its assistants' IDs."""

    caller: Caller
    assistants: list[str]

    @property
    def headers(self) -> dict[str, str]:
        return self.caller.headers


TenantMaker = Callable[[str], Coroutine[Any, Any, Tenant]]
CallAdder = Callable[..., Coroutine[Any, Any, list[Call]]]


@pytest.fixture
def make_tenant(session: AsyncSession, make_key: KeyMaker) -> TenantMaker:
    async def make(name: str) -> Tenant:
        caller = await make_key(name)
        assistants = [
            Assistant(
                workspace_id=caller.workspace_id, name=f"a{i}", language="en", prompt="p", voice="v"
            )
            for i in range(3)
        ]
        session.add_all(assistants)
        await session.flush()
        return Tenant(caller, [a.id for a in assistants])

    return make


@pytest.fixture
async def acme(make_tenant: TenantMaker) -> Tenant:
    return await make_tenant("acme")


def call_row(tenant: Tenant, created_at: datetime, **fields: Any) -> Call:
    """A completed call of the tenant's first assistant, unless ``fields`` say otherwise."""
    values = {"status": "completed", "created_at": created_at} | fields
    return shared_call_row(tenant.caller.workspace_id, tenant.assistants[0], **values)


@pytest.fixture
def add_calls(session: AsyncSession) -> CallAdder:
    """Store one call per time given, each with ``fields``, and return them."""

    async def add(tenant: Tenant, *times: datetime, **fields: Any) -> list[Call]:
        calls = [call_row(tenant, at, **fields) for at in times]
        session.add_all(calls)
        await session.flush()
        return calls

    return add
