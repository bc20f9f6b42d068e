import httpx
import pytest

from tests.conftest import KeyMaker

REFERENCE_BODY = {
    "name": "My Voice Agent",
    "language": "en",
    "prompt": "You are a helpful customer service agent for...",
    "voice": "female-1",
    "first_message": "Hello! Thank you for your time today.",
}


async def create(client: httpx.AsyncClient, auth: dict[str, str], **fields: object) -> dict:
    response = await client.post("/v1/assistants", json=REFERENCE_BODY | fields, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_accepts_the_reference_body_as_written(client, auth):
    assistant = await create(client, auth)

    assert assistant["id"].startswith("asst_")
    assert {k: assistant[k] for k in REFERENCE_BODY} == REFERENCE_BODY
    assert assistant["status"] == "active"
    assert assistant["created_at"].endswith("Z")
    assert assistant["dispositions"] == [
        "interested",
        "not_interested",
        "callback_requested",
        "other",
    ]


async def test_get_and_list_return_what_was_created(client, auth):
    first = await create(client, auth, name="First")
    second = await create(client, auth, name="Second", language="en-hi")

    fetched = await client.get(f"/v1/assistants/{second['id']}", headers=auth)
    listed = await client.get("/v1/assistants", headers=auth)

    assert fetched.json() == second
    assert [a["id"] for a in listed.json()["assistants"]] == [first["id"], second["id"]]
    assert {"id", "name", "language", "status", "created_at"} <= set(listed.json()["assistants"][0])


async def test_patch_changes_only_the_fields_sent(client, auth):
    assistant = await create(client, auth)

    response = await client.patch(
        f"/v1/assistants/{assistant['id']}",
        json={"voice": "male-1", "dispositions": ["sale", "no_sale"]},
        headers=auth,
    )

    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["voice"] == "male-1"
    assert changed["dispositions"] == ["sale", "no_sale"]
    assert changed["prompt"] == assistant["prompt"]
    assert changed["name"] == assistant["name"]
    again = await client.get(f"/v1/assistants/{assistant['id']}", headers=auth)
    assert again.json()["voice"] == "male-1"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"language": "klingon"}, "language"),
        ({"voice": "robot-9"}, "voice"),
        ({"prompt": ""}, "prompt"),
        ({"first_message": "x" * 2001}, "first_message"),
        ({"status": "deleted"}, "status"),
        ({"dispositions": ["Not Snake"]}, "dispositions"),
        ({"dispositions": ["a", "a"]}, "dispositions"),
        ({"max_call_duration_seconds": 5}, "max_call_duration_seconds"),
        ({"variable_defaults": {"1bad": "x"}}, "variable_defaults"),
        ({"colour": "blue"}, "colour"),
        ({"voicemail": {"detect": True, "action": "leave_message"}}, "voicemail"),
        ({"voicemail": {"detect": True, "action": "sing"}}, "voicemail"),
    ],
)
async def test_invalid_create_is_a_400_naming_the_field(client, auth, body, field):
    response = await client.post("/v1/assistants", json=REFERENCE_BODY | body, headers=auth)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_request"
    assert field in error["message"]
    assert [d["field"].split(".")[0] for d in error["details"]] == [field]
    assert (await client.get("/v1/assistants", headers=auth)).json() == {"assistants": []}


async def test_missing_required_fields_are_each_named(client, auth):
    response = await client.post("/v1/assistants", json={"voice": "female-1"}, headers=auth)

    assert response.status_code == 400
    assert {d["field"] for d in response.json()["error"]["details"]} == {"name", "prompt"}


async def test_malformed_json_is_a_400(client, auth):
    response = await client.post(
        "/v1/assistants",
        content=b'{"name": ',
        headers=auth | {"Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]["details"][0]["problem"]


async def test_patch_refuses_null_for_a_required_field_and_changes_nothing(client, auth):
    assistant = await create(client, auth)

    response = await client.patch(
        f"/v1/assistants/{assistant['id']}", json={"name": None, "voice": "male-2"}, headers=auth
    )

    assert response.status_code == 400
    assert "name" in response.json()["error"]["message"]
    unchanged = await client.get(f"/v1/assistants/{assistant['id']}", headers=auth)
    assert unchanged.json()["voice"] == "female-1"


async def test_unknown_assistant_is_a_404(client, auth):
    for response in [
        await client.get("/v1/assistants/asst_missing", headers=auth),
        await client.patch("/v1/assistants/asst_missing", json={"name": "x"}, headers=auth),
    ]:
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


async def test_another_workspace_cannot_see_or_change_an_assistant(client, make_key: KeyMaker):
    acme, globex = (await make_key("acme")).headers, (await make_key("globex")).headers
    assistant = await create(client, acme)

    assert (await client.get("/v1/assistants", headers=globex)).json() == {"assistants": []}
    seen = await client.get(f"/v1/assistants/{assistant['id']}", headers=globex)
    missing = await client.get("/v1/assistants/asst_doesnotexist00", headers=globex)
    patched = await client.patch(
        f"/v1/assistants/{assistant['id']}", json={"name": "stolen"}, headers=globex
    )

    assert seen.status_code == patched.status_code == 404
    assert seen.json()["error"]["code"] == missing.json()["error"]["code"]
    mine = await client.get(f"/v1/assistants/{assistant['id']}", headers=acme)
    assert mine.json()["name"] == REFERENCE_BODY["name"]


async def test_voices_catalog_names_every_bundled_mapping(client, auth):
    response = await client.get("/v1/voices", headers=auth)

    voices = {voice["name"]: voice for voice in response.json()["voices"]}
    assert {"female-1", "male-1"} <= set(voices)
    assert all(voice["providers"]["piper"] == "joe" for voice in voices.values())


async def test_voicemail_detection_is_off_until_set_and_kept_as_set(client, auth):
    assistant = await create(client, auth)
    voicemail = {"detect": True, "action": "leave_message", "message": "Hi {{name}}, call us."}

    changed = await client.patch(
        f"/v1/assistants/{assistant['id']}", json={"voicemail": voicemail}, headers=auth
    )

    assert assistant["voicemail"] == {"detect": False, "action": "hang_up", "message": ""}
    assert changed.status_code == 200 and changed.json()["voicemail"] == voicemail
