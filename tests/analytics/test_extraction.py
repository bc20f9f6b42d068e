"""The extracted values of calls: in the history, filtered by a field's value, and counted."""

from datetime import UTC, datetime, timedelta

from tests.analytics.conftest import CallAdder, Tenant
from tests.analytics.test_history import history, ids

FEB_1 = datetime(2026, 2, 1, tzinfo=UTC)


async def three_calls(acme: Tenant, add_calls: CallAdder) -> list:
    hours = [FEB_1 + timedelta(hours=n) for n in range(4)]
    (price,) = await add_calls(acme, hours[0], extracted={"objection": "price", "seats": 2})
    (timing,) = await add_calls(
        acme, hours[1], extracted={"objection": "timing", "policy_number": "PN123456"}
    )
    (renewed,) = await add_calls(acme, hours[2], extracted={"renew": True, "seats": 20})
    await add_calls(acme, hours[3])  # extracted nothing
    return [price, timing, renewed]


async def test_history_shows_what_each_call_extracted(client, acme: Tenant, add_calls: CallAdder):
    price, timing, renewed = await three_calls(acme, add_calls)

    page = await history(client, acme)

    assert [c["extracted"] for c in page["calls"]] == [
        {},
        {"renew": True, "seats": 20},
        {"objection": "timing", "policy_number": "PN123456"},
        {"objection": "price", "seats": 2},
    ]
    status = await client.get(f"/v1/calls/{timing.id}/status", headers=acme.headers)
    assert status.json()["extracted"] == {"objection": "timing", "policy_number": "PN123456"}


async def test_history_filters_by_an_extracted_value(client, acme: Tenant, add_calls: CallAdder):
    price, timing, renewed = await three_calls(acme, add_calls)

    assert await ids(client, acme, extracted_field="policy_number", extracted_value="PN123456") == [
        timing.id
    ]
    assert await ids(client, acme, extracted_field="objection") == [timing.id, price.id]
    # A query string cannot say 20 or true: the number and the boolean it spells match.
    assert await ids(client, acme, extracted_field="seats", extracted_value="20") == [renewed.id]
    assert await ids(client, acme, extracted_field="renew", extracted_value="true") == [renewed.id]
    assert await ids(client, acme, extracted_field="objection", extracted_value="trust") == []


async def test_analytics_counts_calls_per_extracted_value(
    client, acme: Tenant, add_calls: CallAdder
):
    await three_calls(acme, add_calls)

    counted = await client.get(
        "/v1/analytics", params={"extracted_field": "objection"}, headers=acme.headers
    )
    plain = await client.get("/v1/analytics", headers=acme.headers)
    booleans = await client.get(
        "/v1/analytics", params={"extracted_field": "renew"}, headers=acme.headers
    )

    assert counted.json()["extracted"] == {"price": 1, "timing": 1}
    assert counted.json()["total_calls"] == 2
    assert plain.json()["extracted"] is None and plain.json()["total_calls"] == 4
    assert booleans.json()["extracted"] == {"true": 1}


async def test_a_value_without_its_field_is_a_400(client, acme: Tenant):
    for path in ("/v1/calls/history", "/v1/analytics"):
        response = await client.get(path, params={"extracted_value": "x"}, headers=acme.headers)
        assert response.status_code == 400
        assert response.json()["error"]["details"][0]["field"] == "extracted_value"
    bad_name = await client.get(
        "/v1/calls/history", params={"extracted_field": "Policy No"}, headers=acme.headers
    )
    assert bad_name.status_code == 400
