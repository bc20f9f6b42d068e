"""Reading many calls at once: the call history, and counts for dashboards and charts."""

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.analytics import service
from ringline.analytics.params import CallFilters, Filters
from ringline.analytics.schemas import Analytics, CallHistory, CallHistoryItem
from ringline.auth.dependencies import Reader, Session
from ringline.auth.service import Principal

router = APIRouter()


@router.get("/calls/history", response_model=CallHistory, tags=["calls"])
async def get_call_history(
    # The caller first (in both routes): without a key it is a 401 whatever the query says.
    principal: Principal = Reader,
    session: AsyncSession = Session,
    filters: CallFilters = Filters,
    limit: int = Query(20, ge=1, le=100, description="Calls per page, at most 100"),
    offset: int = Query(0, ge=0, le=2**31, description="Calls to skip, newest first"),
) -> CallHistory:
    """The workspace's calls, newest first, a page at a time, filtered by date and outcome."""
    rows, total = await service.history(session, principal.workspace_id, filters, limit, offset)
    calls = [CallHistoryItem.model_validate(row) for row in rows]
    return CallHistory(calls=calls, total=total, limit=limit, offset=offset)


@router.get("/analytics", response_model=Analytics, tags=["analytics"])
async def get_analytics(
    principal: Principal = Reader,
    session: AsyncSession = Session,
    filters: CallFilters = Filters,
    group_by: service.GroupBy | None = Query(
        None, description="Also count per day (UTC), per assistant or per campaign"
    ),
) -> Analytics:
    """Call counts, the average duration of completed calls and dispositions over a range."""
    return await service.analytics(session, principal.workspace_id, filters, group_by)
