from datetime import UTC, datetime, timedelta

import pytest

from ringline.auth.scopes import Scope
from ringline.calls.schemas import CallStatusRead
from tests.analytics.conftest import CallAdder, Tenant, TenantMaker
from tests.conftest import KeyMaker

FEB_1 = datetime(2026, 2, 1, tzinfo=UTC)


async def history(client, tenant: Tenant, **params) -> dict:
    response = await client.get("/v1/calls/history", params=params, headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def ids(client, tenant: Tenant, **params) -> list[str]:
    return [call["call_id"] for call in (await history(client, tenant, **params))["calls"]]


async def test_history_is_newest_first_with_what_the_status_shows(
    client, acme: Tenant, add_calls: CallAdder
):
    older, newer = await add_calls(acme, FEB_1, FEB_1 + timedelta(hours=1))
    newer.disposition, newer.summary, newer.duration_seconds = "interested", "ok", 42

    page = await history(client, acme)

    assert (page["total"], page["limit"], page["offset"]) == (2, 20, 0)
    assert [c["call_id"] for c in page["calls"]] == [newer.id, older.id]
    first = page["calls"][0]
    assert set(first) == set(CallStatusRead.model_fields) | {"campaign_id"}
    assert first["campaign_id"] is None
    assert (first["disposition"], first["summary"], first["duration_seconds"]) == (
        "interested",
        "ok",
        42,
    )
    assert first["created_at"] == "2026-02-01T01:00:00Z"


async def test_equal_times_keep_one_order_across_pages(client, acme: Tenant, add_calls: CallAdder):
    for n in range(5):
        await add_calls(acme, FEB_1, id=f"call_tie{n}")
    expected = [f"call_tie{n}" for n in reversed(range(5))]

    pages = [await ids(client, acme, limit=2, offset=offset) for offset in (0, 2, 4)]

    assert [i for page in pages for i in page] == expected
    assert await ids(client, acme) == expected


async def test_paging_edges(client, acme: Tenant, add_calls: CallAdder):
    await add_calls(acme, *(FEB_1 + timedelta(minutes=n) for n in range(3)))

    past_the_end = await history(client, acme, offset=3)
    one = await history(client, acme, limit=1, offset=1)
    hundred = await history(client, acme, limit=100)

    assert (past_the_end["calls"], past_the_end["total"]) == ([], 3)
    assert (len(one["calls"]), one["total"], one["limit"], one["offset"]) == (1, 3, 1, 1)
    assert (len(hundred["calls"]), hundred["total"]) == (3, 3)


async def test_each_filter_narrows_the_history(client, acme: Tenant, add_calls: CallAdder):
    first, second, _ = acme.assistants
    [interested] = await add_calls(acme, FEB_1, disposition="interested")
    [failed] = await add_calls(acme, FEB_1, status="failed", assistant_id=second)
    [busy] = await add_calls(acme, FEB_1, status="busy", assistant_id=second)

    assert await ids(client, acme, status="failed") == [failed.id]
    assert await ids(client, acme, disposition="interested") == [interested.id]
    assert set(await ids(client, acme, assistant_id=second)) == {failed.id, busy.id}
    assert await ids(client, acme, assistant_id=second, status="busy") == [busy.id]
    assert await ids(client, acme, assistant_id=first, status="busy") == []
    assert (await history(client, acme, status="no-answer"))["total"] == 0


async def test_a_date_to_includes_its_whole_day_and_from_is_inclusive(
    client, acme: Tenant, add_calls: CallAdder
):
    before, start, end, after = await add_calls(
        acme,
        FEB_1 - timedelta(microseconds=1),
        FEB_1,
        datetime(2026, 2, 6, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 2, 7, tzinfo=UTC),
    )

    found = await ids(client, acme, **{"from": "2026-02-01", "to": "2026-02-06"})
    one_day = await ids(client, acme, **{"from": "2026-02-06", "to": "2026-02-06"})

    assert found == [end.id, start.id]
    assert one_day == [end.id]
    assert await ids(client, acme, to="2026-01-31") == [before.id]
    assert await ids(client, acme, **{"from": "2026-02-07"}) == [after.id]


async def test_date_times_honour_their_offsets_and_default_to_utc(
    client, acme: Tenant, add_calls: CallAdder
):
    before, midnight, later = await add_calls(
        acme, FEB_1 - timedelta(seconds=1), FEB_1, FEB_1 + timedelta(seconds=1)
    )

    # 05:30 at +05:30 is midnight UTC; a date-time 'to' includes that very instant.
    since = await ids(client, acme, **{"from": "2026-02-01T05:30:00+05:30"})
    until = await ids(client, acme, to="2026-02-01T05:30:00+05:30")
    naive = await ids(client, acme, **{"from": "2026-02-01T00:00:00", "to": "2026-02-01T00:00:00"})
    zulu = await ids(client, acme, **{"from": "2026-01-31T23:59:59Z", "to": "2026-01-31T23:59:59Z"})

    assert since == [later.id, midnight.id]
    assert until == [midnight.id, before.id]
    assert naive == [midnight.id]
    assert zulu == [before.id]


async def test_an_empty_range_has_no_calls(client, acme: Tenant, add_calls: CallAdder):
    await add_calls(acme, FEB_1)

    page = await history(client, acme, **{"from": "2027-01-01", "to": "2027-01-31"})

    assert (page["calls"], page["total"]) == ([], 0)


async def test_another_workspaces_calls_are_not_in_the_history(
    client, acme: Tenant, make_tenant: TenantMaker, add_calls: CallAdder
):
    globex = await make_tenant("globex")
    [ours] = await add_calls(acme, FEB_1)
    [theirs] = await add_calls(globex, FEB_1)

    assert await ids(client, acme) == [ours.id]
    assert await ids(client, globex) == [theirs.id]
    assert await ids(client, acme, assistant_id=globex.assistants[0]) == []


async def test_a_read_key_may_read_the_history(client, make_key: KeyMaker):
    reader = await make_key("acme", scope=Scope.read)

    response = await client.get("/v1/calls/history", headers=reader.headers)

    assert response.status_code == 200
    assert response.json() == {"calls": [], "total": 0, "limit": 20, "offset": 0}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 101}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"status": "done"}, "status"),
        ({"from": "2026-02-30"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-02-01T25:00:00"}, "from"),
        ({"from": "2026-02-07", "to": "2026-02-06"}, "from"),
        ({"from": "2026-02-01T00:00:01Z", "to": "2026-02-01T00:00:00Z"}, "from"),
        ({"stauts": "failed"}, "stauts"),
    ],
)
async def test_bad_parameters_are_400s_naming_the_field(client, acme: Tenant, params, field):
    response = await client.get("/v1/calls/history", params=params, headers=acme.headers)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_request"
    assert field in error["message"]
    assert [d["field"] for d in error["details"]] == [field]


async def test_without_a_key_it_is_a_401_even_with_bad_parameters(client):
    for path in ("/v1/calls/history", "/v1/analytics"):
        response = await client.get(path, params={"from": "soon", "status": "done"})

        assert response.status_code == 401


async def test_the_unfiltered_total_follows_inserts_and_deletes(
    client, acme: Tenant, make_tenant, add_calls: CallAdder, session
):
    other = await make_tenant("globex")
    calls = await add_calls(acme, *(FEB_1 + timedelta(minutes=n) for n in range(5)))
    await add_calls(other, FEB_1)

    before = await history(client, acme, limit=2)
    await session.delete(calls[0])
    await session.flush()
    after = await history(client, acme, limit=2)

    assert (before["total"], after["total"]) == (5, 4)
    assert (await history(client, other, limit=1))["total"] == 1


async def test_web_calls_show_their_source_and_filter_apart(
    client, acme: Tenant, add_calls: CallAdder
):
    (phone,) = await add_calls(acme, FEB_1)
    (web,) = await add_calls(acme, FEB_1 + timedelta(hours=1), source="web", from_number="web")

    page = await history(client, acme)
    by_id = {call["call_id"]: call["source"] for call in page["calls"]}
    web_only = await ids(client, acme, source="web")
    counts = await client.get("/v1/analytics", params={"source": "phone"}, headers=acme.headers)

    assert by_id == {phone.id: "phone", web.id: "web"}
    assert web_only == [web.id]
    assert await ids(client, acme, source="phone") == [phone.id]
    assert counts.json()["total_calls"] == 1
    bad = await client.get("/v1/calls/history", params={"source": "fax"}, headers=acme.headers)
    assert bad.status_code == 400


async def test_inbound_calls_filter_apart_from_outbound(client, acme: Tenant, add_calls: CallAdder):
    (outbound,) = await add_calls(acme, FEB_1)
    (inbound,) = await add_calls(acme, FEB_1 + timedelta(hours=1), direction="inbound")

    counts = await client.get(
        "/v1/analytics", params={"direction": "inbound"}, headers=acme.headers
    )
    bad = await client.get(
        "/v1/calls/history", params={"direction": "sideways"}, headers=acme.headers
    )

    assert await ids(client, acme, direction="inbound") == [inbound.id]
    assert await ids(client, acme, direction="outbound") == [outbound.id]
    assert counts.json()["total_calls"] == 1
    assert bad.status_code == 400
