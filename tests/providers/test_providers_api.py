import pytest
from sqlalchemy import select

from ringline.auth.scopes import Scope
from ringline.models import VoiceProvider
from ringline.providers import crypto
from ringline.providers.service import hosted_services
from tests.conftest import KeyMaker

LLM = {"base_url": "https://api.groq.com/openai/v1", "model": "llama-3.1-8b", "api_key": "gsk_1"}
TTS = {"base_url": "https://api.openai.com/v1", "model": "tts-1", "voice": "nova", "api_key": "k"}


async def test_a_stage_set_is_listed_without_its_key(client, make_key: KeyMaker):
    admin = await make_key("acme", scope=Scope.admin)

    put = await client.put("/v1/workspace/providers/llm", json=LLM, headers=admin.headers)
    listed = await client.get("/v1/workspace/providers", headers=admin.headers)

    assert put.status_code == 200, put.text
    assert put.json()["base_url"] == "https://api.groq.com/openai/v1"
    assert listed.json()["providers"] == [put.json()]
    assert "api_key" not in put.text and "gsk_1" not in listed.text


async def test_the_key_is_stored_encrypted_and_read_back_for_calls(
    client, make_key: KeyMaker, session, settings
):
    admin = await make_key("acme", scope=Scope.admin)
    await client.put("/v1/workspace/providers/tts", json=TTS, headers=admin.headers)

    stored = await session.scalar(select(VoiceProvider.api_key_encrypted))
    secret = settings.secret_key.get_secret_value()
    services = await hosted_services(session, admin.workspace_id, secret)

    assert stored != "k" and crypto.decrypt(secret, stored) == "k"
    assert services["tts"].api_key == "k" and services["tts"].voice == "nova"


async def test_setting_a_stage_again_replaces_it(client, make_key: KeyMaker):
    admin = await make_key("acme", scope=Scope.admin)
    await client.put("/v1/workspace/providers/llm", json=LLM, headers=admin.headers)

    await client.put(
        "/v1/workspace/providers/llm", json=LLM | {"model": "mixtral"}, headers=admin.headers
    )
    listed = (await client.get("/v1/workspace/providers", headers=admin.headers)).json()

    assert [p["model"] for p in listed["providers"]] == ["mixtral"]


async def test_removing_a_stage_goes_back_to_the_bundled_model(client, make_key: KeyMaker):
    admin = await make_key("acme", scope=Scope.admin)
    await client.put("/v1/workspace/providers/llm", json=LLM, headers=admin.headers)

    first = await client.delete("/v1/workspace/providers/llm", headers=admin.headers)
    again = await client.delete("/v1/workspace/providers/llm", headers=admin.headers)
    listed = (await client.get("/v1/workspace/providers", headers=admin.headers)).json()

    assert first.status_code == 204 and again.status_code == 404
    assert listed == {"providers": []}


async def test_bad_settings_are_refused_naming_the_field(client, make_key: KeyMaker):
    admin = await make_key("acme", scope=Scope.admin)
    cases = {
        "tts": (TTS | {"voice": None}, "voice"),
        "llm": (LLM | {"voice": "nova"}, "voice"),
        "stt": (LLM | {"base_url": "ftp://x"}, "base_url"),
        "asr": (LLM, "stage"),
    }

    for stage, (body, field) in cases.items():
        response = await client.put(
            f"/v1/workspace/providers/{stage}", json=body, headers=admin.headers
        )
        assert response.status_code == 400, (stage, response.text)
        assert field in response.text, (stage, response.text)
    listed = (await client.get("/v1/workspace/providers", headers=admin.headers)).json()
    assert listed == {"providers": []}


async def test_only_admins_set_providers_and_workspaces_see_only_their_own(
    client, make_key: KeyMaker
):
    writer = await make_key("acme", scope=Scope.write)
    globex = await make_key("globex", scope=Scope.admin)
    await client.put("/v1/workspace/providers/llm", json=LLM, headers=globex.headers)

    refused = await client.put("/v1/workspace/providers/llm", json=LLM, headers=writer.headers)
    seen = await client.get("/v1/workspace/providers", headers=writer.headers)

    assert refused.status_code == 403
    assert seen.json() == {"providers": []}


def test_a_key_stored_under_another_secret_is_reported_unreadable():
    token = crypto.encrypt("old secret", "sk-1")

    with pytest.raises(crypto.UnreadableKey):
        crypto.decrypt("new secret", token)
