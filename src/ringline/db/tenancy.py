"""Reading a workspace's rows: the one place the tenancy filter is written.

Every tenant table has ``id``, ``workspace_id`` and ``created_at``; a row of another
workspace is reported exactly like a missing one.
"""

from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from ringline.errors import not_found


class TenantRow(Protocol):
    id: InstrumentedAttribute[Any]
    workspace_id: InstrumentedAttribute[Any]
    created_at: InstrumentedAttribute[Any]


Row = TypeVar("Row", bound=TenantRow)


async def list_owned(session: AsyncSession, model: type[Row], workspace_id: str) -> list[Row]:
    """The workspace's rows of ``model``, oldest first."""
    query = (
        select(model).where(model.workspace_id == workspace_id).order_by(model.created_at, model.id)
    )
    return list(await session.scalars(query))


async def get_owned(
    session: AsyncSession, model: type[Row], workspace_id: str, row_id: str, kind: str
) -> Row:
    """The workspace's row ``row_id``; 404 naming ``kind`` if it has none."""
    row = await session.scalar(
        select(model).where(model.id == row_id, model.workspace_id == workspace_id)
    )
    if row is None:
        raise not_found(kind, row_id)
    return row
