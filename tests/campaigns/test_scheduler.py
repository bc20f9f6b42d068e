"""The scheduler and the settling of contacts, on both databases, with explicit instants.

Calls are ended through the same functions carriers report through (``calls.events``);
nothing dials, so each test decides every outcome.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from ringline.calls import events
from ringline.campaigns import scheduler, service
from ringline.campaigns.schemas import CampaignCreate, CampaignLaunchBody
from ringline.campaigns.status import campaign_status
from ringline.config import Settings
from ringline.models import (
    Call,
    Campaign,
    CampaignContact,
    PhoneNumber,
    WebhookEndpoint,
    WebhookMessage,
)
from ringline.runtime.leases import ProcessLease
from tests.campaigns.conftest import SANDBOX, numbers
from tests.fixtures.rows import workspace_with_assistant
from tests.fixtures.scratch import scratch_database

IST = ZoneInfo("Asia/Kolkata")
NOON = datetime(2030, 3, 1, 12, 0, tzinfo=IST)  # inside the default quiet-hours rule
POOL = ["+918001234567", "+918001234568"]


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request, tmp_path):
    async for db in scratch_database(request.param, tmp_path):
        yield db


async def launched(db, contacts=3, *, workspace=None, numbers_limit=None, schedule=None, **fields):
    """A workspace with a webhook for campaign events and a launched campaign."""
    async with db.session() as session:
        ws, assistant = await workspace_with_assistant(session, "acme")
        for name, value in (workspace or {}).items():
            setattr(ws, name, value)
        assistant.prompt = "You call {{name}} about {{policy}}."
        for number in POOL:
            session.add(
                PhoneNumber(
                    workspace_id=ws.id,
                    number=number,
                    carrier="sandbox",
                    concurrent_call_limit=numbers_limit,
                )
            )
        session.add(
            WebhookEndpoint(
                workspace_id=ws.id,
                url="https://crm.example.com/hook",
                events=["campaign.started", "campaign.completed"],
                secret="whsec_x",
            )
        )
        await session.flush()
        caller_id = {} if "from_numbers" in fields else {"from_number": SANDBOX}
        create = CampaignCreate.model_validate(
            {"name": "c", "assistant_id": assistant.id} | caller_id | fields
        )
        campaign = await service.create_campaign(session, ws.id, create)
        rows = [
            {"phone": p, "name": f"n{i}", "custom_fields": {"policy": f"P{i}"}}
            for i, p in enumerate(numbers(contacts))
        ]
        body = {"campaign_id": campaign.id, "contacts": rows, "schedule": schedule}
        await service.launch(session, ws.id, CampaignLaunchBody.model_validate(body), None)
        return campaign.id


async def calls_of(db, campaign_id):
    async with db.session() as session:
        query = select(Call).where(Call.campaign_id == campaign_id).order_by(Call.created_at)
        return list(await session.scalars(query))


async def contacts_of(db, campaign_id):
    async with db.session() as session:
        query = select(CampaignContact).where(CampaignContact.campaign_id == campaign_id)
        return {c.phone: c for c in await session.scalars(query.order_by(CampaignContact.row))}


async def campaign_of(db, campaign_id):
    async with db.session() as session:
        return await session.get(Campaign, campaign_id)


async def events_of(db):
    async with db.session() as session:
        query = select(WebhookMessage).where(WebhookMessage.event.like("campaign.%"))
        return [
            (m.event, m.payload) for m in await session.scalars(query.order_by(WebhookMessage.seq))
        ]


async def test_calls_carry_the_campaign_and_the_contacts_variables(database):
    campaign_id = await launched(database, contacts=2)

    assert await scheduler.tick(database, NOON) == 2

    calls = await calls_of(database, campaign_id)
    assert {c.to_number for c in calls} == set(numbers(2))
    first = next(c for c in calls if c.to_number == numbers(1)[0])
    assert first.dynamic_variables == {"name": "n0", "policy": "P0"}
    assert first.prompt == "You call n0 about P0."
    assert first.status == "initiated"
    contacts = await contacts_of(database, campaign_id)
    assert {(c.state, c.attempts) for c in contacts.values()} == {("dialing", 1)}
    assert await scheduler.tick(database, NOON) == 0  # never a second call at once


async def test_no_calls_in_quiet_hours_or_outside_the_daily_window(database):
    campaign_id = await launched(
        database, contacts=2, calling_window={"start": "10:00", "end": "11:00"}
    )
    night = datetime(2030, 3, 1, 22, 0, tzinfo=IST)
    early = datetime(2030, 3, 1, 9, 30, tzinfo=IST)

    assert await scheduler.tick(database, night) == 0
    assert await scheduler.tick(database, early) == 0
    assert await scheduler.tick(database, NOON) == 0
    assert await scheduler.tick(database, datetime(2030, 3, 1, 10, 0, tzinfo=IST)) == 2
    assert len(await calls_of(database, campaign_id)) == 2


async def test_quiet_hours_are_configurable_per_workspace(database):
    await launched(
        database, contacts=1, workspace={"quiet_hours_start": None, "quiet_hours_end": None}
    )
    assert await scheduler.tick(database, datetime(2030, 3, 1, 23, 0, tzinfo=IST)) == 1


async def test_the_schedule_starts_and_ends_the_campaign(database):
    schedule = {
        "start_time": "2030-03-01T10:00:00+05:30",
        "end_time": "2030-03-01T18:00:00+05:30",
        "timezone": "Asia/Kolkata",
    }
    campaign_id = await launched(database, contacts=3, schedule=schedule, max_concurrent_calls=1)
    assert (await campaign_of(database, campaign_id)).status == "scheduled"

    assert await scheduler.tick(database, datetime(2030, 3, 1, 9, 59, tzinfo=IST)) == 0
    assert (await campaign_of(database, campaign_id)).status == "scheduled"
    assert await scheduler.tick(database, NOON) == 1
    assert (await campaign_of(database, campaign_id)).status == "running"
    [call] = await calls_of(database, campaign_id)

    assert await scheduler.tick(database, datetime(2030, 3, 1, 18, 0, tzinfo=IST)) == 0
    contacts = await contacts_of(database, campaign_id)
    assert sorted(c.state for c in contacts.values()) == ["dialing", "skipped", "skipped"]
    assert (await campaign_of(database, campaign_id)).status == "running"  # its call goes on

    await events.answered(database, call.id)
    await events.finished(
        database,
        call.id,
        ended_at=call.created_at + timedelta(seconds=30),
        ended_by="customer",
        disposition="interested",
        summary="ok",
    )
    campaign = await campaign_of(database, campaign_id)
    assert (campaign.status, campaign.finished_at is not None) == ("completed", True)
    sent = await events_of(database)
    assert [event for event, _ in sent] == ["campaign.started", "campaign.completed"]
    payload = sent[1][1]
    assert payload["campaign_id"] == campaign_id and payload["status"] == "completed"
    assert payload["counts"] == {"completed": 1, "skipped": 2}


async def test_pacing_stays_within_the_campaign_and_workspace_limits(database):
    campaign_id = await launched(
        database, contacts=10, max_concurrent_calls=4, workspace={"concurrent_call_limit": 6}
    )
    assert await scheduler.tick(database, NOON) == 4
    assert await scheduler.tick(database, NOON) == 0

    # Raised to 20, the campaign is held by the workspace's plan: 6 live calls.
    async with database.session() as session:
        campaign = await session.get(Campaign, campaign_id)
        campaign.max_concurrent_calls = 20
    assert await scheduler.tick(database, NOON) == 2
    assert await scheduler.tick(database, NOON) == 0

    first = (await calls_of(database, campaign_id))[0]
    await events.unanswered(database, first.id, "no-answer")
    assert await scheduler.tick(database, NOON) == 1


async def test_each_caller_id_carries_at_most_its_limit(database):
    campaign_id = await launched(
        database, contacts=5, numbers_limit=1, from_numbers=POOL, max_concurrent_calls=5
    )

    assert await scheduler.tick(database, NOON) == 2

    calls = await calls_of(database, campaign_id)
    assert sorted(c.from_number for c in calls) == POOL
    await events.unanswered(database, calls[0].id, "busy")
    assert await scheduler.tick(database, NOON) == 1
    assert (await calls_of(database, campaign_id))[-1].from_number == calls[0].from_number


async def test_unanswered_contacts_are_retried_after_the_gap_up_to_the_limit(database):
    # The retry falls due on the wall clock (the call ends now): no quiet hours, so that
    # it is due whatever the hour the test runs at.
    campaign_id = await launched(
        database,
        contacts=1,
        workspace={"quiet_hours_start": None, "quiet_hours_end": None},
        retry={"max_attempts": 2, "gap_seconds": 600, "retry_on": ["no-answer"]},
    )
    [phone] = numbers(1)

    await scheduler.tick(database, NOON)
    [first] = await calls_of(database, campaign_id)
    await events.unanswered(database, first.id, "no-answer")
    contact = (await contacts_of(database, campaign_id))[phone]
    assert (contact.state, contact.attempts, contact.outcome) == ("retrying", 1, "no-answer")
    [first] = await calls_of(database, campaign_id)
    assert abs((contact.due_at - first.ended_at).total_seconds() - 600) < 1
    # The gap runs from the real hang-up; replay it as if the call ended at NOON, so the
    # retry falls inside the calling hours whatever the time of day the test runs.
    due = NOON + timedelta(seconds=600)
    async with database.session() as session:
        (await session.get(CampaignContact, contact.id)).due_at = due

    assert await scheduler.tick(database, due - timedelta(seconds=1)) == 0
    assert await scheduler.tick(database, due) == 1
    second = (await calls_of(database, campaign_id))[-1]
    await events.unanswered(database, second.id, "no-answer")

    contact = (await contacts_of(database, campaign_id))[phone]
    assert (contact.state, contact.attempts, contact.due_at) == ("no-answer", 2, None)
    assert (await campaign_of(database, campaign_id)).status == "completed"


async def test_outcomes_not_in_the_policy_and_answered_calls_are_not_retried(database):
    campaign_id = await launched(
        database, contacts=3, retry={"max_attempts": 3, "gap_seconds": 1, "retry_on": ["busy"]}
    )
    await scheduler.tick(database, NOON)
    calls = {c.to_number: c for c in await calls_of(database, campaign_id)}
    busy, no_answer, dropped = numbers(3)

    await events.unanswered(database, calls[busy].id, "busy")
    await events.unanswered(database, calls[no_answer].id, "no-answer")
    await events.answered(database, calls[dropped].id)
    await events.failed(database, calls[dropped].id, "the line dropped")

    states = {p: c.state for p, c in (await contacts_of(database, campaign_id)).items()}
    assert states == {busy: "retrying", no_answer: "no-answer", dropped: "failed"}


@pytest.mark.parametrize(("retry_on", "state"), [(["voicemail"], "retrying"), ([], "completed")])
async def test_a_call_an_answering_machine_took_is_retried_only_if_asked(database, retry_on, state):
    campaign_id = await launched(
        database, contacts=1, retry={"max_attempts": 2, "gap_seconds": 60, "retry_on": retry_on}
    )
    await scheduler.tick(database, NOON)
    [call] = await calls_of(database, campaign_id)
    await events.answered(database, call.id)
    await events.finished(
        database,
        call.id,
        ended_at=call.created_at + timedelta(seconds=9),
        ended_by="voicemail",
        disposition="voicemail",
        summary="An answering machine took the call.",
    )

    contact = (await contacts_of(database, campaign_id))[numbers(1)[0]]
    assert (contact.state, contact.disposition) == (state, "voicemail")


async def test_a_completed_contact_is_never_called_again(database):
    campaign_id = await launched(database, contacts=1)
    await scheduler.tick(database, NOON)
    [call] = await calls_of(database, campaign_id)
    await events.answered(database, call.id)
    await events.finished(
        database,
        call.id,
        ended_at=call.created_at + timedelta(seconds=5),
        ended_by="agent",
        disposition="interested",
        summary="s",
    )
    # A late, repeated report changes nothing.
    await events.unanswered(database, call.id, "no-answer")

    for hours in (0, 1, 24):
        assert await scheduler.tick(database, NOON + timedelta(hours=hours)) == 0
    assert len(await calls_of(database, campaign_id)) == 1
    contact = (await contacts_of(database, campaign_id))[numbers(1)[0]]
    assert (contact.state, contact.disposition) == ("completed", "interested")


async def test_paused_campaigns_place_no_calls_until_resumed(database):
    campaign_id = await launched(database, contacts=2)
    async with database.session() as session:
        await service.pause(session, await session.get(Campaign, campaign_id))
    assert await scheduler.tick(database, NOON) == 0
    async with database.session() as session:
        await service.resume(session, await session.get(Campaign, campaign_id))
    assert await scheduler.tick(database, NOON) == 2


async def test_a_restart_retries_interrupted_unanswered_calls_but_not_answered_ones(
    database, tmp_path
):
    campaign_id = await launched(
        database, contacts=2, retry={"max_attempts": 3, "gap_seconds": 60, "retry_on": ["failed"]}
    )
    await scheduler.tick(database, NOON)
    ringing, answered = await calls_of(database, campaign_id)
    async with database.session() as session:
        for call in (ringing, answered):
            (await session.get(Call, call.id)).dial_started_at = NOON
    await events.ringing(database, ringing.id)
    await events.answered(database, answered.id)

    # What a server starting after a crash does first (the calls' owner is gone).
    await ProcessLease(database, Settings(data_dir=tmp_path)).reap()

    contacts = await contacts_of(database, campaign_id)
    assert contacts[ringing.to_number].state == "retrying"
    assert (contacts[answered.to_number].state, contacts[answered.to_number].outcome) == (
        "failed",
        "failed",
    )


async def test_status_splits_contacts_with_a_live_call_by_how_far_it_got(database):
    campaign_id = await launched(database, contacts=5, max_concurrent_calls=3)
    await scheduler.tick(database, NOON)
    waiting, ringing, talking = await calls_of(database, campaign_id)
    async with database.session() as session:
        for call in (ringing, talking):
            (await session.get(Call, call.id)).dial_started_at = NOON
    await events.ringing(database, ringing.id)
    await events.answered(database, talking.id)

    async with database.session(read_only=True) as session:
        campaign = await session.get(Campaign, campaign_id)
        status = await campaign_status(session, campaign, NOON)

    assert {k: v for k, v in status.counts.items() if v} == {
        "pending": 2,
        "scheduled": 1,
        "dialing": 1,
        "in-progress": 1,
    }
    assert status.progress == 0.0 and status.estimated_finish_at is None
