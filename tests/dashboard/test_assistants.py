"""Assistants from the dashboard: created and edited through the assistants service."""

from ringline.assistants.service import get_assistant, list_assistants
from tests.dashboard.signing import sign_in

FORM = {
    "name": "Receptionist",
    "prompt": "You answer for {{clinic}}.",
    "first_message": "Hello from {{clinic}}.",
    "voice": "female-1",
    "language": "en",
    "status": "active",
    "dispositions": "booked\nnot_interested",
    "variables": "clinic=Acme Dental",
}


async def test_an_operator_creates_and_edits_an_assistant(client, make_key, session):
    caller = await make_key()
    csrf = await sign_in(client, caller.headers)

    made = await client.post("/dashboard/assistants/new", data=FORM | {"csrf_token": csrf})
    assistant_id = made.headers["location"].rsplit("/", 1)[1]
    edit = FORM | {"csrf_token": csrf, "prompt": "Be brief.", "dispositions": "booked"}
    edited = await client.post(f"/dashboard/assistants/{assistant_id}", data=edit)
    assistant = await get_assistant(session, caller.workspace_id, assistant_id)
    shown = (await client.get("/dashboard/assistants")).text

    assert made.status_code == edited.status_code == 303
    assert assistant.prompt == "Be brief." and assistant.dispositions == ["booked"]
    assert assistant.variable_defaults == {"clinic": "Acme Dental"}
    assert f'href="/dashboard/assistants/{assistant_id}"' in shown


async def test_an_invalid_assistant_is_shown_back_with_its_problems(client, make_key, session):
    caller = await make_key()
    csrf = await sign_in(client, caller.headers)

    refused = await client.post(
        "/dashboard/assistants/new", data=FORM | {"csrf_token": csrf, "voice": "nobody"}
    )

    assert refused.status_code == 400 and "voice" in refused.text
    assert "You answer for {{clinic}}." in refused.text  # what was typed is kept
    assert await list_assistants(session, caller.workspace_id) == []


async def test_talk_to_it_gets_a_one_time_web_call_token(client, make_key):
    caller = await make_key()
    csrf = await sign_in(client, caller.headers)
    made = await client.post("/dashboard/assistants/new", data=FORM | {"csrf_token": csrf})
    page_url = made.headers["location"]

    page = (await client.get(page_url)).text
    token = await client.post(f"{page_url}/webcall-token", data={"csrf_token": csrf})
    forged = await client.post(f"{page_url}/webcall-token", data={})

    assert 'id="talk"' in page and 'src="/widget.js"' in page
    assert token.status_code == 200 and token.json()["token"].startswith("wct.")
    assert forged.status_code == 403
