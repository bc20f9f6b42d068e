from datetime import timedelta

from ringline.auth.scopes import Scope
from ringline.db.base import utcnow
from tests.conftest import KeyMaker
from tests.fixtures.rows import assistant_in, call_row


async def test_workspace_shows_id_name_plan_and_usage(client, make_key: KeyMaker):
    caller = await make_key("acme", scope=Scope.read)

    response = await client.get("/v1/workspace", headers=caller.headers)

    assert response.status_code == 200
    workspace = response.json()
    assert workspace["id"] == caller.workspace_id and workspace["id"].startswith("ws_")
    assert workspace["name"] == "acme"
    assert workspace["plan"] == "standard"
    assert workspace["usage"] == {
        "calls_this_month": 0,
        "minutes_this_month": 0.0,
        "concurrent_calls": 0,
        "limits": {"concurrent_calls": 10, "monthly_minutes": None},
    }


async def test_each_key_sees_its_own_workspace(client, make_key: KeyMaker):
    acme, globex = await make_key("acme"), await make_key("globex")

    seen = [
        (await client.get("/v1/workspace", headers=caller.headers)).json()["name"]
        for caller in (acme, globex)
    ]

    assert seen == ["acme", "globex"]


async def test_usage_counts_this_months_calls_minutes_and_live_calls(
    client, make_key: KeyMaker, session
):
    caller = await make_key("acme")
    other = await make_key("globex")
    assistant = await assistant_in(session, caller.workspace_id)
    now = utcnow()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)

    def call(**fields):
        return call_row(caller.workspace_id, assistant.id, **fields)

    session.add_all(
        [
            call(status="completed", duration_seconds=90, created_at=now),
            call(status="completed", duration_seconds=30, created_at=now),
            call(status="in-progress", dial_started_at=now, created_at=now),
            call(status="initiated", created_at=now),
            call(
                status="completed", duration_seconds=600, created_at=month_start - timedelta(days=1)
            ),
        ]
    )
    await session.flush()

    usage = (await client.get("/v1/workspace", headers=caller.headers)).json()["usage"]
    theirs = (await client.get("/v1/workspace", headers=other.headers)).json()["usage"]

    assert (usage["calls_this_month"], usage["minutes_this_month"]) == (4, 2.0)
    assert usage["concurrent_calls"] == 1
    assert (theirs["calls_this_month"], theirs["concurrent_calls"]) == (0, 0)
