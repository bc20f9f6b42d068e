"""Simulated callees of a workspace; numbers without one get the default callee."""

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.callees.schemas import SandboxCalleeCreate
from ringline.db.base import rows_changed
from ringline.errors import not_found
from ringline.models import SandboxCallee


async def list_callees(session: AsyncSession, workspace_id: str) -> list[SandboxCallee]:
    query = (
        select(SandboxCallee)
        .where(SandboxCallee.workspace_id == workspace_id)
        .order_by(SandboxCallee.number)
    )
    return list(await session.scalars(query))


async def find_callee(
    session: AsyncSession, workspace_id: str, number: str
) -> SandboxCallee | None:
    return await session.scalar(
        select(SandboxCallee).where(
            SandboxCallee.workspace_id == workspace_id, SandboxCallee.number == number
        )
    )


async def put_callee(
    session: AsyncSession, workspace_id: str, data: SandboxCalleeCreate
) -> tuple[SandboxCallee, bool]:
    """Create the callee for ``data.number``, or replace it; returns it and whether it is new."""
    callee = await find_callee(session, workspace_id, data.number)
    created = callee is None
    if callee is None:
        callee = SandboxCallee(workspace_id=workspace_id, number=data.number)
        session.add(callee)
    callee.behaviour = data.behaviour.model_dump()
    callee.persona = data.persona.model_dump()
    await session.flush()
    return callee, created


async def delete_callee(session: AsyncSession, workspace_id: str, number: str) -> None:
    result = await session.execute(
        delete(SandboxCallee).where(
            SandboxCallee.workspace_id == workspace_id, SandboxCallee.number == number
        )
    )
    if rows_changed(result) == 0:
        raise not_found("sandbox callee", number)
