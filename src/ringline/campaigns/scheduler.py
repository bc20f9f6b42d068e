"""Turns due contacts into calls, inside the calling windows and within pacing limits.

Each pass, for every scheduled or running campaign, in one transaction: start it when its
schedule opens, skip what is left when it closes, and, while the windows are open, create
calls (``initiated``, carrying the campaign ID) for the contacts due, marking each contact
``dialing`` in that same transaction. The dialer then places the calls. A contact is
therefore never called twice at once: it gets its next call only after its call ended
and settled it (``progress.call_ended``), whatever crashes in between.
"""

import logging
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants.service import get_assistant
from ringline.calls.live import live_calls_per_caller_id, room_for_calls
from ringline.calls.service import place_campaign_call
from ringline.campaigns import progress
from ringline.campaigns.contacts import variables_of
from ringline.campaigns.status import calling_windows
from ringline.config import Settings
from ringline.db import Database
from ringline.db.base import utcnow
from ringline.errors import BadRequest
from ringline.jobs import Pass
from ringline.models import Assistant, Campaign, CampaignContact, PhoneNumber, Workspace
from ringline.numbers.service import numbers_named
from ringline.workspaces.service import get_workspace

logger = logging.getLogger(__name__)

UNLIMITED = 1_000_000


async def tick(db: Database, now: datetime) -> int:
    """One pass over the active campaigns; returns how many calls it created."""
    async with db.session(read_only=True) as session:
        ids = list(
            await session.scalars(
                select(Campaign.id).where(Campaign.status.in_(("scheduled", "running")))
            )
        )
    placed = 0
    for campaign_id in ids:
        async with db.session() as session:
            placed += await advance(session, campaign_id, now)
    return placed


async def advance(session: AsyncSession, campaign_id: str, now: datetime) -> int:
    """Move one campaign forward at ``now``; returns how many calls it created."""
    campaign = await session.scalar(
        select(Campaign).where(Campaign.id == campaign_id).with_for_update()
    )
    if campaign is None or campaign.status not in ("scheduled", "running"):
        return 0
    workspace = await get_workspace(session, campaign.workspace_id)
    windows = calling_windows(campaign, workspace)
    if windows.over_at(now):
        await progress.skip_waiting(session, campaign, now)
        if campaign.status == "scheduled":
            await progress.start(session, campaign, now)
        await progress.finish_if_done(session, campaign, now)
        return 0
    if campaign.status == "scheduled":
        if campaign.schedule_start is not None and now < campaign.schedule_start:
            return 0
        await progress.start(session, campaign, now)
    if not windows.open_at(now):
        return 0
    placed = await _dial_due(session, campaign, workspace, now)
    if placed == 0:
        await progress.finish_if_done(session, campaign, now)
    return placed


async def _room(
    session: AsyncSession, campaign: Campaign, workspace: Workspace, numbers: list[PhoneNumber]
) -> tuple[int, dict[str, int]]:
    """Calls the campaign may add now, and per caller ID."""
    live = await live_calls_per_caller_id(session, workspace.id)
    mine = await session.scalar(
        select(func.count()).where(
            CampaignContact.campaign_id == campaign.id, CampaignContact.state == "dialing"
        )
    )
    workspace_room = await room_for_calls(session, workspace.id, counting_queued=True)
    room = min(campaign.max_concurrent_calls - (mine or 0), workspace_room.get(workspace.id, 0))
    per_number = {
        n.number: (n.concurrent_call_limit or UNLIMITED) - live.get(n.number, 0) for n in numbers
    }
    return room, per_number


def _pick(per_number: dict[str, int]) -> str | None:
    """The caller ID with the most room (the first listed among equals)."""
    best = max(per_number, key=lambda number: per_number[number], default=None)
    if best is None or per_number[best] <= 0:
        return None
    per_number[best] -= 1
    return best


async def _dial_due(
    session: AsyncSession, campaign: Campaign, workspace: Workspace, now: datetime
) -> int:
    numbers = {
        n.number: n for n in await numbers_named(session, workspace.id, campaign.from_numbers)
    }
    ordered = [numbers[n] for n in campaign.from_numbers if n in numbers]
    room, per_number = await _room(session, campaign, workspace, ordered)
    if room <= 0 or not ordered:
        return 0
    due = list(
        await session.scalars(
            select(CampaignContact)
            .where(CampaignContact.campaign_id == campaign.id, CampaignContact.due_at <= now)
            .order_by(CampaignContact.due_at, CampaignContact.id)
            .limit(room)
        )
    )
    assistant = await get_assistant(session, campaign.workspace_id, campaign.assistant_id)
    placed = 0
    for contact in due:
        number = _pick(per_number)
        if number is None:
            break
        if await _call(session, campaign, assistant, numbers[number], contact, now):
            placed += 1
    return placed


async def _call(
    session: AsyncSession,
    campaign: Campaign,
    assistant: Assistant,
    number: PhoneNumber,
    contact: CampaignContact,
    now: datetime,
) -> bool:
    try:
        call = await place_campaign_call(
            session,
            assistant=assistant,
            number=number,
            to_number=contact.phone,
            dynamic_variables=variables_of(
                {
                    "name": contact.name,
                    "email": contact.email,
                    "custom_fields": contact.custom_fields,
                }
            ),
            campaign_id=campaign.id,
        )
    except BadRequest as exc:
        # The assistant changed since the launch and now needs a value this contact lacks.
        contact.state, contact.due_at, contact.outcome = "skipped", None, None
        contact.updated_at = now
        logger.warning("campaign %s skips contact %s: %s", campaign.id, contact.id, exc.message)
        return False
    contact.state, contact.due_at, contact.last_call_id = "dialing", None, call.id
    contact.attempts += 1
    contact.updated_at = now
    await session.flush()
    return True


def scheduler_pass(db: Database, settings: Settings) -> Pass:
    """Run ``tick`` again whenever contacts become due, and every poll otherwise."""

    async def run() -> None:
        await tick(db, utcnow())

    return Pass(
        "campaigns.schedule", run, settings.campaign_poll_seconds, wake_on=(progress.CONTACTS_DUE,)
    )
