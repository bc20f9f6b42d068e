"""The overview page: the analytics API's counts for a date range, assistant and campaign."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.analytics.params import CallFilters, parse_range
from ringline.analytics.schemas import Analytics
from ringline.analytics.service import analytics
from ringline.assistants.service import list_assistants
from ringline.auth.dependencies import Session
from ringline.campaigns.service import list_campaigns
from ringline.dashboard import charts
from ringline.dashboard.access import Operator, Viewer
from ringline.dashboard.render import page
from ringline.db.base import utcnow
from ringline.errors import BadRequest

router = APIRouter()
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Choice:
    """The range and filters the operator picked, as the form shows them back."""

    start: str
    end: str
    assistant_id: str
    campaign_id: str


def _choice(request: Request) -> Choice:
    query = request.query_params
    today = utcnow().date()
    default_start = (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat()
    return Choice(
        start=query.get("from") or default_start,
        end=query.get("to") or today.isoformat(),
        assistant_id=query.get("assistant_id", ""),
        campaign_id=query.get("campaign_id", ""),
    )


def filters_of(choice: Choice) -> CallFilters:
    start, end = parse_range(choice.start, choice.end)
    return CallFilters(
        start, end, choice.assistant_id or None, None, None, choice.campaign_id or None
    )


def answer_rate(counts: Analytics) -> float | None:
    """Completed calls as a share of the calls placed (None when there were none)."""
    return counts.completed / counts.total_calls if counts.total_calls else None


def _days(choice: Choice, counts: Analytics) -> list[tuple[str, int]]:
    """Every day of the range, a day without calls as zero (the API lists days with calls)."""
    per_day = {group.key: group.total_calls for group in counts.groups or []}
    first, last = date.fromisoformat(choice.start[:10]), date.fromisoformat(choice.end[:10])
    span = min((last - first).days + 1, 366)
    days = [(first + timedelta(days=n)).isoformat() for n in range(max(span, 0))]
    return [(day, per_day.get(day, 0)) for day in days]


@router.get("/")
async def overview(
    request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    choice = _choice(request)
    context: dict[str, Any] = {
        "choice": choice,
        "assistants": await list_assistants(session, who.workspace_id),
        "campaigns": await list_campaigns(session, who.workspace_id),
    }
    try:
        counts = await analytics(session, who.workspace_id, filters_of(choice), "day")
        days = _days(choice, counts)
    except (BadRequest, ValueError):
        message = "Pick a start date on or before the end date (YYYY-MM-DD)."
        return page(request, "overview.html", who, status_code=400, error=message, **context)
    outcomes = [(status, n) for status, n in counts.by_status.items() if n]
    context |= {
        "counts": counts,
        "answer_rate": answer_rate(counts),
        "per_day": charts.columns(days),
        "outcomes": charts.rows(outcomes),
        "dispositions": charts.rows(list(counts.dispositions.items())),
    }
    return page(request, "overview.html", who, **context)
