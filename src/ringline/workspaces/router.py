from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.dependencies import Reader, Session
from ringline.auth.service import Principal
from ringline.workspaces import service
from ringline.workspaces.schemas import WorkspaceRead

router = APIRouter(prefix="/workspace", tags=["workspace"])


@router.get("", response_model=WorkspaceRead)
async def get_workspace(
    principal: Principal = Reader, session: AsyncSession = Session
) -> WorkspaceRead:
    """The caller's workspace: ID, name, plan and usage this month."""
    workspace = await service.get_workspace(session, principal.workspace_id)
    return WorkspaceRead(
        id=workspace.id,
        name=workspace.name,
        plan=workspace.plan,
        usage=await service.usage(session, workspace),
        created_at=workspace.created_at,
    )
