import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.models import Call
from ringline.models.call import CALL_STATUSES
from tests.analytics.conftest import CallAdder, Tenant, TenantMaker, call_row

FEB_1 = datetime(2026, 2, 1, tzinfo=UTC)
NO_CALLS = {status: 0 for status in CALL_STATUSES}


async def analytics(client, tenant: Tenant, **params) -> dict:
    response = await client.get("/v1/analytics", params=params, headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_analytics_answer_as_the_reference_shows(client, acme: Tenant, add_calls: CallAdder):
    await add_calls(acme, FEB_1, duration_seconds=100, disposition="interested")
    await add_calls(acme, FEB_1, duration_seconds=165, disposition="other")
    await add_calls(acme, FEB_1, status="failed")
    await add_calls(acme, FEB_1, FEB_1, status="no-answer")
    await add_calls(acme, FEB_1, status="busy", disposition="other")
    await add_calls(acme, datetime(2026, 2, 7, tzinfo=UTC), duration_seconds=999)

    counts = await analytics(client, acme, **{"from": "2026-02-01", "to": "2026-02-06"})

    assert counts == {
        "total_calls": 6,
        "completed": 2,
        "failed": 1,
        "no_answer": 2,
        "avg_duration_seconds": 133,  # 132.5, rounded half up
        "dispositions": {"interested": 1, "other": 2},
        "busy": 1,
        "by_status": NO_CALLS | {"completed": 2, "failed": 1, "no-answer": 2, "busy": 1},
        "groups": None,
        "extracted": None,
    }


async def test_no_calls_count_as_zeros(client, acme: Tenant):
    counts = await analytics(client, acme)

    assert (counts["total_calls"], counts["avg_duration_seconds"]) == (0, 0)
    assert (counts["dispositions"], counts["by_status"]) == ({}, NO_CALLS)


async def test_groups_by_utc_day_and_by_assistant(client, acme: Tenant, add_calls: CallAdder):
    late_in_brazil = datetime.fromisoformat("2026-02-01T23:30:00-03:00")  # 02:30 on the 2nd, UTC
    await add_calls(acme, FEB_1, FEB_1 + timedelta(hours=23), duration_seconds=60)
    await add_calls(acme, late_in_brazil, status="failed", assistant_id=acme.assistants[1])

    by_day = (await analytics(client, acme, group_by="day"))["groups"]
    by_assistant = (await analytics(client, acme, group_by="assistant"))["groups"]

    assert [(g["key"], g["total_calls"], g["completed"]) for g in by_day] == [
        ("2026-02-01", 2, 2),
        ("2026-02-02", 1, 0),
    ]
    assert by_day[0]["avg_duration_seconds"] == 60
    assert {g["key"]: g["failed"] for g in by_assistant} == {
        acme.assistants[0]: 0,
        acme.assistants[1]: 1,
    }


async def test_filters_and_workspaces_narrow_the_counts(
    client, acme: Tenant, make_tenant: TenantMaker, add_calls: CallAdder
):
    globex = await make_tenant("globex")
    await add_calls(acme, FEB_1, disposition="interested")
    await add_calls(acme, FEB_1, status="failed", assistant_id=acme.assistants[2])
    await add_calls(globex, FEB_1, FEB_1, status="failed")

    assert (await analytics(client, acme))["total_calls"] == 2
    assert (await analytics(client, acme, status="failed"))["by_status"]["failed"] == 1
    assert (await analytics(client, acme, disposition="interested"))["total_calls"] == 1
    assert (await analytics(client, acme, assistant_id=acme.assistants[2]))["failed"] == 1
    assert (await analytics(client, globex))["failed"] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"group_by": "week"}, "group_by"),
        ({"status": "finished"}, "status"),
        ({"from": "2026-02-01", "to": "2026-01-31"}, "from"),
        ({"to": "2026/02/01"}, "to"),
        ({"limit": "10"}, "limit"),
    ],
)
async def test_bad_parameters_are_400s_naming_the_field(client, acme: Tenant, params, field):
    response = await client.get("/v1/analytics", params=params, headers=acme.headers)

    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["message"]
    assert [d["field"] for d in error["details"]] == [field]


# Property-style: random calls, random questions, answers counted here from the rows.

STATUS_WEIGHTS = {"completed": 6, "failed": 2, "no-answer": 2, "busy": 1, "in-progress": 1}
LABELS = [None, "interested", "not_interested", "callback_requested"]


def random_calls(rng: random.Random, tenants: list[Tenant]) -> list[Call]:
    calls = []
    for n in range(300):
        tenant = rng.choice(tenants)
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        # Midnights and the instant before one are where a window is easiest to get wrong.
        at = FEB_1 + timedelta(days=rng.randrange(10))
        at += rng.choice([timedelta(0), -timedelta(microseconds=1), rng.random() * timedelta(1)])
        fields = {
            "id": f"call_p{n:05d}",
            "status": status,
            "assistant_id": rng.choice(tenant.assistants),
            "disposition": rng.choice(LABELS),
            "duration_seconds": rng.randrange(1, 900) if status == "completed" else None,
        }
        calls.append(call_row(tenant, at, **fields))
    return calls


def random_question(rng: random.Random, tenant: Tenant) -> dict[str, str]:
    params = {}
    first = date(2026, 1, 31) + timedelta(days=rng.randrange(12))
    if rng.random() < 0.7:
        params["from"] = first.isoformat()
    if rng.random() < 0.7:
        params["to"] = (first + timedelta(days=rng.randrange(5))).isoformat()
    for name, values in [
        ("status", list(STATUS_WEIGHTS)),
        ("assistant_id", tenant.assistants),
        ("disposition", LABELS[1:]),
    ]:
        if rng.random() < 0.3:
            params[name] = rng.choice(values)
    return params


def matching(calls: list[Call], tenant: Tenant, params: dict[str, str]) -> list[Call]:
    def matches(call: Call) -> bool:
        day = call.created_at.astimezone(UTC).date()
        return (
            call.workspace_id == tenant.caller.workspace_id
            and ("from" not in params or day >= date.fromisoformat(params["from"]))
            and ("to" not in params or day <= date.fromisoformat(params["to"]))
            and all(getattr(call, f) == params[f] for f in params if f not in ("from", "to"))
        )

    return [call for call in calls if matches(call)]


def expected_counts(calls: list[Call]) -> dict:
    statuses = Counter(call.status for call in calls)
    durations = [c.duration_seconds for c in calls if c.status == "completed"]
    average = sum(durations) / len(durations) if durations else 0
    return {
        "total_calls": len(calls),
        "completed": statuses["completed"],
        "failed": statuses["failed"],
        "no_answer": statuses["no-answer"],
        "busy": statuses["busy"],
        "avg_duration_seconds": int(average + 0.5),
        "dispositions": dict(Counter(c.disposition for c in calls if c.disposition)),
        "by_status": NO_CALLS | dict(statuses),
    }


async def test_counts_and_history_equal_a_count_over_the_stored_rows(
    client, session: AsyncSession, make_tenant: TenantMaker
):
    rng = random.Random(20260201)
    tenants = [await make_tenant("acme"), await make_tenant("globex")]
    calls = random_calls(rng, tenants)
    session.add_all(calls)
    await session.flush()

    for _ in range(25):
        tenant = rng.choice(tenants)
        params = random_question(rng, tenant)
        wanted = matching(calls, tenant, params)
        counts = await analytics(client, tenant, **params, group_by="day")
        page = (
            await client.get(
                "/v1/calls/history", params=params | {"limit": 100}, headers=tenant.headers
            )
        ).json()

        assert {k: v for k, v in counts.items() if k not in ("groups", "extracted")} == (
            expected_counts(wanted)
        )
        by_day = {g["key"]: g["total_calls"] for g in counts["groups"]}
        assert by_day == Counter(c.created_at.astimezone(UTC).date().isoformat() for c in wanted)
        newest_first = sorted(wanted, key=lambda c: (c.created_at, c.id), reverse=True)
        assert page["total"] == len(wanted)
        assert [c["call_id"] for c in page["calls"]] == [c.id for c in newest_first[:100]]
