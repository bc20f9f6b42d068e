"""Reading a workspace's rows: the one place the tenancy filter is written.

Every tenant table has ``id``, ``workspace_id`` and ``created_at``; a row of another
workspace is reported exactly like a missing one.
"""

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.db.base import Base
from ringline.errors import not_found

Row = TypeVar("Row", bound=Base)


async def list_owned(session: AsyncSession, model: type[Row], workspace_id: str) -> list[Row]:
    """The workspace's rows of ``model``, oldest first."""
    columns = model.__table__.c
    query = (
        select(model)
        .where(columns.workspace_id == workspace_id)
        .order_by(columns.created_at, columns.id)
    )
    return list(await session.scalars(query))


async def get_owned(
    session: AsyncSession, model: type[Row], workspace_id: str, row_id: str, kind: str
) -> Row:
    """The workspace's row ``row_id``; 404 naming ``kind`` if it has none."""
    columns = model.__table__.c
    row = await session.scalar(
        select(model).where(columns.id == row_id, columns.workspace_id == workspace_id)
    )
    if row is None:
        raise not_found(kind, row_id)
    return row
