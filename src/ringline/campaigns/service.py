"""Campaigns of a workspace: create, launch, pause, resume, cancel, and read their progress.

Every query is filtered by the workspace (a campaign of another workspace is a 404).
Services take the session and never commit.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants.service import get_assistant
from ringline.calls import variables
from ringline.campaigns import contacts, progress
from ringline.campaigns.schemas import (
    CampaignCreate,
    CampaignLaunchBody,
    CampaignSettings,
    CampaignSettingsUpdate,
    ContactsAdded,
    QuietHours,
    Schedule,
)
from ringline.campaigns.status import calling_windows
from ringline.db.base import utcnow
from ringline.db.tenancy import get_owned, list_owned
from ringline.errors import BadRequest, Conflict
from ringline.models import Campaign, CampaignContact
from ringline.models.campaign import ACTIVE_STATUSES
from ringline.numbers.service import caller_ids
from ringline.workspaces.service import get_workspace


async def list_campaigns(session: AsyncSession, workspace_id: str) -> list[Campaign]:
    return await list_owned(session, Campaign, workspace_id)


async def get_campaign(session: AsyncSession, workspace_id: str, campaign_id: str) -> Campaign:
    return await get_owned(session, Campaign, workspace_id, campaign_id, "campaign")


async def create_campaign(
    session: AsyncSession, workspace_id: str, data: CampaignCreate
) -> Campaign:
    assistant = await get_assistant(session, workspace_id, data.assistant_id)
    rows = await caller_ids(session, workspace_id, assistant.id, data.numbers, "from_numbers")
    numbers = [row.number for row in rows]
    window = data.calling_window
    campaign = Campaign(
        workspace_id=workspace_id,
        name=data.name,
        assistant_id=assistant.id,
        from_numbers=numbers,
        max_concurrent_calls=data.max_concurrent_calls,
        max_attempts=data.retry.max_attempts,
        retry_gap_seconds=data.retry.gap_seconds,
        retry_on=list(data.retry.retry_on),
        window_start=window.start if window else None,
        window_end=window.end if window else None,
        timezone=data.timezone,
    )
    session.add(campaign)
    await session.flush()
    return campaign


async def _required_variables(session: AsyncSession, campaign: Campaign) -> set[str]:
    assistant = await get_assistant(session, campaign.workspace_id, campaign.assistant_id)
    needed = variables.placeholders(assistant.prompt, assistant.first_message)
    return needed - set(assistant.variable_defaults)


async def add_contacts(
    session: AsyncSession, campaign: Campaign, raws: Sequence[Any]
) -> ContactsAdded:
    """Check and store contacts; bad rows are reported and left out."""
    if campaign.status in ("completed", "cancelled"):
        raise Conflict(
            f"campaign {campaign.id} is {campaign.status}: it takes no more contacts",
            {"campaign_id": campaign.id, "status": campaign.status},
        )
    taken = await contacts.taken_numbers(session, campaign.id) if campaign.contact_count else set()
    checker = contacts.Checker(await _required_variables(session, campaign), taken)
    checked = await contacts.check_and_store(session, campaign.id, raws, checker, utcnow())
    campaign.contact_count += len(checked.rows)
    campaign.rejected_count += len(checked.rejected)
    await session.flush()
    if checked.rows and campaign.status in ("running",):
        progress.CONTACTS_DUE.after_commit(session)
    return ContactsAdded(
        campaign_id=campaign.id,
        accepted=len(checked.rows),
        rejected=checked.rejected,
        warnings=checked.warnings(),
    )


async def _busy_assistant(session: AsyncSession, campaign: Campaign) -> None:
    """409 when the assistant already runs as many campaigns as the workspace allows."""
    workspace = await get_workspace(session, campaign.workspace_id)
    allowed = workspace.campaigns_per_assistant
    running = list(
        await session.scalars(
            select(Campaign.id)
            .where(
                Campaign.workspace_id == campaign.workspace_id,
                Campaign.assistant_id == campaign.assistant_id,
                Campaign.status.in_(ACTIVE_STATUSES),
                Campaign.id != campaign.id,
            )
            .order_by(Campaign.launched_at)
        )
    )
    if len(running) >= allowed:
        raise Conflict(
            f"assistant {campaign.assistant_id} is busy with campaign {running[0]}: "
            f"the workspace allows {allowed} running campaign(s) per assistant",
            {"assistant_id": campaign.assistant_id, "campaign_id": running[0], "limit": allowed},
        )


def _schedule(campaign: Campaign, schedule: Schedule | None) -> None:
    if schedule is None:
        return
    if schedule.timezone:
        campaign.timezone = schedule.timezone
    campaign.schedule_start = schedule.start_time.astimezone(UTC) if schedule.start_time else None
    campaign.schedule_end = schedule.end_time.astimezone(UTC) if schedule.end_time else None


async def launch(
    session: AsyncSession, workspace_id: str, body: CampaignLaunchBody, key: str | None
) -> dict[str, Any]:
    """Add the body's contacts and start the campaign; a repeated Idempotency-Key gets the
    first launch's answer. Returns the answer's fields."""
    campaign = await get_campaign(session, workspace_id, body.campaign_id)
    if key and campaign.launch_key == key and campaign.launch_result is not None:
        return dict(campaign.launch_result)
    if campaign.status != "draft":
        raise Conflict(
            f"campaign {campaign.id} was already launched (status {campaign.status})",
            {"campaign_id": campaign.id, "status": campaign.status},
        )
    now = utcnow()
    if body.schedule and body.schedule.end_time and body.schedule.end_time <= now:
        raise BadRequest(
            "schedule.end_time has passed: nothing could be dialed",
            {"field": "schedule.end_time"},
        )
    await _busy_assistant(session, campaign)
    added = await add_contacts(session, campaign, body.contacts)
    if campaign.contact_count == 0:
        raise BadRequest(
            "no valid contacts to call: every row was rejected",
            {"field": "contacts", "rejected": added.model_dump(mode="json")["rejected"]},
        )
    _schedule(campaign, body.schedule)
    campaign.launched_at, campaign.launch_key = now, key
    if campaign.schedule_start is not None and campaign.schedule_start > now:
        campaign.status = "scheduled"
    else:
        await progress.start(session, campaign, now)
    result = added.model_dump(mode="json") | {
        "status": campaign.status,
        "total_contacts": campaign.contact_count,
        "first_call_at": _iso(await _first_call_at(session, campaign, now)),
    }
    campaign.launch_result = result
    await session.flush()
    progress.CONTACTS_DUE.after_commit(session)
    return result


async def _first_call_at(
    session: AsyncSession, campaign: Campaign, now: datetime
) -> datetime | None:
    """When the launched campaign may place its first call: its windows' next opening."""
    workspace = await get_workspace(session, campaign.workspace_id)
    return calling_windows(campaign, workspace).next_open(now)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def pause(session: AsyncSession, campaign: Campaign) -> Campaign:
    _require(campaign, ("running", "scheduled"), "pause")
    campaign.status = "paused"
    await session.flush()
    return campaign


async def resume(session: AsyncSession, campaign: Campaign) -> Campaign:
    _require(campaign, ("paused",), "resume")
    now = utcnow()
    if campaign.started_at is None:
        started = campaign.schedule_start is None or campaign.schedule_start <= now
        if started:
            await progress.start(session, campaign, now)
        else:
            campaign.status = "scheduled"
    else:
        campaign.status = "running"
    await session.flush()
    progress.CONTACTS_DUE.after_commit(session)
    return campaign


async def cancel(session: AsyncSession, campaign: Campaign) -> Campaign:
    """Stop dialing: waiting contacts are skipped; calls already placed finish."""
    _require(campaign, ("draft", "scheduled", "running", "paused"), "cancel")
    await progress.finish(session, campaign, "cancelled", utcnow())
    return campaign


def _require(campaign: Campaign, allowed: tuple[str, ...], action: str) -> None:
    if campaign.status not in allowed:
        raise Conflict(
            f"campaign {campaign.id} is {campaign.status}: cannot {action} it",
            {"campaign_id": campaign.id, "status": campaign.status},
        )


async def list_contacts(
    session: AsyncSession, campaign: Campaign, state: str | None, limit: int, offset: int
) -> tuple[list[CampaignContact], int]:
    where = [CampaignContact.campaign_id == campaign.id]
    if state is not None:
        where.append(CampaignContact.state == state)
    query = select(CampaignContact).where(*where).order_by(CampaignContact.row, CampaignContact.id)
    rows = list(await session.scalars(query.limit(limit).offset(offset)))
    total = await session.scalar(select(func.count()).select_from(CampaignContact).where(*where))
    return rows, total or 0


async def campaign_settings(session: AsyncSession, workspace_id: str) -> CampaignSettings:
    workspace = await get_workspace(session, workspace_id)
    quiet = None
    if workspace.quiet_hours_start and workspace.quiet_hours_end:
        quiet = QuietHours(start=workspace.quiet_hours_start, end=workspace.quiet_hours_end)
    return CampaignSettings(
        campaigns_per_assistant=workspace.campaigns_per_assistant, quiet_hours=quiet
    )


async def update_campaign_settings(
    session: AsyncSession, workspace_id: str, data: CampaignSettingsUpdate
) -> CampaignSettings:
    workspace = await get_workspace(session, workspace_id)
    sent = data.model_fields_set
    if "campaigns_per_assistant" in sent:
        if data.campaigns_per_assistant is None:
            raise BadRequest(
                "campaigns_per_assistant cannot be null", {"field": "campaigns_per_assistant"}
            )
        workspace.campaigns_per_assistant = data.campaigns_per_assistant
    if "quiet_hours" in sent:
        quiet = data.quiet_hours
        workspace.quiet_hours_start = quiet.start if quiet else None
        workspace.quiet_hours_end = quiet.end if quiet else None
    await session.flush()
    return await campaign_settings(session, workspace_id)
