"""/v1/campaigns: the reference's list, launch and status, and the additive routes."""

from fastapi import APIRouter, File, Header, Query, Response, UploadFile
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.convertors import StringConvertor, register_url_convertor

from ringline.auth.dependencies import Admin, Reader, Session, Writer
from ringline.auth.service import Principal
from ringline.campaigns import contacts, service
from ringline.campaigns.schemas import (
    CampaignCreate,
    CampaignLaunch,
    CampaignLaunchBody,
    CampaignList,
    CampaignRead,
    CampaignSettings,
    CampaignSettingsUpdate,
    CampaignStatusRead,
    ContactList,
    ContactRead,
    ContactsAdded,
    ContactsUpload,
    DailyWindow,
    RetryPolicy,
    Schedule,
)
from ringline.campaigns.status import campaign_status
from ringline.db.base import utcnow
from ringline.errors import CONFLICT_RESPONSE, BadRequest
from ringline.models import Campaign, CampaignContact
from ringline.models.campaign_contact import ContactState


class CampaignIdConvertor(StringConvertor):
    """A campaign ID segment, never the word ``launch``: ``GET /campaigns/launch`` is then
    no campaign's page, and a 405 there lists only POST in its ``Allow`` header."""

    regex = "(?!launch$)[^/]+"


register_url_convertor("campaign_id", CampaignIdConvertor())
router = APIRouter(prefix="/campaigns", tags=["campaigns"])
settings_router = APIRouter(prefix="/workspace/campaign-settings", tags=["campaigns"])
MAX_CSV_BYTES = 32 * 1024 * 1024


def campaign_read(campaign: Campaign) -> CampaignRead:
    window = None
    if campaign.window_start and campaign.window_end:
        window = DailyWindow(start=campaign.window_start, end=campaign.window_end)
    schedule = None
    if campaign.launched_at is not None:
        schedule = Schedule(
            start_time=campaign.schedule_start,
            end_time=campaign.schedule_end,
            timezone=campaign.timezone,
        )
    return CampaignRead(
        id=campaign.id,
        name=campaign.name,
        assistant_id=campaign.assistant_id,
        status=campaign.status,
        from_numbers=campaign.from_numbers,
        max_concurrent_calls=campaign.max_concurrent_calls,
        retry=RetryPolicy(
            max_attempts=campaign.max_attempts,
            gap_seconds=campaign.retry_gap_seconds,
            retry_on=campaign.retry_on,
        ),
        calling_window=window,
        timezone=campaign.timezone,
        schedule=schedule,
        total_contacts=campaign.contact_count,
        rejected_contacts=campaign.rejected_count,
        created_at=campaign.created_at,
        launched_at=campaign.launched_at,
        started_at=campaign.started_at,
        finished_at=campaign.finished_at,
    )


def contact_read(contact: CampaignContact) -> ContactRead:
    return ContactRead(
        id=contact.id,
        row=contact.row,
        phone=contact.phone,
        name=contact.name,
        email=contact.email,
        custom_fields=contact.custom_fields,
        state=contact.state,
        attempts=contact.attempts,
        outcome=contact.outcome,
        disposition=contact.disposition,
        last_call_id=contact.last_call_id,
        next_attempt_at=contact.due_at,
    )


@router.get("", response_model=CampaignList)
async def list_campaigns(
    principal: Principal = Reader, session: AsyncSession = Session
) -> CampaignList:
    """The workspace's campaigns, oldest first."""
    rows = await service.list_campaigns(session, principal.workspace_id)
    return CampaignList(campaigns=[campaign_read(c) for c in rows])


@router.post("", response_model=CampaignRead, status_code=201)
async def create_campaign(
    body: CampaignCreate, principal: Principal = Writer, session: AsyncSession = Session
) -> CampaignRead:
    """Create a campaign (a draft): its assistant, caller IDs, pacing, retries and window."""
    return campaign_read(await service.create_campaign(session, principal.workspace_id, body))


@router.post(
    "/launch",
    response_model=CampaignLaunch,
    responses={
        **CONFLICT_RESPONSE,
        201: {"model": CampaignLaunch, "description": "Launched; rejected rows are listed"},
    },
    status_code=201,
)
async def launch_campaign(
    body: CampaignLaunchBody,
    response: Response,
    principal: Principal = Writer,
    session: AsyncSession = Session,
    idempotency_key: str | None = Header(
        None, max_length=255, description="Retries with the same key return the first launch"
    ),
) -> CampaignLaunch:
    """Add contacts and start dialing within the schedule; bad contacts are reported and
    skipped. 409 when the assistant already runs its allowed number of campaigns."""
    result = await service.launch(session, principal.workspace_id, body, idempotency_key)
    return CampaignLaunch.model_validate(result)


@router.get("/{campaign_id:campaign_id}", response_model=CampaignRead)
async def get_campaign(
    campaign_id: str, principal: Principal = Reader, session: AsyncSession = Session
) -> CampaignRead:
    """One campaign's settings and schedule."""
    return campaign_read(await service.get_campaign(session, principal.workspace_id, campaign_id))


@router.get("/{campaign_id:campaign_id}/status", response_model=CampaignStatusRead)
async def get_campaign_status(
    campaign_id: str, principal: Principal = Reader, session: AsyncSession = Session
) -> CampaignStatusRead:
    """Contacts per state, progress, dispositions and an estimate of the finish."""
    campaign = await service.get_campaign(session, principal.workspace_id, campaign_id)
    return await campaign_status(session, campaign, utcnow())


async def _change(
    session: AsyncSession, principal: Principal, campaign_id: str, action: str
) -> CampaignRead:
    campaign = await service.get_campaign(session, principal.workspace_id, campaign_id)
    changed = await getattr(service, action)(session, campaign)
    return campaign_read(changed)


@router.post(
    "/{campaign_id:campaign_id}/pause", response_model=CampaignRead, responses=CONFLICT_RESPONSE
)
async def pause_campaign(
    campaign_id: str, principal: Principal = Writer, session: AsyncSession = Session
) -> CampaignRead:
    """Stop placing new calls; calls under way finish."""
    return await _change(session, principal, campaign_id, "pause")


@router.post(
    "/{campaign_id:campaign_id}/resume", response_model=CampaignRead, responses=CONFLICT_RESPONSE
)
async def resume_campaign(
    campaign_id: str, principal: Principal = Writer, session: AsyncSession = Session
) -> CampaignRead:
    """Place calls again after a pause."""
    return await _change(session, principal, campaign_id, "resume")


@router.post(
    "/{campaign_id:campaign_id}/cancel", response_model=CampaignRead, responses=CONFLICT_RESPONSE
)
async def cancel_campaign(
    campaign_id: str, principal: Principal = Writer, session: AsyncSession = Session
) -> CampaignRead:
    """End the campaign: contacts not called yet are skipped; calls under way finish."""
    return await _change(session, principal, campaign_id, "cancel")


@router.get("/{campaign_id:campaign_id}/contacts", response_model=ContactList)
async def list_campaign_contacts(
    campaign_id: str,
    principal: Principal = Reader,
    session: AsyncSession = Session,
    state: ContactState | None = Query(None),
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=2**31),
) -> ContactList:
    """The campaign's contacts in upload order, with attempts and outcome."""
    campaign = await service.get_campaign(session, principal.workspace_id, campaign_id)
    rows, total = await service.list_contacts(session, campaign, state, limit, offset)
    return ContactList(
        contacts=[contact_read(c) for c in rows], total=total, limit=limit, offset=offset
    )


@router.post(
    "/{campaign_id:campaign_id}/contacts",
    response_model=ContactsAdded,
    status_code=201,
    responses=CONFLICT_RESPONSE,
)
async def add_campaign_contacts(
    campaign_id: str,
    body: ContactsUpload,
    principal: Principal = Writer,
    session: AsyncSession = Session,
) -> ContactsAdded:
    """Add contacts from JSON; bad rows are reported and skipped."""
    campaign = await service.get_campaign(session, principal.workspace_id, campaign_id)
    return await service.add_contacts(session, campaign, body.contacts)


@router.post(
    "/{campaign_id:campaign_id}/contacts/csv",
    response_model=ContactsAdded,
    status_code=201,
    responses=CONFLICT_RESPONSE,
)
async def upload_campaign_contacts(
    campaign_id: str,
    file: UploadFile = File(description="CSV with a header row: phone, name, email, others"),
    principal: Principal = Writer,
    session: AsyncSession = Session,
) -> ContactsAdded:
    """Add contacts from a CSV file (multipart); columns other than phone, name and email
    become custom fields. Bad rows are reported and skipped."""
    campaign = await service.get_campaign(session, principal.workspace_id, campaign_id)
    data = await file.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise BadRequest("the CSV file is larger than 32 MiB", {"field": "file"})
    return await service.add_contacts(session, campaign, contacts.read_csv(data))


@settings_router.get("", response_model=CampaignSettings)
async def get_campaign_settings(
    principal: Principal = Reader, session: AsyncSession = Session
) -> CampaignSettings:
    """The workspace's campaign rules: campaigns per assistant and quiet hours."""
    return await service.campaign_settings(session, principal.workspace_id)


@settings_router.patch("", response_model=CampaignSettings)
async def update_campaign_settings(
    body: CampaignSettingsUpdate, principal: Principal = Admin, session: AsyncSession = Session
) -> CampaignSettings:
    """Change the workspace's campaign rules (admin keys only)."""
    return await service.update_campaign_settings(session, principal.workspace_id, body)
