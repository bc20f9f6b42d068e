import pytest

from tests.conftest import KeyMaker


async def test_a_callee_is_bound_to_a_number_and_replaced_by_a_second_post(client, auth):
    first = await client.post(
        "/v1/sandbox/callees",
        json={"number": "+919876543210", "behaviour": {"answer": "busy"}},
        headers=auth,
    )
    second = await client.post(
        "/v1/sandbox/callees",
        json={"number": "+919876543210", "persona": {"goal": "Ask for a discount", "max_turns": 3}},
        headers=auth,
    )
    listed = (await client.get("/v1/sandbox/callees", headers=auth)).json()["callees"]

    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["persona"]["replies"]  # the default script
    assert first.json()["persona"]["opening"] == "Hello?"  # said to an agent that waits
    assert [c["id"] for c in listed] == [first.json()["id"]]
    assert listed[0]["behaviour"]["answer"] == "answer"
    assert listed[0]["persona"]["goal"] == "Ask for a discount"


@pytest.mark.parametrize(
    "body",
    [
        {"number": "98765"},
        {"number": "+919876543210", "behaviour": {"answer": "maybe"}},
        {"number": "+919876543210", "behaviour": {"rings": 99}},
        {"number": "+919876543210", "behaviour": {"rings": False}},
        {"number": "+919876543210", "behaviour": {"patience_seconds": True}},
        {"number": "+919876543210", "persona": {}},
        {"number": "+919876543210", "persona": {"replies": ["hi"], "goal": "both"}},
        {"number": "+919876543210", "persona": {"replies": []}},
    ],
)
async def test_invalid_callees_are_refused(client, auth, body):
    response = await client.post("/v1/sandbox/callees", json=body, headers=auth)

    assert response.status_code == 400
    assert (await client.get("/v1/sandbox/callees", headers=auth)).json() == {"callees": []}


async def test_delete_returns_a_number_to_the_default_callee(client, auth):
    await client.post("/v1/sandbox/callees", json={"number": "+919876543210"}, headers=auth)

    deleted = await client.delete("/v1/sandbox/callees/+919876543210", headers=auth)
    again = await client.delete("/v1/sandbox/callees/+919876543210", headers=auth)

    assert deleted.status_code == 204 and again.status_code == 404
    assert (await client.get("/v1/sandbox/callees", headers=auth)).json() == {"callees": []}


async def test_a_callee_number_is_taken_as_people_write_it(client, auth):
    made = await client.post(
        "/v1/sandbox/callees", json={"number": "(+91) 9876543210"}, headers=auth
    )

    deleted = await client.delete("/v1/sandbox/callees/+91 98765 43210", headers=auth)
    bad = await client.delete("/v1/sandbox/callees/not-a-number", headers=auth)

    assert made.status_code == 201 and made.json()["number"] == "+919876543210"
    assert deleted.status_code == 204
    assert bad.status_code == 400
    assert bad.json()["error"]["message"].startswith("'not-a-number' is not a phone number")


async def test_callees_belong_to_their_workspace(client, make_key: KeyMaker):
    acme, globex = (await make_key("acme")).headers, (await make_key("globex")).headers
    await client.post("/v1/sandbox/callees", json={"number": "+919876543210"}, headers=acme)

    assert (await client.get("/v1/sandbox/callees", headers=globex)).json() == {"callees": []}
    assert (
        await client.delete("/v1/sandbox/callees/+919876543210", headers=globex)
    ).status_code == 404
