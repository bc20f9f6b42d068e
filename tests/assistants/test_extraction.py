"""An assistant's extraction fields: kept as sent, and refused with a 400 naming the
problem when extraction could not fill them."""

import pytest

from ringline.assistants.extraction import check_schema
from tests.assistants.test_assistants import REFERENCE_BODY, create

FIELDS = {
    "type": "object",
    "properties": {
        "policy_number": {"type": "string", "pattern": "^PN[0-9]{6}$"},
        "callback_time": {"type": "string", "format": "date-time"},
        "objection": {"type": "string", "enum": ["price", "timing"]},
    },
    "required": ["policy_number"],
}


async def test_extraction_is_empty_until_set_and_kept_as_set(client, auth):
    assistant = await create(client, auth)

    changed = await client.patch(
        f"/v1/assistants/{assistant['id']}", json={"extraction": FIELDS}, headers=auth
    )
    fetched = await client.get(f"/v1/assistants/{assistant['id']}", headers=auth)

    assert assistant["extraction"] == {}
    assert changed.status_code == 200 and changed.json()["extraction"] == FIELDS
    assert fetched.json()["extraction"] == FIELDS
    assert (await create(client, auth, extraction=FIELDS))["extraction"] == FIELDS


@pytest.mark.parametrize(
    ("extraction", "problem"),
    [
        ({"type": "object", "properties": {"Policy No": {"type": "string"}}}, "snake_case"),
        ({"type": "object", "properties": {"n": {"type": "strin"}}}, "not a valid JSON schema"),
        ({"type": "object", "properties": {"n": {"type": "object"}}}, "needs a type"),
        ({"type": "array", "items": {}}, '"type": "object"'),
    ],
)
async def test_a_bad_schema_is_a_400_that_changes_nothing(client, auth, extraction, problem):
    made = await client.post(
        "/v1/assistants", json=REFERENCE_BODY | {"extraction": extraction}, headers=auth
    )
    assistant = await create(client, auth, extraction=FIELDS)
    patched = await client.patch(
        f"/v1/assistants/{assistant['id']}", json={"extraction": extraction}, headers=auth
    )

    for response in (made, patched):
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "bad_request"
        assert [d["field"] for d in error["details"]] == ["extraction"]
        assert problem in error["details"][0]["problem"]
    listed = (await client.get("/v1/assistants", headers=auth)).json()["assistants"]
    assert [a["extraction"] for a in listed] == [FIELDS]


@pytest.mark.parametrize(
    ("schema", "problem"),
    [
        ({"type": "array"}, '"type": "object"'),
        ({"type": "object", "properties": {}}, "1 to 30"),
        ({"type": "object", "properties": {"Policy No": {"type": "string"}}}, "snake_case"),
        ({"type": "object", "properties": {"items": {"type": "array"}}}, "needs a type"),
        ({"type": "object", "properties": {"n": {"type": "integer", "enum": ["a"]}}}, "enum"),
        ({"type": "object", "properties": {"n": {"type": "strin"}}}, "valid JSON schema"),
        ({"type": "object", "properties": {"n": {"type": "string"}}, "required": ["m"]}, "'m'"),
        (
            {"type": "object", "properties": {"n": {"type": "string", "pattern": "\\p{L}"}}},
            "pattern",
        ),
        (
            {
                "type": "object",
                "properties": {"n": {"type": "string", "description": "x" * 20_001}},
            },
            "longer than",
        ),
        (
            {"type": "object", "properties": {f"f{i}": {"type": "string"} for i in range(31)}},
            "1 to 30",
        ),
    ],
)
def test_a_schema_extraction_cannot_fill_is_refused(schema, problem) -> None:
    with pytest.raises(ValueError) as error:
        check_schema(schema)
    assert problem in str(error.value)
