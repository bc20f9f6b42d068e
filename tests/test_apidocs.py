"""/docs reads well: an introduction, a description for every operation, and real
examples (the API reference's where it has them) for every JSON request body."""

from pathlib import Path
from typing import Any

import pytest

from ringline.app import create_app
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return create_app(make_settings(Path(tmp_path_factory.mktemp("docs")))).openapi()


PATH_VALUES = {
    "assistant_id": "asst_abc123",
    "number_id": "num_abc123",
    "campaign_id": "camp_abc123",
    "stage": "llm",
}


def operations(document: dict[str, Any]):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def strings_in(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return [value] if isinstance(value, str) else []


def test_the_document_opens_with_an_introduction(document):
    introduction = document["info"]["description"]

    assert "Authorization: Bearer <key>" in introduction
    assert "POST /v1/calls/outbound" in introduction and "+918001234567" in introduction


def test_every_operation_has_a_summary_and_a_description(document):
    missing = [
        f"{method} {path}"
        for method, path, operation in operations(document)
        if not operation.get("summary") or not operation.get("description")
    ]

    assert missing == []


async def test_every_json_body_has_an_example_the_server_takes(client, auth, document):
    """Each example is sent to its route: none is refused as an invalid request (a 404
    for the example's IDs is fine: the body was read first)."""
    without, refused, placeholders = [], [], []
    for method, path, operation in operations(document):
        json_body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if json_body is None:
            continue
        example = json_body.get("example")
        if example is None:
            without.append(f"{method} {path}")
            continue
        if "string" in strings_in(example):
            placeholders.append(f"{method} {path}")
        url = path.format(**PATH_VALUES)
        response = await client.request(method, url, json=example, headers=auth)
        message = response.json().get("error", {}).get("message", "")
        if response.status_code == 400 and message.startswith("invalid request"):
            refused.append(f"{method} {path}: {message}")

    assert (without, refused, placeholders) == ([], [], [])


def test_the_reference_examples_are_the_ones_shown(document):
    paths = document["paths"]

    def example(path: str, method: str = "post") -> Any:
        return paths[path][method]["requestBody"]["content"]["application/json"]["example"]

    outbound = example("/v1/calls/outbound")
    assert outbound["dynamic_variables"]["customer_name"] == "Rahul"
    assert outbound["webhook_url"] == "https://optional-per-call-webhook.example.com/callback"
    assert example("/v1/campaigns/launch")["contacts"][0]["custom_fields"] == {
        "policy_number": "POL-456"
    }
    assert example("/v1/assistants")["voice"] == "female-1"
    assert example("/v1/webcall/token")["visitor_info"]["name"] == "Website Visitor"
    status = paths["/v1/calls/{call_id}/status"]["get"]["responses"]["200"]["content"]
    assert status["application/json"]["example"]["disposition"] == "interested"
