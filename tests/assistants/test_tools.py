"""An assistant's HTTP tools through the API: kept as declared, refused when malformed."""

import pytest

from tests.assistants.test_assistants import REFERENCE_BODY, create

ORDER_STATUS = {
    "name": "order_status",
    "description": "Look up where a customer's order is",
    "parameters": {
        "type": "object",
        "properties": {
            "order_id": {
                "type": "string",
                "pattern": "^[0-9]{4}$",
                "description": "The order number",
            }
        },
        "required": ["order_id"],
    },
    "url": "https://shop.example.com/tools/order-status",
}


async def test_a_tool_is_kept_as_declared_with_its_defaults(client, auth):
    assistant = await create(client, auth, tools=[ORDER_STATUS])

    fetched = (await client.get(f"/v1/assistants/{assistant['id']}", headers=auth)).json()

    [tool] = fetched["tools"]
    assert tool["parameters"]["properties"]["order_id"]["pattern"] == "^[0-9]{4}$"
    assert tool["parameters"]["required"] == ["order_id"]
    assert (tool["method"], tool["timeout_seconds"], tool["filler"]) == ("POST", 10.0, True)
    assert tool["filler_message"] == "One moment while I check that."


async def test_an_assistant_without_tools_has_none(client, auth):
    assistant = await create(client, auth)

    assert assistant["tools"] == []


async def test_tools_can_be_replaced_and_removed(client, auth):
    assistant = await create(client, auth, tools=[ORDER_STATUS])
    path = f"/v1/assistants/{assistant['id']}"
    renamed = ORDER_STATUS | {"name": "track_order", "method": "PUT"}

    replaced = await client.patch(path, json={"tools": [renamed]}, headers=auth)
    removed = await client.patch(path, json={"tools": []}, headers=auth)

    assert [t["name"] for t in replaced.json()["tools"]] == ["track_order"]
    assert removed.json()["tools"] == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"name": "end_call"}, "built-in"),
        ({"name": "Order Status"}, "pattern"),
        ({"url": "ftp://shop.example.com/x"}, "http(s)"),
        ({"method": "GET"}, "method"),
        ({"timeout_seconds": 0.1}, "timeout_seconds"),
        ({"headers": {"webhook-signature": "forged"}}, "sets itself"),
        ({"parameters": {"type": "object", "required": ["order_id"]}}, "no property"),
        ({"parameters": {"properties": {"when": {"type": "array"}}}}, "type"),
        ({"parameters": {"properties": {"id": {"type": "string", "pattern": "[0-9"}}}}, "regular"),
        ({"description": ""}, "description"),
    ],
)
async def test_a_malformed_tool_is_a_400_and_nothing_is_made(client, auth, change, problem):
    response = await client.post(
        "/v1/assistants", json=REFERENCE_BODY | {"tools": [ORDER_STATUS | change]}, headers=auth
    )

    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert problem in str(error), error
    assert all(d["field"].startswith("tools") for d in error["details"])
    assert (await client.get("/v1/assistants", headers=auth)).json() == {"assistants": []}


async def test_two_tools_of_one_name_are_refused(client, auth):
    body = REFERENCE_BODY | {"tools": [ORDER_STATUS, ORDER_STATUS]}

    response = await client.post("/v1/assistants", json=body, headers=auth)

    assert response.status_code == 400
    assert "unique" in response.json()["error"]["message"]


async def test_a_tool_aimed_at_the_servers_own_network_is_refused(client, auth):
    assistant = await create(client, auth)
    inside = ORDER_STATUS | {"url": "http://127.0.0.1:9/tools"}

    response = await client.patch(
        f"/v1/assistants/{assistant['id']}", json={"tools": [inside]}, headers=auth
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "tools[0].url"
    fetched = await client.get(f"/v1/assistants/{assistant['id']}", headers=auth)
    assert fetched.json()["tools"] == []
