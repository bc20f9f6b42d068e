"""Campaigns: progress and counts by state, pause/resume/cancel, contacts, CSV upload."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from ringline.auth.dependencies import Session
from ringline.campaigns import service
from ringline.campaigns.contacts import read_csv
from ringline.campaigns.router import MAX_CSV_BYTES
from ringline.campaigns.schemas import CampaignStatusRead, ContactsAdded
from ringline.campaigns.status import campaign_status
from ringline.dashboard.access import Operator, Viewer, Writer
from ringline.dashboard.calls import offset_of
from ringline.dashboard.render import page
from ringline.db.base import utcnow
from ringline.errors import ApiError, NotFound
from ringline.models import Campaign

router = APIRouter()
CONTACTS_SHOWN = 100
ACTIONS = {"pause": service.pause, "resume": service.resume, "cancel": service.cancel}


async def _statuses(session: AsyncSession, who: Operator) -> list[CampaignStatusRead]:
    rows = await service.list_campaigns(session, who.workspace_id)
    return [await campaign_status(session, row, utcnow()) for row in rows]


@router.get("/campaigns")
async def campaigns_page(
    request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    return page(request, "campaigns.html", who, campaigns=await _statuses(session, who))


@router.get("/campaigns-feed")
async def campaigns_feed(
    request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    """The campaigns table alone, which the page's script swaps in."""
    return page(request, "campaigns_list.html", who, campaigns=await _statuses(session, who))


async def _campaign(session: AsyncSession, who: Operator, campaign_id: str) -> Campaign | None:
    try:
        return await service.get_campaign(session, who.workspace_id, campaign_id)
    except NotFound:
        return None


async def _page(
    request: Request,
    who: Operator,
    session: AsyncSession,
    campaign: Campaign,
    **extra: Any,
) -> HTMLResponse:
    offset = offset_of(request)
    contacts, total = await service.list_contacts(session, campaign, None, CONTACTS_SHOWN, offset)
    context: dict[str, Any] = {
        "campaign": campaign,
        "status": await campaign_status(session, campaign, utcnow()),
        "contacts": contacts,
        "contact_total": total,
        "offset": offset,
        "size": CONTACTS_SHOWN,
    }
    return page(request, "campaign.html", who, **(context | extra))


@router.get("/campaigns/{campaign_id}")
async def campaign_page(
    campaign_id: str, request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    campaign = await _campaign(session, who, campaign_id)
    if campaign is None:
        return page(request, "missing.html", who, 404, what=f"campaign {campaign_id}")
    return await _page(request, who, session, campaign)


@router.get("/campaigns/{campaign_id}/progress")
async def progress_feed(
    campaign_id: str, request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    """The progress bar and counts alone, which the page's script swaps in."""
    campaign = await service.get_campaign(session, who.workspace_id, campaign_id)
    status = await campaign_status(session, campaign, utcnow())
    return page(request, "campaign_progress.html", who, status=status)


@router.post("/campaigns/{campaign_id}/{action}")
async def change(
    campaign_id: str,
    action: str,
    request: Request,
    who: Operator = Writer,
    session: AsyncSession = Session,
) -> Response:
    """Pause, resume or cancel, by the same service functions as the API's routes."""
    campaign = await service.get_campaign(session, who.workspace_id, campaign_id)
    if action == "contacts":
        return await _upload(request, who, session, campaign)
    if action not in ACTIONS:
        return page(request, "missing.html", who, 404, what=f"campaign action {action}")
    try:
        await ACTIONS[action](session, campaign)
    except ApiError as exc:
        return page(request, "refused.html", who, exc.status_code, reason=exc.message)
    return RedirectResponse(f"/dashboard/campaigns/{campaign.id}", status_code=303)


async def _upload(
    request: Request, who: Operator, session: AsyncSession, campaign: Campaign
) -> HTMLResponse:
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        return await _page(request, who, session, campaign, upload_error="Choose a CSV file.")
    data = await upload.read(MAX_CSV_BYTES + 1)
    try:
        if len(data) > MAX_CSV_BYTES:
            return await _page(request, who, session, campaign, upload_error="Over 32 MB.")
        added: ContactsAdded = await service.add_contacts(session, campaign, read_csv(data))
    except ApiError as exc:
        return await _page(request, who, session, campaign, upload_error=exc.message)
    return await _page(request, who, session, campaign, added=added)
