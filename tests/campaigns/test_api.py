"""The campaign routes over the real app, each test in a rolled-back transaction."""

from datetime import UTC, datetime, timedelta

from ringline.models import Workspace
from tests.campaigns.conftest import OTHER_NUMBER, SANDBOX, contact, make_campaign, numbers

SCHEDULE = {
    "start_time": "2099-02-07T09:00:00+05:30",
    "end_time": "2099-02-07T18:00:00+05:30",
    "timezone": "Asia/Kolkata",
}


async def launch(client, headers, campaign_id, contacts, **extra):
    body = {"campaign_id": campaign_id, "contacts": contacts} | extra
    return await client.post("/v1/campaigns/launch", json=body, headers=headers)


async def test_create_then_read_and_list(client, auth, campaign):
    assert campaign["id"].startswith("camp_")
    assert campaign["status"] == "draft"
    assert campaign["from_numbers"] == [SANDBOX]
    assert campaign["retry"] == {
        "max_attempts": 3,
        "gap_seconds": 3600,
        "retry_on": ["no-answer", "busy", "failed"],
    }
    read = (await client.get(f"/v1/campaigns/{campaign['id']}", headers=auth)).json()
    assert read == campaign
    listed = (await client.get("/v1/campaigns", headers=auth)).json()
    assert [c["id"] for c in listed["campaigns"]] == [campaign["id"]]


async def test_create_refuses_a_number_of_no_workspace_and_a_bad_window(client, auth, campaign):
    body = {"name": "x", "assistant_id": campaign["assistant_id"], "from_number": OTHER_NUMBER}
    response = await client.post("/v1/campaigns", json=body, headers=auth)
    assert response.status_code == 400
    assert response.json()["error"]["details"]["missing"] == [OTHER_NUMBER]

    body = {"name": "x", "assistant_id": campaign["assistant_id"]}
    for window in ({"start": "25:00", "end": "18:00"}, {"start": "09:00", "end": "09:00"}):
        bad = await client.post(
            "/v1/campaigns", json=body | {"calling_window": window}, headers=auth
        )
        assert bad.status_code == 400, bad.text
    bad = await client.post("/v1/campaigns", json=body | {"timezone": "Mars/Olympus"}, headers=auth)
    assert bad.status_code == 400
    for flag in ({"max_concurrent_calls": True}, {"retry": {"max_attempts": True}}):
        bad = await client.post("/v1/campaigns", json=body | flag, headers=auth)
        assert bad.status_code == 400, flag  # true is not a number


async def test_caller_ids_are_taken_as_people_write_them(client, auth, campaign):
    body = {"name": "x", "assistant_id": campaign["assistant_id"]}
    for numbers_field in ({"from_number": "+91 80012 34567"}, {"from_numbers": ["+91-8001234567"]}):
        made = await client.post("/v1/campaigns", json=body | numbers_field, headers=auth)
        assert made.status_code == 201, made.text
        assert made.json()["from_numbers"] == [SANDBOX]


async def test_launch_reports_bad_contacts_row_by_row_and_launches_the_rest(client, auth, campaign):
    good = numbers(3)
    contacts = [
        contact(good[0]),
        {"name": "No phone", "custom_fields": {"policy": "P"}},
        contact("+91123"),
        contact(good[1]),
        contact(good[0], name="Again"),
        {"phone": good[2], "name": "Asha"},  # no {{policy}} for the prompt
        contact("+91 98000 00002", name="Spaced"),  # same number as good[2], spaced
        contact(numbers(1, 50)[0], colour="red"),
    ]

    response = await launch(client, auth, campaign["id"], contacts, schedule=SCHEDULE)

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["campaign_id"], body["accepted"], body["total_contacts"]) == (
        campaign["id"],
        4,
        4,
    )
    rejected = {r["row"]: (r["phone"], r["reason"]) for r in body["rejected"]}
    assert sorted(rejected) == [2, 3, 5, 6]
    assert rejected[2] == (None, "missing phone")
    assert rejected[3] == ("+91123", "'+91123' has too few digits for a +91 number")
    assert rejected[5] == (good[0], "duplicate phone number (also in row 1)")
    assert rejected[6][1] == "missing fields for the assistant's prompt: policy"
    assert [(w["field"], w["contacts"]) for w in body["warnings"]] == [("colour", 1)]

    listed = (await client.get(f"/v1/campaigns/{campaign['id']}/contacts", headers=auth)).json()
    assert [(c["row"], c["phone"], c["state"], c["attempts"]) for c in listed["contacts"]] == [
        (1, good[0], "pending", 0),
        (4, good[1], "pending", 0),
        (7, good[2], "pending", 0),
        (8, numbers(1, 50)[0], "pending", 0),
    ]
    assert listed["contacts"][3]["custom_fields"] == {"policy": "POL-456", "colour": "red"}
    assert listed["total"] == 4


async def test_contacts_as_integrations_send_them_keep_their_extra_keys(client, auth, campaign):
    phones = numbers(3, 60)
    contacts = [
        # A top-level custom_field object (a public integration), and CSV-like columns.
        {"phone": phones[0], "name": "Asha", "custom_field": {"policy": "P-1"}, "city": "Pune"},
        {"phone": phones[1], "name": "Ravi", "policy": "P-2", "agent_name": "Riya", "city": ""},
        # custom_fields wins over the same key given at the top level.
        {"phone": phones[2], "name": "Meera", "policy": "old", "custom_fields": {"policy": "P-3"}},
    ]

    response = await launch(client, auth, campaign["id"], contacts)

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["accepted"], body["rejected"]) == (3, [])
    assert [(w["field"], w["contacts"]) for w in body["warnings"]] == [
        ("custom_field", 1),
        ("city", 1),
        ("policy", 2),
        ("agent_name", 1),
    ]
    assert all("kept as custom field" in w["message"] for w in body["warnings"])
    listed = (await client.get(f"/v1/campaigns/{campaign['id']}/contacts", headers=auth)).json()
    assert [c["custom_fields"] for c in listed["contacts"]] == [
        {"policy": "P-1", "city": "Pune"},
        {"policy": "P-2", "agent_name": "Riya"},
        {"policy": "P-3"},
    ]


async def test_an_extra_key_that_is_no_value_rejects_its_row(client, auth, campaign):
    phones = numbers(2, 70)
    contacts = [contact(phones[0], tags=["a", "b"]), contact(phones[1])]

    response = await launch(client, auth, campaign["id"], contacts)

    assert response.status_code == 201, response.text
    rejected = response.json()["rejected"]
    assert [(r["row"], r["reason"]) for r in rejected] == [
        (1, "tags must be text, a number or true/false")
    ]


async def test_unknown_keys_at_the_top_of_the_body_stay_a_400(client, auth, campaign):
    response = await launch(client, auth, campaign["id"], [contact(numbers(1)[0])], priority=1)

    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "priority"


async def quiet_hours(client, auth, hours):
    body = {"quiet_hours": hours}
    response = await client.patch("/v1/workspace/campaign-settings", json=body, headers=auth)
    assert response.status_code == 200, response.text


def hhmm(moment: datetime) -> str:
    return f"{moment:%H:%M}"


async def test_a_launch_without_a_schedule_starts_now_and_says_when_it_calls(client, auth):
    await quiet_hours(client, auth, None)
    campaign = await make_campaign(client, auth)

    before = datetime.now(UTC)
    response = await launch(client, auth, campaign["id"], [contact(numbers(1)[0])])
    after = datetime.now(UTC)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "running"
    assert before <= datetime.fromisoformat(body["first_call_at"]) <= after


async def test_a_launch_in_quiet_hours_says_when_they_end(client, auth):
    ends = (datetime.now(UTC) + timedelta(hours=1)).replace(second=0, microsecond=0)
    await quiet_hours(client, auth, {"start": hhmm(ends - timedelta(hours=2)), "end": hhmm(ends)})
    campaign = await make_campaign(client, auth, timezone="UTC")

    response = await launch(client, auth, campaign["id"], [contact(numbers(1)[0])])

    assert response.status_code == 201, response.text
    assert response.json()["status"] == "running"
    assert datetime.fromisoformat(response.json()["first_call_at"]) == ends


async def test_a_launch_outside_its_window_says_when_the_window_opens(client, auth):
    await quiet_hours(client, auth, None)
    opens = (datetime.now(UTC) + timedelta(hours=2)).replace(second=0, microsecond=0)
    window = {"start": hhmm(opens), "end": hhmm(opens + timedelta(hours=1))}
    campaign = await make_campaign(client, auth, calling_window=window, timezone="UTC")

    response = await launch(client, auth, campaign["id"], [contact(numbers(1)[0])])

    assert response.status_code == 201, response.text
    assert response.json()["status"] == "running"
    assert datetime.fromisoformat(response.json()["first_call_at"]) == opens


async def test_launch_with_nothing_valid_is_a_400_and_changes_nothing(client, auth, campaign):
    response = await launch(client, auth, campaign["id"], [contact("+91123"), {"name": "x"}])

    assert response.status_code == 400
    error = response.json()["error"]
    assert [r["row"] for r in error["details"]["rejected"]] == [1, 2]
    empty = await launch(client, auth, campaign["id"], [])
    assert empty.status_code == 400
    read = (await client.get(f"/v1/campaigns/{campaign['id']}", headers=auth)).json()
    assert (read["status"], read["total_contacts"]) == ("draft", 0)


async def test_scheduled_launch_status_and_the_reference_shapes(client, auth, campaign):
    future = {"start_time": "2099-02-07T09:00:00+05:30", "timezone": "Asia/Kolkata"}
    launched = await launch(client, auth, campaign["id"], [contact(numbers(1)[0])], schedule=future)
    assert launched.json()["status"] == "scheduled"

    status = (await client.get(f"/v1/campaigns/{campaign['id']}/status", headers=auth)).json()

    assert status["campaign_id"] == campaign["id"]
    assert status["status"] == "scheduled"
    assert status["counts"] == {
        "pending": 1,
        "scheduled": 0,
        "dialing": 0,
        "in-progress": 0,
        "completed": 0,
        "failed": 0,
        "no-answer": 0,
        "busy": 0,
        "retrying": 0,
        "skipped": 0,
    }
    assert (status["progress"], status["dispositions"]) == (0.0, {})
    assert status["started_at"] is None and status["estimated_finish_at"] is None
    assert status["next_window_at"].startswith("2099-02-07T03:30:00")


async def test_a_second_launch_for_a_busy_assistant_is_a_409_naming_the_campaign(
    client, make_key, session
):
    caller = await make_key("busy")
    campaign = await make_campaign(client, caller.headers)
    first = await launch(client, caller.headers, campaign["id"], [contact(numbers(1)[0])])
    assert first.json()["status"] == "running"
    body = {"name": "Second", "assistant_id": campaign["assistant_id"], "from_number": SANDBOX}
    second = (await client.post("/v1/campaigns", json=body, headers=caller.headers)).json()

    busy = await launch(client, caller.headers, second["id"], [contact(numbers(1)[0])])

    assert busy.status_code == 409, busy.text
    assert busy.json()["error"]["details"]["campaign_id"] == campaign["id"]
    assert campaign["id"] in busy.json()["error"]["message"]

    workspace = await session.get(Workspace, caller.workspace_id)
    workspace.campaigns_per_assistant = 2
    await session.flush()
    allowed = await launch(client, caller.headers, second["id"], [contact(numbers(1)[0])])
    assert allowed.status_code == 201, allowed.text


async def test_a_launched_campaign_cannot_launch_again_but_a_retry_gets_the_first_answer(
    client, auth, campaign
):
    key = {"Idempotency-Key": "launch-1"}
    contacts = [contact(numbers(1)[0]), contact("+91123")]
    first = await launch(client, auth | key, campaign["id"], contacts)
    again = await launch(client, auth | key, campaign["id"], contacts)
    other = await launch(client, auth, campaign["id"], contacts)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert other.status_code == 409
    read = (await client.get(f"/v1/campaigns/{campaign['id']}", headers=auth)).json()
    assert read["total_contacts"] == 1


async def test_campaigns_of_another_workspace_are_not_found(client, make_key):
    acme, globex = await make_key("acme"), await make_key("globex")
    theirs = await make_campaign(client, globex.headers, number=OTHER_NUMBER)

    for path in ("", "/status", "/contacts"):
        response = await client.get(f"/v1/campaigns/{theirs['id']}{path}", headers=acme.headers)
        assert response.status_code == 404, path
    for action in ("pause", "resume", "cancel"):
        response = await client.post(f"/v1/campaigns/{theirs['id']}/{action}", headers=acme.headers)
        assert response.status_code == 404
    response = await launch(client, acme.headers, theirs["id"], [contact(numbers(1)[0])])
    assert response.status_code == 404
    assert (await client.get("/v1/campaigns", headers=acme.headers)).json() == {"campaigns": []}
    body = {"name": "x", "assistant_id": theirs["assistant_id"], "from_number": SANDBOX}
    assert (await client.post("/v1/campaigns", json=body, headers=acme.headers)).status_code == 404


async def test_pause_resume_cancel(client, auth, campaign):
    base = f"/v1/campaigns/{campaign['id']}"
    assert (await client.post(f"{base}/pause", headers=auth)).status_code == 409  # a draft
    await launch(client, auth, campaign["id"], [contact(p) for p in numbers(3)])

    paused = (await client.post(f"{base}/pause", headers=auth)).json()
    resumed = (await client.post(f"{base}/resume", headers=auth)).json()
    cancelled = (await client.post(f"{base}/cancel", headers=auth)).json()

    assert [paused["status"], resumed["status"], cancelled["status"]] == [
        "paused",
        "running",
        "cancelled",
    ]
    assert cancelled["finished_at"] is not None
    status = (await client.get(f"{base}/status", headers=auth)).json()
    assert status["counts"]["skipped"] == 3 and status["progress"] == 1.0
    assert (await client.post(f"{base}/resume", headers=auth)).status_code == 409
    more = await client.post(f"{base}/contacts", json={"contacts": []}, headers=auth)
    assert more.status_code == 409


async def test_contacts_from_csv_and_json_before_the_launch(client, auth, campaign):
    csv = (
        b"Phone,Name,Email,Policy\n"
        b"+919800000001,Rahul,rahul@example.com,POL-1\n"
        b"not-a-number,Asha,,POL-2\n"
        b"+919800000001,Dup,,POL-3\n"
        b"+91 98000 00002,Meera,,POL-4\n"
    )
    base = f"/v1/campaigns/{campaign['id']}"

    uploaded = await client.post(
        f"{base}/contacts/csv", files={"file": ("c.csv", csv, "text/csv")}, headers=auth
    )
    added = await client.post(
        f"{base}/contacts",
        json={"contacts": [contact("+919800000002"), contact("+919800000003")]},
        headers=auth,
    )
    launched = await launch(client, auth, campaign["id"], [])

    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["accepted"] == 2
    assert [(r["row"], r["phone"]) for r in uploaded.json()["rejected"]] == [
        (2, "not-a-number"),
        (3, "+919800000001"),
    ]
    assert added.json()["accepted"] == 1
    assert added.json()["rejected"][0]["reason"] == (
        "duplicate phone number (also in an earlier upload)"
    )
    assert launched.status_code == 201 and launched.json()["total_contacts"] == 3
    listed = (await client.get(f"{base}/contacts", headers=auth)).json()["contacts"]
    assert listed[0]["email"] == "rahul@example.com"
    assert listed[0]["custom_fields"] == {"policy": "POL-1"}


async def test_csv_without_a_phone_column_is_a_400(client, auth, campaign):
    response = await client.post(
        f"/v1/campaigns/{campaign['id']}/contacts/csv",
        files={"file": ("c.csv", b"name,email\nRahul,r@example.com\n", "text/csv")},
        headers=auth,
    )
    assert response.status_code == 400
    assert "phone" in response.json()["error"]["message"]


async def test_campaign_settings_per_workspace(client, make_key):
    acme, globex = await make_key("acme"), await make_key("globex")
    path = "/v1/workspace/campaign-settings"

    default = (await client.get(path, headers=acme.headers)).json()
    changed = await client.patch(
        path, json={"quiet_hours": None, "campaigns_per_assistant": 3}, headers=acme.headers
    )
    partial = await client.patch(
        path, json={"quiet_hours": {"start": "20:00", "end": "10:00"}}, headers=acme.headers
    )

    assert default == {
        "campaigns_per_assistant": 1,
        "quiet_hours": {"start": "21:00", "end": "09:00"},
    }
    assert changed.json() == {"campaigns_per_assistant": 3, "quiet_hours": None}
    assert partial.json() == {
        "campaigns_per_assistant": 3,
        "quiet_hours": {"start": "20:00", "end": "10:00"},
    }
    assert (await client.get(path, headers=globex.headers)).json() == default
    bad = await client.patch(path, json={"campaigns_per_assistant": 0}, headers=acme.headers)
    assert bad.status_code == 400


async def test_a_number_can_carry_a_concurrent_call_limit(client, auth):
    made = await client.post(
        "/v1/numbers", json={"number": OTHER_NUMBER, "concurrent_call_limit": 2}, headers=auth
    )
    assert made.status_code == 201 and made.json()["concurrent_call_limit"] == 2
    bad = await client.post(
        "/v1/numbers", json={"number": SANDBOX, "concurrent_call_limit": 0}, headers=auth
    )
    assert bad.status_code == 400


async def test_a_schedule_already_over_is_a_400(client, auth, campaign):
    past = {"start_time": "2026-02-07T09:00:00+05:30", "end_time": "2026-02-07T18:00:00+05:30"}
    response = await launch(client, auth, campaign["id"], [contact(numbers(1)[0])], schedule=past)
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"field": "schedule.end_time"}
    reversed_ = {"start_time": "2099-02-07T18:00:00+05:30", "end_time": "2099-02-07T09:00:00Z"}
    response = await launch(
        client, auth, campaign["id"], [contact(numbers(1)[0])], schedule=reversed_
    )
    assert response.status_code == 400
