"""Finding and creating workspaces, and measuring their usage."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.calls.service import usage_since
from ringline.db.base import utcnow
from ringline.errors import not_found
from ringline.models import Workspace
from ringline.workspaces.schemas import PlanLimits, Usage


async def get_workspace(session: AsyncSession, workspace_id: str) -> Workspace:
    workspace = await session.get(Workspace, workspace_id)
    if workspace is None:
        raise not_found("workspace", workspace_id)
    return workspace


async def find_by_name(session: AsyncSession, name: str) -> Workspace | None:
    return await session.scalar(select(Workspace).where(Workspace.name == name))


async def create_workspace(session: AsyncSession, name: str) -> Workspace:
    workspace = Workspace(name=name)
    session.add(workspace)
    await session.flush()
    return workspace


async def call_count(session: AsyncSession, workspace_id: str) -> int:
    """How many calls the workspace has ever had: read fresh, never from the session."""
    return (
        await session.scalar(select(Workspace.call_count).where(Workspace.id == workspace_id)) or 0
    )


async def any_workspace_exists(session: AsyncSession) -> bool:
    return await session.scalar(select(Workspace.id).limit(1)) is not None


async def usage(session: AsyncSession, workspace: Workspace) -> Usage:
    """This calendar month's calls and minutes (UTC), and the calls live now."""
    month_start = utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    calls = await usage_since(session, workspace.id, month_start)
    limits = PlanLimits(
        concurrent_calls=workspace.concurrent_call_limit,
        monthly_minutes=workspace.monthly_minute_limit,
    )
    return Usage(
        calls_this_month=calls.calls,
        minutes_this_month=calls.minutes,
        concurrent_calls=calls.live,
        limits=limits,
    )
