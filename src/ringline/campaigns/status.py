"""A campaign's progress: contacts per state, dispositions and when it should finish."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.campaigns.progress import state_counts
from ringline.campaigns.schemas import COUNTED_STATES, CampaignStatusRead
from ringline.campaigns.windows import CallingWindows, span
from ringline.models import Call, Campaign, CampaignContact, Workspace
from ringline.workspaces.service import get_workspace

FINAL = ("completed", "failed", "no-answer", "busy", "skipped")


def calling_windows(campaign: Campaign, workspace: Workspace) -> CallingWindows:
    return CallingWindows(
        timezone=ZoneInfo(campaign.timezone),
        schedule_start=campaign.schedule_start,
        schedule_end=campaign.schedule_end,
        daily=span(campaign.window_start, campaign.window_end),
        quiet=span(workspace.quiet_hours_start, workspace.quiet_hours_end),
    )


async def _dialing_split(session: AsyncSession, campaign_id: str) -> dict[str, int]:
    """Contacts with a live call: scheduled (not dialed yet), dialing, in-progress."""
    stage = (
        select(Call.status, Call.dial_started_at.is_not(None), func.count())
        .select_from(CampaignContact)
        .join(Call, Call.id == CampaignContact.last_call_id)
        .where(CampaignContact.campaign_id == campaign_id, CampaignContact.state == "dialing")
        .group_by(Call.status, Call.dial_started_at.is_not(None))
    )
    split = {"scheduled": 0, "dialing": 0, "in-progress": 0}
    for status, claimed, count in await session.execute(stage):
        if status == "in-progress":
            split["in-progress"] += count
        elif status == "initiated" and not claimed:
            split["scheduled"] += count
        else:
            split["dialing"] += count
    return split


async def _dispositions(session: AsyncSession, campaign: Campaign) -> dict[str, int]:
    rows = await session.execute(
        select(Call.disposition, func.count())
        .where(
            Call.workspace_id == campaign.workspace_id,
            Call.campaign_id == campaign.id,
            Call.disposition.is_not(None),
        )
        .group_by(Call.disposition)
    )
    return dict(sorted((label or "", count) for label, count in rows))


def _estimate(campaign: Campaign, done: int, now: datetime) -> datetime | None:
    if campaign.finished_at is not None:
        return campaign.finished_at
    if campaign.started_at is None or done == 0 or campaign.status != "running":
        return None
    rate = done / max((now - campaign.started_at).total_seconds(), 1e-3)
    remaining = campaign.contact_count - done
    return now + timedelta(seconds=remaining / rate)


async def campaign_status(
    session: AsyncSession, campaign: Campaign, now: datetime
) -> CampaignStatusRead:
    stored = await state_counts(session, campaign.id)
    counts = dict.fromkeys(COUNTED_STATES, 0)
    counts |= {state: n for state, n in stored.items() if state != "dialing"}
    if stored.get("dialing"):
        counts |= await _dialing_split(session, campaign.id)
    done = sum(counts[state] for state in FINAL)
    total = campaign.contact_count
    workspace = await get_workspace(session, campaign.workspace_id)
    next_window = None
    if campaign.status in ("scheduled", "running"):
        windows = calling_windows(campaign, workspace)
        if not windows.open_at(now):
            next_window = windows.next_open(now)
    return CampaignStatusRead(
        campaign_id=campaign.id,
        name=campaign.name,
        status=campaign.status,
        counts=counts,
        total_contacts=total,
        rejected_contacts=campaign.rejected_count,
        progress=round(done / total, 4) if total else 0.0,
        dispositions=await _dispositions(session, campaign),
        started_at=campaign.started_at,
        finished_at=campaign.finished_at,
        estimated_finish_at=_estimate(campaign, done, now),
        next_window_at=next_window,
    )
