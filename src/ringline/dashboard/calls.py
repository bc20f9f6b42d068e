"""The call history, one call's page and recording, and the calls live right now."""

from typing import Any, get_args

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.analytics.params import CallFilters, parse_range
from ringline.analytics.service import history
from ringline.assistants.service import list_assistants
from ringline.auth.dependencies import Session
from ringline.calls.live import calls_in_progress
from ringline.calls.recordings import recording_path
from ringline.calls.router import stop_audio
from ringline.calls.service import end_call, get_call, transcript
from ringline.campaigns.service import list_campaigns
from ringline.dashboard.access import Operator, Viewer, Writer
from ringline.dashboard.render import page
from ringline.errors import BadRequest, NotFound
from ringline.models import Call
from ringline.models.call import CALL_STATUSES, CallSource, Direction
from ringline.state import AppState, State

router = APIRouter()
PAGE_SIZE = 50
LIVE_SHOWN = 50
FILTER_NAMES = (
    *("from", "to", "assistant_id", "status", "disposition", "campaign_id"),
    *("source", "direction"),
)


def _picked(request: Request) -> dict[str, str]:
    return {name: request.query_params.get(name, "") for name in FILTER_NAMES}


def _one_of(value: str, allowed: tuple[str, ...], field: str) -> Any:
    if value and value not in allowed:
        raise BadRequest(f"invalid {field}", {"field": field})
    return value or None


def _filters(picked: dict[str, str]) -> CallFilters:
    """The history API's filters, from the same query parameters."""
    start, end = parse_range(picked["from"] or None, picked["to"] or None)
    return CallFilters(
        start,
        end,
        picked["assistant_id"] or None,
        _one_of(picked["status"], CALL_STATUSES, "status"),
        picked["disposition"] or None,
        picked["campaign_id"] or None,
        _one_of(picked["source"], get_args(CallSource), "source"),
        _one_of(picked["direction"], get_args(Direction), "direction"),
    )


def offset_of(request: Request) -> int:
    """The ``offset`` a page link carries; anything else reads as the first page."""
    raw = request.query_params.get("offset", "0")
    return max(int(raw), 0) if raw.isdigit() else 0


@router.get("/calls")
async def calls_page(
    request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    picked, offset = _picked(request), offset_of(request)
    context: dict[str, Any] = {
        "picked": picked,
        "statuses": CALL_STATUSES,
        "assistants": await list_assistants(session, who.workspace_id),
        "campaigns": await list_campaigns(session, who.workspace_id),
    }
    try:
        filters = _filters(picked)
    except BadRequest as exc:
        return page(request, "calls.html", who, 400, error=exc.message, rows=[], **context)
    rows, total = await history(session, who.workspace_id, filters, PAGE_SIZE, offset)
    kept = {name: value for name, value in picked.items() if value}
    context |= {"rows": rows, "total": total, "offset": offset, "size": PAGE_SIZE, "kept": kept}
    return page(request, "calls.html", who, **context)


def timeline(call: Call) -> list[tuple[str, Any]]:
    """The moments the call went through, in order, those it reached."""
    steps = [
        ("placed", call.created_at),
        ("scheduled for", call.scheduled_at),
        ("dialed", call.dial_started_at),
        ("answered", call.answered_at),
        ("end requested", call.end_requested_at),
        (call.status if call.ended_at else "ended", call.ended_at),
    ]
    return [(name, moment) for name, moment in steps if moment is not None]


@router.get("/calls/{call_id}")
async def call_page(
    call_id: str,
    request: Request,
    who: Operator = Viewer,
    session: AsyncSession = Session,
    state: AppState = State,
) -> HTMLResponse:
    call = await _call_or_none(session, who, call_id)
    if call is None:
        return page(request, "missing.html", who, 404, what=f"call {call_id}")
    turns = await transcript(session, call)
    has_recording = recording_path(state.settings, call.id).exists()
    context: dict[str, Any] = {"call": call, "turns": turns, "timeline": timeline(call)}
    return page(request, "call.html", who, has_recording=has_recording, **context)


async def _call_or_none(session: AsyncSession, who: Operator, call_id: str) -> Call | None:
    try:
        return await get_call(session, who.workspace_id, call_id)
    except NotFound:
        return None


@router.get("/calls/{call_id}/recording")
async def recording(
    call_id: str, who: Operator = Viewer, session: AsyncSession = Session, state: AppState = State
) -> Response:
    call = await _call_or_none(session, who, call_id)
    path = recording_path(state.settings, call.id) if call else None
    if path is None or not path.exists():
        return Response("no recording", status_code=404, media_type="text/plain")
    return FileResponse(path, media_type="audio/wav")


@router.post("/calls/{call_id}/end")
async def end(
    call_id: str,
    next: str = Form("/dashboard/live"),
    who: Operator = Writer,
    session: AsyncSession = Session,
    state: AppState = State,
) -> Response:
    """What ``POST /v1/calls/{id}/end`` does: the end stored, the audio stopped if here."""
    call, already_ended = await end_call(session, who.workspace_id, call_id)
    if not already_ended:
        await stop_audio(state, call)
    target = next if next.startswith("/dashboard/") else "/dashboard/live"
    return RedirectResponse(target, status_code=303)


async def _live(session: AsyncSession, who: Operator) -> list[tuple[Call, list[Any]]]:
    calls = await calls_in_progress(session, who.workspace_id, LIVE_SHOWN)
    return [(call, await transcript(session, call)) for call in calls]


@router.get("/live")
async def live_page(
    request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    return page(request, "live.html", who, live=await _live(session, who))


@router.get("/live/feed")
async def live_feed(
    request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    """The live list alone, which the page's script swaps in every second or two."""
    return page(request, "live_list.html", who, live=await _live(session, who))
