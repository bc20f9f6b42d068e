import pytest

from tests.conftest import KeyMaker


async def register(client, auth, number="+919876543210", **fields):
    response = await client.post("/v1/numbers", json={"number": number, **fields}, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


async def new_assistant(client, auth, name="Agent"):
    body = {"name": name, "prompt": "Be brief.", "language": "en", "voice": "female-1"}
    response = await client.post("/v1/assistants", json=body, headers=auth)
    return response.json()["id"]


async def test_registered_numbers_are_listed_in_e164(client, auth):
    number = await register(client, auth, "+919876543210", carrier="exotel")

    listed = (await client.get("/v1/numbers", headers=auth)).json()

    assert number["id"].startswith("num_")
    assert listed == {"numbers": [number]}
    assert number["number"] == "+919876543210"
    assert number["carrier"] == "exotel"
    assert number["assistant_id"] is None


async def test_assign_sets_the_assistant_and_null_unassigns(client, auth):
    number = await register(client, auth)
    assistant_id = await new_assistant(client, auth)

    assigned = await client.post(
        f"/v1/numbers/{number['id']}/assign", json={"assistant_id": assistant_id}, headers=auth
    )
    listed = (await client.get("/v1/numbers", headers=auth)).json()["numbers"]
    unassigned = await client.post(
        f"/v1/numbers/{number['id']}/assign", json={"assistant_id": None}, headers=auth
    )

    assert assigned.status_code == 200
    assert assigned.json()["assistant_id"] == assistant_id
    assert listed[0]["assistant_id"] == assistant_id
    assert unassigned.json()["assistant_id"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"number": "9876543210"}, "number"),
        ({"number": "+919999999999999"}, "number"),
        ({"number": "+91123"}, "number"),
        ({"number": "call me"}, "number"),
        ({"number": "+919876543210", "carrier": "pigeon"}, "carrier"),
        ({}, "number"),
    ],
)
async def test_invalid_numbers_are_a_400_naming_the_field(client, auth, body, field):
    response = await client.post("/v1/numbers", json=body, headers=auth)

    assert response.status_code == 400
    assert [d["field"] for d in response.json()["error"]["details"]] == [field]
    assert (await client.get("/v1/numbers", headers=auth)).json() == {"numbers": []}


@pytest.mark.parametrize("written", ["+91 98765 43210", "+91-98765-43210", "(+91) 9876543210"])
async def test_a_number_written_as_people_write_it_is_stored_in_e164(client, auth, written):
    number = await register(client, auth, written)

    assert number["number"] == "+919876543210"
    again = await client.post("/v1/numbers", json={"number": "+919876543210"}, headers=auth)
    assert again.status_code == 409  # the same number, however it was written


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("+91 123", "'+91 123' has too few digits for a +91 number"),
        ("9876543210", "'9876543210' has no country code: start it with + and the code"),
        ("call me", "'call me' is not a phone number: write it like +91 98765 43210"),
    ],
)
async def test_a_bad_number_is_refused_in_words(client, auth, written, words):
    response = await client.post("/v1/numbers", json={"number": written}, headers=auth)

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["details"][0]["problem"].startswith(words)
    assert error["message"] == f"invalid request: number: {error['details'][0]['problem']}"
    assert "pattern" not in response.text and "^" not in response.text


async def test_the_schema_advertises_no_pattern_for_phone_numbers(client):
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    fields = [
        schemas["NumberCreate"]["properties"]["number"],
        schemas["CallCreate"]["properties"]["to_number"],
        schemas["SandboxCalleeCreate"]["properties"]["number"],
    ]

    assert all("pattern" not in str(field) for field in fields)
    assert all("+919876543210" in str(field) for field in fields)


async def test_a_number_is_registered_only_once(client, auth):
    await register(client, auth)

    again = await client.post("/v1/numbers", json={"number": "+919876543210"}, headers=auth)

    assert again.status_code == 409
    assert len((await client.get("/v1/numbers", headers=auth)).json()["numbers"]) == 1


async def test_assign_refuses_missing_assistants_and_numbers(client, auth):
    number = await register(client, auth)

    no_assistant = await client.post(
        f"/v1/numbers/{number['id']}/assign", json={"assistant_id": "asst_nope"}, headers=auth
    )
    no_number = await client.post(
        "/v1/numbers/num_nope/assign", json={"assistant_id": None}, headers=auth
    )
    no_body = await client.post(f"/v1/numbers/{number['id']}/assign", json={}, headers=auth)

    assert (
        no_assistant.status_code == 404 and "asst_nope" in no_assistant.json()["error"]["message"]
    )
    assert no_number.status_code == 404
    assert no_body.status_code == 400


async def test_workspaces_cannot_use_each_others_numbers_or_assistants(client, make_key: KeyMaker):
    acme, globex = (await make_key("acme")).headers, (await make_key("globex")).headers
    acme_number = await register(client, acme)
    globex_number = await register(client, globex, "+919812345678")
    acme_assistant = await new_assistant(client, acme)

    foreign_number = await client.post(
        f"/v1/numbers/{acme_number['id']}/assign", json={"assistant_id": None}, headers=globex
    )
    foreign_assistant = await client.post(
        f"/v1/numbers/{globex_number['id']}/assign",
        json={"assistant_id": acme_assistant},
        headers=globex,
    )

    assert foreign_number.status_code == foreign_assistant.status_code == 404
    assert (await client.get("/v1/numbers", headers=globex)).json()["numbers"] == [globex_number]
