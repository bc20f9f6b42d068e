import pytest

SANDBOX = "+918001234567"
OTHER_NUMBER = "+918001234568"


def contact(phone: str, name: str = "Rahul", **fields: object) -> dict:
    return {"phone": phone, "name": name, "custom_fields": {"policy": "POL-456"}} | fields


def numbers(count: int, start: int = 0) -> list[str]:
    return [f"+9198{i:08d}" for i in range(start, start + count)]


async def make_campaign(client, headers, number: str = SANDBOX, **fields) -> dict:
    """An assistant needing {{name}} and {{policy}}, a number, and a draft campaign."""
    assistant = (
        await client.post(
            "/v1/assistants",
            json={
                "name": "Renewals",
                "prompt": "You call {{name}} about policy {{policy}}.",
                "first_message": "Hello {{name}}!",
            },
            headers=headers,
        )
    ).json()
    await client.post("/v1/numbers", json={"number": number}, headers=headers)
    body = {"name": "Renewals", "assistant_id": assistant["id"], "from_number": number} | fields
    response = await client.post("/v1/campaigns", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
async def campaign(client, auth) -> dict:
    return await make_campaign(client, auth)
