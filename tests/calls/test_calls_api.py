import pytest

from tests.conftest import KeyMaker

SANDBOX = "+918001234567"
CUSTOMER = "+919876543210"
HOOK = "https://crm.example.com/ringline"


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


async def test_a_voicemail_message_needs_its_variables_too(client, auth, setup):
    assistant, _ = setup
    message = "Hi {{customer_name}}, about {{due_date}}: please call us back."
    voicemail = {"detect": True, "action": "leave_message", "message": message}
    path = f"/v1/assistants/{assistant['id']}"
    await client.patch(path, json={"voicemail": voicemail}, headers=auth)

    response = await client.post("/v1/calls/outbound", json=outbound(assistant["id"]), headers=auth)

    assert response.status_code == 400
    assert response.json()["error"]["details"]["missing"] == ["due_date"]
    history = (await client.get("/v1/calls/history", headers=auth)).json()
    assert history["calls"] == []


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
        ({"scheduled_at": "2020-01-01T10:00:00Z"}, 400, "scheduled_at"),
        ({"scheduled_at": "2999-01-01T10:00:00Z"}, 400, "scheduled_at"),
        ({"scheduled_at": "2030-01-01T10:00:00"}, 400, "scheduled_at"),  # no time zone
        ({"max_duration_seconds": 5}, 400, "max_duration_seconds"),
        ({"idle_timeout_seconds": 0}, 400, "idle_timeout_seconds"),
        ({"retry": {"max_retries": 0}}, 400, "max_retries"),
        ({"retry": {"max_retries": 2, "on": ["failed"]}}, 400, "on"),
        ({"retry": {"max_retries": 2, "every": 60}}, 400, "every"),
        ({"webhook_headers": {"X-Tenant": "acme"}}, 400, "webhook_headers"),
        ({"webhook_url": HOOK, "webhook_headers": {"Webhook-Signature": "x"}}, 400, "webhook_"),
        ({"webhook_url": HOOK, "webhook_headers": {"content-type": "x"}}, 400, "webhook_"),
        ({"webhook_url": HOOK, "webhook_headers": {"X-A": "two\nlines"}}, 400, "webhook_"),
        ({"webhook_url": HOOK, "webhook_headers": {"bad name": "x"}}, 400, "webhook_"),
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


async def test_bad_options_store_no_call(client, auth, setup, session):
    from sqlalchemy import func, select

    from ringline.models import Call

    assistant, _ = setup
    body = outbound(assistant["id"], retry={"max_retries": 9})

    response = await client.post("/v1/calls/outbound", json=body, headers=auth)

    assert response.status_code == 400
    assert await session.scalar(select(func.count()).select_from(Call)) == 0


async def test_a_scheduled_call_waits_for_its_time(client, auth, setup, session):
    from datetime import UTC, datetime, timedelta

    from ringline.calls.live import waiting_to_dial

    assistant, _ = setup
    soon = datetime.now(UTC) + timedelta(hours=2)
    later = outbound(assistant["id"], scheduled_at=soon.isoformat())
    now = outbound(assistant["id"], to_number="+919876543211")

    scheduled = (await client.post("/v1/calls/outbound", json=later, headers=auth)).json()
    at_once = (await client.post("/v1/calls/outbound", json=now, headers=auth)).json()

    status = (await client.get(f"/v1/calls/{scheduled['call_id']}/status", headers=auth)).json()
    assert status["status"] == "initiated"
    assert abs(datetime.fromisoformat(status["scheduled_at"]) - soon) < timedelta(seconds=1)
    waiting = [call.id for call in await waiting_to_dial(session, 10)]
    assert waiting == [at_once["call_id"]]


async def test_a_busy_call_with_retries_is_placed_again_until_they_run_out(
    client, auth, setup, session
):
    from datetime import UTC, datetime, timedelta

    from ringline.calls.lifecycle import transition
    from ringline.models import Call

    assistant, _ = setup
    body = outbound(assistant["id"], retry={"max_retries": 2, "delay_seconds": 600})
    first_id = (await client.post("/v1/calls/outbound", json=body, headers=auth)).json()["call_id"]

    attempts = [first_id]
    for _ in range(3):
        call = await session.get(Call, attempts[-1])
        await transition(session, call, "busy")
        await session.flush()
        if call.retried_by is None:
            break
        attempts.append(call.retried_by)

    assert len(attempts) == 3  # the first call and two retries, then no more
    statuses = [
        (await client.get(f"/v1/calls/{call_id}/status", headers=auth)).json()
        for call_id in attempts
    ]
    assert [s["attempt"] for s in statuses] == [1, 2, 3]
    assert [s["retry_of"] for s in statuses] == [None, attempts[0], attempts[1]]
    assert [s["retried_by"] for s in statuses] == [attempts[1], attempts[2], None]
    assert all(s["status"] == "busy" for s in statuses)
    retry_at = datetime.fromisoformat(statuses[1]["scheduled_at"])
    assert timedelta(seconds=590) < retry_at - datetime.now(UTC) <= timedelta(seconds=600)


@pytest.mark.parametrize(("ended", "retried"), [("completed", False), ("no-answer", True)])
async def test_only_the_statuses_asked_for_are_retried(
    client, auth, setup, session, ended, retried
):
    from ringline.calls.lifecycle import transition
    from ringline.models import Call

    assistant, _ = setup
    body = outbound(assistant["id"], retry={"max_retries": 1, "on": ["no-answer"]})
    call_id = (await client.post("/v1/calls/outbound", json=body, headers=auth)).json()["call_id"]
    call = await session.get(Call, call_id)
    if ended == "completed":
        await transition(session, call, "in-progress")
    await transition(session, call, ended)

    assert (call.retried_by is not None) == retried
