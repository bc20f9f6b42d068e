import pytest

from tests.conftest import KeyMaker

SANDBOX = "+918001234567"
CUSTOMER = "+919876543210"


@pytest.fixture
async def setup(client, auth):
    """An assistant with placeholders, and the sandbox number assigned to it."""
    assistant = (
        await client.post(
            "/v1/assistants",
            json={
                "name": "Renewals",
                "prompt": "You call {{customer_name}} about order {{order_id}}.",
                "first_message": "Hello {{customer_name}}!",
                "variable_defaults": {"order_id": "unknown"},
            },
            headers=auth,
        )
    ).json()
    number = (await client.post("/v1/numbers", json={"number": SANDBOX}, headers=auth)).json()
    return assistant, number


def outbound(assistant: str, **fields: object) -> dict:
    return {
        "assistant_id": assistant,
        "to_number": CUSTOMER,
        "from_number": SANDBOX,
        "dynamic_variables": {"customer_name": "Rahul", "order_id": "ORD-12345"},
    } | fields


async def test_outbound_call_answers_as_the_reference_shows(client, auth, setup):
    assistant, _ = setup

    response = await client.post("/v1/calls/outbound", json=outbound(assistant["id"]), headers=auth)

    assert response.status_code == 201, response.text
    call = response.json()
    assert set(call) == {
        "call_id",
        "status",
        "to_number",
        "from_number",
        "assistant_id",
        "created_at",
    }
    assert call["call_id"].startswith("call_")
    assert (call["status"], call["to_number"], call["from_number"]) == (
        "initiated",
        CUSTOMER,
        SANDBOX,
    )
    status = (await client.get(f"/v1/calls/{call['call_id']}/status", headers=auth)).json()
    assert status["status"] == "initiated"
    assert status["duration_seconds"] is None and status["ended_at"] is None


async def test_variables_fill_the_prompt_and_defaults_fill_the_gaps(client, auth, setup, session):
    from ringline.models import Call

    assistant, _ = setup
    body = outbound(assistant["id"], dynamic_variables={"customer_name": "Asha"})

    call_id = (await client.post("/v1/calls/outbound", json=body, headers=auth)).json()["call_id"]

    call = await session.get(Call, call_id)
    assert call.prompt == "You call Asha about order unknown."
    assert call.first_message == "Hello Asha!"


async def test_missing_variables_are_named_in_a_400(client, auth, setup):
    assistant, _ = setup

    response = await client.post(
        "/v1/calls/outbound", json=outbound(assistant["id"], dynamic_variables={}), headers=auth
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"]["missing"] == ["customer_name"]


async def test_from_number_defaults_to_the_assistants_number(client, auth, setup):
    assistant, number = setup
    await client.post(
        f"/v1/numbers/{number['id']}/assign", json={"assistant_id": assistant["id"]}, headers=auth
    )
    body = outbound(assistant["id"])
    del body["from_number"]

    response = await client.post("/v1/calls/outbound", json=body, headers=auth)

    assert response.status_code == 201
    assert response.json()["from_number"] == SANDBOX


async def test_numbers_written_with_spaces_and_dashes_are_dialed_in_e164(client, auth, setup):
    assistant, _ = setup
    written = outbound(assistant["id"], to_number="+91 98765 43210", from_number="+91-800-123-4567")

    response = await client.post("/v1/calls/outbound", json=written, headers=auth)

    assert response.status_code == 201, response.text
    call = response.json()
    assert (call["to_number"], call["from_number"]) == (CUSTOMER, SANDBOX)


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"to_number": "12345"}, 400, "to_number"),
        ({"to_number": "+91123"}, 400, "to_number"),
        ({"from_number": "+919812345678"}, 400, "from_number"),
        ({"from_number": None}, 400, "from_number"),
        ({"to_number": SANDBOX}, 400, "to_number"),
        ({"webhook_url": "ftp://example.com"}, 400, "webhook_url"),
        ({"dynamic_variables": {"bad name": "x"}}, 400, "dynamic_variables"),
        ({"assistant_id": "asst_missing"}, 404, None),
    ],
)
async def test_bad_outbound_requests_say_which_field_is_wrong(
    client, auth, setup, fields, status, field
):
    assistant, _ = setup

    response = await client.post(
        "/v1/calls/outbound", json=outbound(assistant["id"], **fields), headers=auth
    )

    assert response.status_code == status, response.text
    error = response.json()["error"]
    if field:
        assert field in str(error["details"])


async def test_inactive_assistant_cannot_call(client, auth, setup):
    assistant, _ = setup
    await client.patch(
        f"/v1/assistants/{assistant['id']}", json={"status": "inactive"}, headers=auth
    )

    response = await client.post("/v1/calls/outbound", json=outbound(assistant["id"]), headers=auth)

    assert response.status_code == 400
    assert "inactive" in response.json()["error"]["message"]


async def test_number_on_an_unconfigured_carrier_cannot_dial(client, auth, setup):
    assistant, _ = setup
    await client.post(
        "/v1/numbers", json={"number": "+14155550100", "carrier": "twilio"}, headers=auth
    )

    response = await client.post(
        "/v1/calls/outbound",
        json=outbound(assistant["id"], from_number="+14155550100"),
        headers=auth,
    )

    assert response.status_code == 400
    assert "twilio" in response.json()["error"]["message"]


async def test_idempotency_key_returns_the_first_call(client, auth, setup):
    assistant, _ = setup
    headers = auth | {"Idempotency-Key": "order-12345-attempt-1"}

    first = await client.post("/v1/calls/outbound", json=outbound(assistant["id"]), headers=headers)
    retry = await client.post("/v1/calls/outbound", json=outbound(assistant["id"]), headers=headers)
    other = await client.post(
        "/v1/calls/outbound",
        json=outbound(assistant["id"], to_number="+919812345678"),
        headers=headers,
    )

    assert first.status_code == 201 and retry.status_code == 200
    assert retry.json() == first.json()
    assert other.status_code == 409
    fresh = await client.post("/v1/calls/outbound", json=outbound(assistant["id"]), headers=auth)
    assert fresh.json()["call_id"] != first.json()["call_id"]


async def test_end_cancels_an_unanswered_call_and_a_second_end_says_it_ended(client, auth, setup):
    assistant, _ = setup
    call_id = (
        await client.post("/v1/calls/outbound", json=outbound(assistant["id"]), headers=auth)
    ).json()["call_id"]

    first = await client.post(f"/v1/calls/{call_id}/end", headers=auth)
    second = await client.post(f"/v1/calls/{call_id}/end", headers=auth)

    assert first.status_code == second.status_code == 200
    assert (first.json()["status"], first.json()["already_ended"]) == ("failed", False)
    assert (second.json()["status"], second.json()["already_ended"]) == ("failed", True)
    assert second.json()["ended_at"] == first.json()["ended_at"]


async def test_transcript_of_a_new_call_is_empty(client, auth, setup):
    assistant, _ = setup
    call_id = (
        await client.post("/v1/calls/outbound", json=outbound(assistant["id"]), headers=auth)
    ).json()["call_id"]

    response = await client.get(f"/v1/calls/{call_id}/transcript", headers=auth)

    assert response.json() == {"call_id": call_id, "transcript": [], "language": "en"}


async def test_calls_of_another_workspace_are_404(client, auth, setup, make_key: KeyMaker):
    assistant, _ = setup
    call_id = (
        await client.post("/v1/calls/outbound", json=outbound(assistant["id"]), headers=auth)
    ).json()["call_id"]
    other = (await make_key("globex")).headers

    for method, path in [("GET", "status"), ("GET", "transcript"), ("POST", "end")]:
        response = await client.request(method, f"/v1/calls/{call_id}/{path}", headers=other)
        assert response.status_code == 404, path
    theirs = await client.post("/v1/calls/outbound", json=outbound(assistant["id"]), headers=other)
    assert theirs.status_code == 404
