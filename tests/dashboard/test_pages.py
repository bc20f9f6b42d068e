"""The overview, the calls and the live calls pages show what the API answers."""

import re
from datetime import UTC, datetime

from ringline.models import CallTurn
from tests.dashboard.signing import sign_in
from tests.fixtures.rows import assistant_in, call_row

DAY = datetime(2026, 3, 4, 10, tzinfo=UTC)


async def _history(session, workspace_id):
    assistant = await assistant_in(session, workspace_id)
    rows = [
        call_row(
            workspace_id,
            assistant.id,
            status="completed",
            duration_seconds=60,
            disposition="booked",
            created_at=DAY,
        ),
        call_row(
            workspace_id,
            assistant.id,
            status="completed",
            duration_seconds=121,
            disposition="callback",
            created_at=DAY,
        ),
        call_row(workspace_id, assistant.id, status="no-answer", created_at=DAY),
        call_row(workspace_id, assistant.id, status="in-progress", created_at=DAY),
    ]
    session.add_all(rows)
    await session.flush()
    return assistant, rows


def _shown(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert found, element_id
    return found.group(1)


async def test_the_overview_shows_the_analytics_apis_numbers(client, make_key, session):
    caller = await make_key()
    assistant, _ = await _history(session, caller.workspace_id)
    await sign_in(client, caller.headers)
    query = {"from": "2026-03-01", "to": "2026-03-07", "assistant_id": assistant.id}

    api = (await client.get("/v1/analytics", params=query, headers=caller.headers)).json()
    html = (await client.get("/dashboard/", params=query)).text

    assert _shown(html, "total-calls") == str(api["total_calls"]) == "4"
    assert _shown(html, "completed") == str(api["completed"])
    assert _shown(html, "answer-rate") == "50.0%"
    assert f'data-seconds="{api["avg_duration_seconds"]}"' in html
    assert "<title>2026-03-04: 4</title>" in html and "<title>2026-03-05: 0</title>" in html
    assert all(f"<th>{label}</th><td>{n}</td>" in html for label, n in api["dispositions"].items())


async def test_a_reversed_range_is_said_not_crashed_on(client, auth):
    await sign_in(client, auth)
    response = await client.get("/dashboard/", params={"from": "2026-03-09", "to": "2026-03-01"})

    assert response.status_code == 400 and "start date" in response.text


async def test_the_calls_page_lists_what_the_history_api_lists(client, make_key, session):
    caller = await make_key()
    await _history(session, caller.workspace_id)
    await sign_in(client, caller.headers)
    query = {"status": "completed"}

    api = (await client.get("/v1/calls/history", params=query, headers=caller.headers)).json()
    html = (await client.get("/dashboard/calls", params=query)).text
    listed = re.findall(r'href="/dashboard/calls/(call_\w+)"', html)

    assert listed == [call["call_id"] for call in api["calls"]]
    assert f"{api['total']} calls" in html


async def test_a_call_page_has_its_timeline_transcript_and_latency(client, make_key, session):
    caller = await make_key()
    _, rows = await _history(session, caller.workspace_id)
    call = rows[0]
    session.add_all(
        [
            CallTurn(
                call_id=call.id,
                seq=0,
                role="agent",
                text="Hello there.",
                start_seconds=0.0,
                end_seconds=1.0,
                latency={"total": 0.42},
            ),
            CallTurn(
                call_id=call.id,
                seq=1,
                role="customer",
                text="Hi.",
                start_seconds=1.5,
                end_seconds=2.0,
            ),
        ]
    )
    call.summary, call.answered_at, call.ended_at = "Booked a cleaning.", DAY, DAY
    await session.flush()
    await sign_in(client, caller.headers)

    html = (await client.get(f"/dashboard/calls/{call.id}")).text

    assert "Hello there." in html and "Hi." in html and "total 0.42 s" in html
    assert "Booked a cleaning." in html and "booked" in html
    assert [step for step in ("placed", "answered", "completed") if f"<strong>{step}" in html] == [
        "placed",
        "answered",
        "completed",
    ]


async def test_a_call_page_shows_the_tools_called_and_the_call_back(client, make_key, session):
    caller = await make_key()
    _, rows = await _history(session, caller.workspace_id)
    call, later = rows[0], rows[2]
    call.tool_calls = [
        {
            "name": "order_status",
            "arguments": {"order_id": "4521"},
            "result": {"say": "Friday"},
            "error": None,
            "duration_ms": 212,
        },
        {
            "name": "order_status",
            "arguments": {},
            "result": None,
            "error": "the endpoint answered HTTP 500",
            "duration_ms": 35,
        },
    ]
    call.callback_requested, call.callback_at, call.callback_call_id = "tomorrow", DAY, later.id
    later.callback_of = call.id
    await session.flush()
    await sign_in(client, caller.headers)

    html = (await client.get(f"/dashboard/calls/{call.id}")).text
    asking = (await client.get(f"/dashboard/calls/{later.id}")).text

    table = html[html.index('id="tool-calls"') :]
    assert "order_status" in table and "4521" in table and "212 ms" in table
    assert "the endpoint answered HTTP 500" in table
    assert "asked for tomorrow" in html and f'href="/dashboard/calls/{later.id}"' in html
    assert f'href="/dashboard/calls/{call.id}"' in asking


async def test_live_calls_show_only_calls_in_progress_and_end_them(client, make_key, session):
    caller = await make_key()
    _, rows = await _history(session, caller.workspace_id)
    live = rows[3]
    csrf = await sign_in(client, caller.headers)

    feed = (await client.get("/dashboard/live/feed")).text
    ended = await client.post(f"/dashboard/calls/{live.id}/end", data={"csrf_token": csrf})
    await session.refresh(live)

    assert re.findall(r'data-call-id="(call_\w+)"', feed) == [live.id]
    assert ended.status_code == 303 and live.end_requested_at is not None


async def test_a_call_page_shows_what_the_call_extracted(client, make_key, session):
    caller = await make_key()
    _, rows = await _history(session, caller.workspace_id)
    rows[0].extracted = {"policy_number": "PN482913", "wants_renewal": False}
    await session.flush()
    await sign_in(client, caller.headers)

    html = (await client.get(f"/dashboard/calls/{rows[0].id}")).text
    without = (await client.get(f"/dashboard/calls/{rows[1].id}")).text

    assert _shown(html, "extracted-policy_number") == "PN482913"
    assert _shown(html, "extracted-wants_renewal") == "false"
    assert 'id="call-extracted"' not in without
