"""What a campaign's calls do to it: each ended call settles its contact (completed, a
retry later, or a final outcome) in the transaction that ends the call, and the campaign
completes when no contact is left to call.

Retry rule: a call that was answered (it reached ``in-progress``) is never followed by
another, whatever its outcome, because the customer was reached. That includes a call
failed as "interrupted" after a server restart. An interrupted call that was never
answered counts as a ``failed`` attempt and is retried if the policy retries failures.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.calls.lifecycle import when_ended
from ringline.db.base import utcnow
from ringline.db.signals import CommitSignal
from ringline.models import Call, Campaign, CampaignContact
from ringline.models.call import CallStatus
from ringline.models.campaign import CampaignStatus
from ringline.models.campaign_contact import OPEN_STATES, ContactState
from ringline.webhooks.service import enqueue_event

# Set when a transaction that gave the scheduler work commits (a launch, a resume, a retry).
CONTACTS_DUE = CommitSignal("campaign-contacts-due")


async def state_counts(session: AsyncSession, campaign_id: str) -> dict[str, int]:
    rows = await session.execute(
        select(CampaignContact.state, func.count())
        .where(CampaignContact.campaign_id == campaign_id)
        .group_by(CampaignContact.state)
    )
    return {state: count for state, count in rows}


def event_payload(campaign: Campaign, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "campaign_id": campaign.id,
        "name": campaign.name,
        "assistant_id": campaign.assistant_id,
        "status": campaign.status,
        "counts": counts,
        "total_contacts": campaign.contact_count,
        "started_at": _iso(campaign.started_at),
        "finished_at": _iso(campaign.finished_at),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


async def emit(session: AsyncSession, campaign: Campaign, event: str) -> None:
    counts = await state_counts(session, campaign.id)
    await enqueue_event(
        session,
        campaign.workspace_id,
        event,
        event_payload(campaign, counts),
        ordering_key=campaign.id,
    )


async def start(session: AsyncSession, campaign: Campaign, now: datetime) -> None:
    campaign.status, campaign.started_at = "running", now
    await session.flush()
    await emit(session, campaign, "campaign.started")


async def skip_waiting(session: AsyncSession, campaign: Campaign, now: datetime) -> None:
    """Contacts not called yet (or waiting for a retry) will not be: ``skipped``."""
    await session.execute(
        update(CampaignContact)
        .where(
            CampaignContact.campaign_id == campaign.id,
            CampaignContact.state.in_(("pending", "retrying")),
        )
        .values(state="skipped", due_at=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )


async def finish(
    session: AsyncSession, campaign: Campaign, status: CampaignStatus, now: datetime
) -> None:
    """End the campaign: contacts still waiting are skipped; ``campaign.completed``."""
    await skip_waiting(session, campaign, now)
    campaign.status, campaign.finished_at = status, now
    await session.flush()
    await emit(session, campaign, "campaign.completed")


async def has_open_contacts(session: AsyncSession, campaign_id: str) -> bool:
    query = select(CampaignContact.id).where(
        CampaignContact.campaign_id == campaign_id, CampaignContact.state.in_(OPEN_STATES)
    )
    return await session.scalar(query.limit(1)) is not None


async def finish_if_done(session: AsyncSession, campaign: Campaign, now: datetime) -> bool:
    if campaign.status != "running" or await has_open_contacts(session, campaign.id):
        return False
    await finish(session, campaign, "completed", now)
    return True


# A contact whose call ended takes the call's final status as its state.
_SETTLED: dict[CallStatus, ContactState] = {
    "completed": "completed",
    "failed": "failed",
    "no-answer": "no-answer",
    "busy": "busy",
}


def _settle(contact: CampaignContact, campaign: Campaign, call: Call, now: datetime) -> None:
    contact.outcome, contact.disposition, contact.updated_at = call.status, call.disposition, now
    unanswered = call.answered_at is None and call.status in campaign.retry_on
    machine = call.voicemail_detected and "voicemail" in campaign.retry_on
    retry = (
        (unanswered and call.status != "completed" or machine)
        and contact.attempts < campaign.max_attempts
        and campaign.status in ("running", "paused")
    )
    if retry:
        contact.state = "retrying"
        contact.due_at = now + timedelta(seconds=campaign.retry_gap_seconds)
    else:
        contact.state = _SETTLED[call.status]
        contact.due_at = None


@when_ended
async def call_ended(session: AsyncSession, call: Call) -> None:
    """In the transaction that moved a campaign's call to a final status."""
    if call.campaign_id is None:
        return
    campaign = await session.get(Campaign, call.campaign_id)
    contact = await session.scalar(
        select(CampaignContact).where(
            CampaignContact.campaign_id == call.campaign_id,
            CampaignContact.phone == call.to_number,
        )
    )
    if campaign is None or contact is None or contact.last_call_id != call.id:
        return
    if contact.state != "dialing":
        return
    now = utcnow()
    _settle(contact, campaign, call, now)
    await session.flush()
    CONTACTS_DUE.after_commit(session)  # a retry is due later, or the call freed room
    await finish_if_done(session, campaign, now)
