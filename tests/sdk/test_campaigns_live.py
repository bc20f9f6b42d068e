"""Every campaign method of both clients against a real ringline server.

Launches are scheduled far in the future, so the server never dials these contacts.
"""

import uuid
from datetime import UTC, datetime

import pytest

from ringline.sdk import (
    BadRequestError,
    Campaign,
    CampaignContactList,
    CampaignLaunch,
    CampaignSettings,
    CampaignStatus,
    ConflictError,
    ContactsAdded,
    NotFoundError,
)
from tests.sdk.support import ADMIN_KEY, Connect, call, collect

SANDBOX_NUMBER = "+918001234567"
LATER = {"start_time": "2099-02-07T09:00:00+05:30", "timezone": "Asia/Kolkata"}


async def _campaign(client, **fields) -> Campaign:
    assistant = await call(
        client.assistants.create, name=f"Campaigner {uuid.uuid4().hex[:6]}", prompt="Hi {{name}}."
    )
    return await call(
        client.campaigns.create,
        "Renewals",
        assistant.id,
        from_number=SANDBOX_NUMBER,
        **fields,
    )


async def test_create_get_list(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)

    made = await _campaign(
        client,
        max_concurrent_calls=3,
        retry={"max_attempts": 2, "gap_seconds": 900, "retry_on": ["no-answer"]},
        calling_window={"start": "10:00", "end": "19:00"},
        timezone="Asia/Kolkata",
    )
    got = await call(client.campaigns.get, made.id)
    listed = await call(client.campaigns.list)

    assert isinstance(made, Campaign) and made.id and made.id.startswith("camp_")
    assert (made.status, made.max_concurrent_calls) == ("draft", 3)
    assert made.retry == {"max_attempts": 2, "gap_seconds": 900, "retry_on": ["no-answer"]}
    assert made.calling_window == {"start": "10:00", "end": "19:00"}
    assert got.id == made.id and got.from_numbers == [SANDBOX_NUMBER]
    assert made.id in {c.id for c in listed.campaigns}
    with pytest.raises(NotFoundError):
        await call(client.campaigns.get, "camp_missing")
    with pytest.raises(BadRequestError):
        await call(client.campaigns.create, "x", made.assistant_id, timezone="Nowhere/City")


async def test_contacts_csv_launch_status_and_controls(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    campaign = await _campaign(client)
    assert campaign.id

    csv = "phone,name,plan\n+919800000101,Asha,gold\nbad,Ravi,silver\n"
    uploaded = await call(client.campaigns.upload_csv, campaign.id, csv)
    added = await call(
        client.campaigns.add_contacts, campaign.id, [{"phone": "+919800000102", "name": "Meera"}]
    )
    launched = await call(
        client.campaigns.launch,
        campaign.id,
        [{"phone": "+919800000103", "name": "Rahul"}, {"phone": "+919800000101", "name": "A"}],
        schedule=LATER,
    )
    status = await call(client.campaigns.status, campaign.id)
    contacts = await call(client.campaigns.contacts, campaign.id, limit=2)
    pending = await call(client.campaigns.contacts, campaign.id, state="pending", offset=2)
    paused = await call(client.campaigns.pause, campaign.id)
    resumed = await call(client.campaigns.resume, campaign.id)
    cancelled = await call(client.campaigns.cancel, campaign.id)

    assert isinstance(uploaded, ContactsAdded) and uploaded.accepted == 1
    assert [(r.row, r.phone) for r in uploaded.rejected] == [(2, "bad")]
    assert added.accepted == 1
    assert isinstance(launched, CampaignLaunch)
    assert (launched.status, launched.accepted, launched.total_contacts) == ("scheduled", 1, 3)
    assert launched.rejected[0].row == 2 and "duplicate" in (launched.rejected[0].reason or "")
    assert isinstance(status, CampaignStatus) and status.counts["pending"] == 3
    assert status.next_window_at is not None
    assert isinstance(contacts, CampaignContactList) and contacts.total == 3
    assert contacts.contacts[0].custom_fields == {"plan": "gold"}
    assert [c.phone for c in pending.contacts] == ["+919800000103"]
    assert [paused.status, resumed.status, cancelled.status] == [
        "paused",
        "scheduled",
        "cancelled",
    ]
    with pytest.raises(ConflictError):
        await call(client.campaigns.pause, campaign.id)


async def test_a_busy_assistant_refuses_a_second_launch(
    connect: Connect, ringline_url: str
) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    first = await _campaign(client)
    assert first.id and first.assistant_id
    second = await call(
        client.campaigns.create, "Second", first.assistant_id, from_number=SANDBOX_NUMBER
    )
    contacts = [{"phone": "+919800000201", "name": "Asha"}]
    await call(client.campaigns.launch, first.id, contacts, schedule=LATER)

    with pytest.raises(ConflictError) as refused:
        await call(client.campaigns.launch, second.id or "", contacts, schedule=LATER)
    await call(client.campaigns.cancel, first.id)
    with pytest.raises(BadRequestError):
        await call(client.campaigns.launch, second.id or "", [{"phone": "nope"}])

    assert first.id in str(refused.value)


async def test_campaign_settings_read_and_change(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    before = await call(client.campaigns.settings)

    changed = await call(
        client.campaigns.update_settings,
        campaigns_per_assistant=2,
        quiet_hours={"start": "22:00", "end": "08:00"},
    )
    off = await call(client.campaigns.update_settings, quiet_hours=None)
    with pytest.raises(BadRequestError):
        await call(client.campaigns.update_settings, campaigns_per_assistant=0)
    restored = await call(
        client.campaigns.update_settings,
        campaigns_per_assistant=before.campaigns_per_assistant,
        quiet_hours=before.quiet_hours,
    )

    assert isinstance(changed, CampaignSettings)
    assert changed.campaigns_per_assistant == 2
    assert changed.quiet_hours == {"start": "22:00", "end": "08:00"}
    assert off.quiet_hours is None and off.campaigns_per_assistant == 2
    assert restored == before


async def test_a_launch_reports_keys_kept_as_custom_fields_and_its_first_call(
    connect: Connect, ringline_url: str
) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    campaign = await _campaign(client)
    assert campaign.id
    contacts = [{"phone": "+91 98000 00301", "name": "Asha", "city": "Pune"}]

    launched = await call(client.campaigns.launch, campaign.id, contacts, schedule=LATER)
    [stored] = await collect(client.campaigns.iter_contacts(campaign.id))

    assert [(w.field, w.contacts) for w in launched.warnings] == [("city", 1)]
    assert launched.first_call_at == datetime(2099, 2, 7, 3, 30, tzinfo=UTC)
    assert (stored.phone, stored.custom_fields) == ("+919800000301", {"city": "Pune"})
