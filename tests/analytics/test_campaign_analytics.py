"""The history and the analytics by campaign."""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ringline.models import Campaign
from tests.analytics.conftest import CallAdder, Tenant, TenantMaker

FEB_1 = datetime(2026, 2, 1, tzinfo=UTC)


async def campaign_of(session: AsyncSession, tenant: Tenant, name: str) -> str:
    campaign = Campaign(
        workspace_id=tenant.caller.workspace_id, name=name, assistant_id=tenant.assistants[0]
    )
    session.add(campaign)
    await session.flush()
    return campaign.id


async def test_history_and_analytics_by_campaign(
    client, session, acme: Tenant, make_tenant: TenantMaker, add_calls: CallAdder
):
    renewals = await campaign_of(session, acme, "Renewals")
    reminders = await campaign_of(session, acme, "Reminders")
    await add_calls(acme, FEB_1, FEB_1, campaign_id=renewals, disposition="interested")
    await add_calls(acme, FEB_1, campaign_id=reminders, status="busy")
    await add_calls(acme, FEB_1)
    globex = await make_tenant("globex")
    await add_calls(globex, FEB_1, campaign_id=await campaign_of(session, globex, "Theirs"))

    history = await client.get(
        "/v1/calls/history", params={"campaign_id": renewals}, headers=acme.headers
    )
    counts = await client.get(
        "/v1/analytics", params={"campaign_id": renewals}, headers=acme.headers
    )
    grouped = await client.get(
        "/v1/analytics", params={"group_by": "campaign"}, headers=acme.headers
    )
    theirs = await client.get(
        "/v1/analytics", params={"campaign_id": renewals}, headers=globex.headers
    )

    assert [c["campaign_id"] for c in history.json()["calls"]] == [renewals, renewals]
    assert history.json()["total"] == 2
    assert (counts.json()["total_calls"], counts.json()["dispositions"]) == (2, {"interested": 2})
    groups = {g["key"]: g["total_calls"] for g in grouped.json()["groups"]}
    assert groups == {renewals: 2, reminders: 1, "none": 1}
    assert theirs.json()["total_calls"] == 0


async def test_a_filter_given_twice_is_a_400(client, acme: Tenant):
    for path in ("/v1/calls/history", "/v1/analytics"):
        response = await client.get(
            path,
            params=[("campaign_id", "camp_a"), ("campaign_id", "camp_b")],
            headers=acme.headers,
        )
        assert response.status_code == 400
        assert response.json()["error"]["details"] == [
            {"field": "campaign_id", "problem": "given more than once"}
        ]
