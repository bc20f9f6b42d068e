"""Routes the server does not serve yet, against a scripted server answering their
decided shapes: what the SDK sends (method, path, query, body) and what it reads back."""

from datetime import UTC, date, datetime

from ringline.sdk import (
    CallHistory,
    CampaignLaunch,
    CampaignStatus,
    OutboundCall,
    Transcript,
    WebcallToken,
    Webhook,
)
from tests.sdk.support import Connect, Reply, ScriptedServer, call, collect


def record(n: int) -> dict[str, object]:
    return {
        "call_id": f"call_{n}",
        "status": "completed",
        "duration_seconds": 60 + n,
        "disposition": "interested",
        "summary": "ok",
        "ended_at": "2026-02-06T14:32:25Z",
        "to_number": "+919876543210",
        "from_number": "+918001234567",
        "assistant_id": "asst_1",
        "campaign_id": None,
        "created_at": "2026-02-06T14:30:00Z",
    }


async def test_create_outbound(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(
        Reply(
            json={
                "call_id": "call_xyz789",
                "status": "initiated",
                "to_number": "+919876543210",
                "from_number": "+918001234567",
                "assistant_id": "asst_abc123",
                "created_at": "2026-02-06T14:30:00Z",
            }
        )
    )

    made = await call(
        client.calls.create_outbound,
        assistant_id="asst_abc123",
        to_number="+919876543210",
        from_number="+918001234567",
        dynamic_variables={"customer_name": "Rahul"},
        webhook_url="https://crm.example.com/hook",
        idempotency_key="order-12345",
    )

    sent = scripted.received[0]
    assert (sent.method, sent.path) == ("POST", "/v1/calls/outbound")
    assert sent.headers["idempotency-key"] == "order-12345"
    assert sent.headers["authorization"] == "Bearer k"
    assert sent.json() == {
        "assistant_id": "asst_abc123",
        "to_number": "+919876543210",
        "from_number": "+918001234567",
        "dynamic_variables": {"customer_name": "Rahul"},
        "webhook_url": "https://crm.example.com/hook",
    }
    assert isinstance(made, OutboundCall)
    assert made.created_at == datetime(2026, 2, 6, 14, 30, tzinfo=UTC)


async def test_status_keeps_unknown_fields(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(
        Reply(
            json={
                "call_id": "call_1",
                "status": "completed",
                "duration_seconds": 145,
                "disposition": "interested",
                "summary": "Interested.",
                "ended_at": "2026-02-06T14:32:25Z",
                "recording_available": True,
            }
        )
    )

    status = await call(client.calls.status, "call_1")

    assert (scripted.received[0].method, scripted.received[0].path) == (
        "GET",
        "/v1/calls/call_1/status",
    )
    assert (status.status, status.duration_seconds, status.disposition) == (
        "completed",
        145,
        "interested",
    )
    assert status.recording_available is True
    assert status.model_extra == {"recording_available": True}


async def test_transcript(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(
        Reply(
            json={
                "call_id": "call_1",
                "language": "en-hi",
                "transcript": [
                    {"role": "agent", "text": "Hello Rahul", "start": 0.0, "end": 1.2},
                    {"role": "customer", "text": "Yes?", "start": 1.5, "end": 2.0},
                ],
            }
        )
    )

    transcript = await call(client.calls.transcript, "call_1")

    assert scripted.received[0].path == "/v1/calls/call_1/transcript"
    assert isinstance(transcript, Transcript)
    assert [(t.role, t.start, t.end) for t in transcript.transcript] == [
        ("agent", 0.0, 1.2),
        ("customer", 1.5, 2.0),
    ]


async def test_end_with_and_without_body(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(Reply(json={"call_id": "call_1", "status": "completed"}), Reply(204))

    ended = await call(client.calls.end, "call_1")
    bare = await call(client.calls.end, "call_2")

    assert [(r.method, r.path) for r in scripted.received] == [
        ("POST", "/v1/calls/call_1/end"),
        ("POST", "/v1/calls/call_2/end"),
    ]
    assert ended.status == "completed"
    assert (bare.call_id, bare.status) == ("call_2", None)


async def test_recording_returns_wav_bytes(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    wav = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(16))
    scripted.script(Reply(body=wav, headers={"Content-Type": "audio/wav"}))

    audio = await call(client.calls.recording, "call_1")

    sent = scripted.received[0]
    assert (sent.method, sent.path, sent.headers["accept"]) == (
        "GET",
        "/v1/calls/call_1/recording",
        "audio/wav",
    )
    assert audio == wav


async def test_history_sends_filters(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(Reply(json={"calls": [record(1)], "total": 1, "limit": 50, "offset": 10}))

    history = await call(
        client.calls.history,
        limit=50,
        offset=10,
        from_=date(2026, 2, 1),
        to="2026-02-06",
        assistant_id="asst_1",
        status="completed",
        disposition="interested",
    )

    sent = scripted.received[0]
    assert (sent.method, sent.path) == ("GET", "/v1/calls/history")
    assert sent.query == {
        "limit": ["50"],
        "offset": ["10"],
        "from": ["2026-02-01"],
        "to": ["2026-02-06"],
        "assistant_id": ["asst_1"],
        "status": ["completed"],
        "disposition": ["interested"],
    }
    assert isinstance(history, CallHistory) and history.total == 1
    assert (history.calls[0].to_number, history.calls[0].campaign_id) == ("+919876543210", None)


async def test_history_sends_no_filters_when_none_given(
    connect: Connect, scripted: ScriptedServer
) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(Reply(json={"calls": [], "total": 0, "limit": 20, "offset": 0}))

    await call(client.calls.history)

    assert scripted.received[0].query == {}


async def test_iter_history_pages_through_everything(
    connect: Connect, scripted: ScriptedServer
) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(
        *[
            Reply(
                json={"calls": [record(n) for n in page], "total": 5, "limit": 2, "offset": start}
            )
            for start, page in [(0, [1, 2]), (2, [3, 4]), (4, [5])]
        ]
    )

    calls = await collect(client.calls.iter_history(page_size=2, status="completed"))

    assert [c.call_id for c in calls] == [f"call_{n}" for n in range(1, 6)]
    assert [
        (r.query["offset"], r.query["limit"], r.query["status"]) for r in scripted.received
    ] == [
        (["0"], ["2"], ["completed"]),
        (["2"], ["2"], ["completed"]),
        (["4"], ["2"], ["completed"]),
    ]


async def test_iter_history_without_total_stops_on_short_page(
    connect: Connect, scripted: ScriptedServer
) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(
        Reply(json={"calls": [record(1), record(2)], "limit": 2}),
        Reply(json={"calls": [record(3)], "limit": 2}),
    )

    calls = await collect(client.calls.iter_history(page_size=2))

    assert len(calls) == 3 and len(scripted.received) == 2


async def test_analytics(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(
        Reply(
            json={
                "total_calls": 1250,
                "completed": 980,
                "failed": 45,
                "no_answer": 225,
                "avg_duration_seconds": 132,
                "dispositions": {"interested": 420, "other": 100},
            }
        )
    )

    analytics = await call(
        client.analytics.get, "2026-02-01", datetime(2026, 2, 6, 18, 0), assistant_id="asst_1"
    )

    sent = scripted.received[0]
    assert (sent.method, sent.path) == ("GET", "/v1/analytics")
    assert sent.query == {
        "from": ["2026-02-01"],
        "to": ["2026-02-06T18:00:00"],
        "assistant_id": ["asst_1"],
    }
    assert (analytics.total_calls, analytics.dispositions["interested"]) == (1250, 420)


async def test_campaigns_list_and_status(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(
        Reply(json={"campaigns": [{"id": "camp_1", "name": "Renewals", "status": "running"}]}),
        Reply(
            json={
                "campaign_id": "camp_1",
                "status": "running",
                "counts": {"completed": 3, "pending": 7},
                "progress": 0.3,
                "dispositions": {"interested": 2},
                "started_at": "2026-02-07T03:30:00Z",
                "finished_at": None,
                "estimated_finish_at": "2026-02-07T05:00:00Z",
            }
        ),
    )

    campaigns = await call(client.campaigns.list)
    status = await call(client.campaigns.status, "camp_1")

    assert [(r.method, r.path) for r in scripted.received] == [
        ("GET", "/v1/campaigns"),
        ("GET", "/v1/campaigns/camp_1/status"),
    ]
    assert campaigns.campaigns[0].id == "camp_1"
    assert isinstance(status, CampaignStatus)
    assert (status.progress, status.counts["pending"], status.finished_at) == (0.3, 7, None)


async def test_campaign_launch(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(
        Reply(
            json={
                "campaign_id": "camp_1",
                "status": "scheduled",
                "accepted": 1,
                "rejected": [{"row": 2, "phone": "12", "reason": "not a phone number"}],
            }
        )
    )
    contacts = [
        {"phone": "+919876543210", "name": "Rahul", "custom_fields": {"policy_number": "POL-456"}},
        {"phone": "12"},
    ]
    schedule = {"start_time": "2026-02-07T09:00:00+05:30", "timezone": "Asia/Kolkata"}

    launched = await call(client.campaigns.launch, "camp_1", contacts, schedule=schedule)

    sent = scripted.received[0]
    assert (sent.method, sent.path) == ("POST", "/v1/campaigns/launch")
    assert sent.json() == {"campaign_id": "camp_1", "contacts": contacts, "schedule": schedule}
    assert sent.headers["idempotency-key"]
    assert isinstance(launched, CampaignLaunch)
    assert (launched.accepted, launched.rejected[0].reason) == (1, "not a phone number")


async def test_webhooks_create_list_delete(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    hook = {
        "id": "wh_1",
        "url": "https://crm.example.com/hook",
        "events": ["call.completed"],
        "secret": "whsec_c2VjcmV0",
        "status": "active",
        "created_at": "2026-02-06T00:00:00Z",
    }
    scripted.script(Reply(201, hook), Reply(json={"webhooks": [hook]}), Reply(204))

    created = await call(client.webhooks.create, hook["url"], ("call.completed",))
    listed = await call(client.webhooks.list)
    deleted = await call(client.webhooks.delete, "wh_1")

    assert [(r.method, r.path) for r in scripted.received] == [
        ("POST", "/v1/webhooks"),
        ("GET", "/v1/webhooks"),
        ("DELETE", "/v1/webhooks/wh_1"),
    ]
    assert scripted.received[0].json() == {"url": hook["url"], "events": ["call.completed"]}
    assert isinstance(created, Webhook) and created.secret == "whsec_c2VjcmV0"
    assert listed.webhooks[0].id == "wh_1"
    assert deleted is None


async def test_webhook_create_sends_secret(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(Reply(201, {"id": "wh_1", "url": "https://x.example/h"}))

    await call(
        client.webhooks.create,
        "https://x.example/h",
        ["call.failed"],
        secret="s3cret",
        idempotency_key="hook-1",
    )

    sent = scripted.received[0]
    assert sent.json()["secret"] == "s3cret" and sent.headers["idempotency-key"] == "hook-1"


async def test_webcall_token(connect: Connect, scripted: ScriptedServer) -> None:
    client = connect(api_key="k", base_url=scripted.url)
    scripted.script(
        Reply(
            json={
                "token": "wct_abc",
                "expires_at": "2026-02-06T14:40:00Z",
                "assistant_id": "asst_1",
            }
        )
    )
    visitor = {"name": "Website Visitor", "page_url": "https://example.com/pricing"}

    token = await call(client.webcall.create_token, "asst_1", visitor)

    sent = scripted.received[0]
    assert (sent.method, sent.path) == ("POST", "/v1/webcall/token")
    assert sent.json() == {"assistant_id": "asst_1", "visitor_info": visitor}
    assert isinstance(token, WebcallToken) and token.token == "wct_abc"
