"""The README's path on a real server process: start, get a key, use the API with it."""

import json
import re

import httpx

from tests.fixtures.server import run_cli, running_server

REFERENCE_ASSISTANT = {
    "name": "My Voice Agent",
    "language": "en",
    "prompt": "You are a helpful customer service agent for...",
    "voice": "female-1",
    "first_message": "Hello! Thank you for your time today.",
}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_first_start_prints_an_admin_key_that_works_and_survives_restart(tmp_path):
    with running_server(tmp_path) as server:
        printed = re.findall(r"admin API key, shown only now: (rl_\S+)", server.output())
        assert len(printed) == 1
        key = printed[0]
        created = httpx.post(
            f"{server.base_url}/v1/assistants", json=REFERENCE_ASSISTANT, headers=bearer(key)
        )
        numbers = httpx.get(f"{server.base_url}/v1/numbers", headers=bearer(key)).json()
        assert created.status_code == 201, created.text
        assert numbers["numbers"][0]["number"] == "+918001234567"
        assert numbers["numbers"][0]["carrier"] == "sandbox"

    with running_server(tmp_path) as server:
        assert "shown only now" not in server.output()
        listed = httpx.get(f"{server.base_url}/v1/assistants", headers=bearer(key)).json()
        assert [a["id"] for a in listed["assistants"]] == [created.json()["id"]]


def test_bootstrap_key_can_be_given_in_the_environment(tmp_path):
    key = "rl_given-by-the-operator-0123456789"

    with running_server(tmp_path, RINGLINE_BOOTSTRAP_API_KEY=key) as server:
        response = httpx.get(f"{server.base_url}/v1/keys", headers=bearer(key))

    assert key not in server.output()
    assert response.status_code == 200
    assert [k["scope"] for k in response.json()["keys"]] == ["admin"]


def test_cli_keys_create_list_revoke_against_a_running_server(tmp_path):
    created = run_cli(tmp_path, "keys", "create", "--workspace", "acme", "--scope", "write")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith("rl_") and "created workspace 'acme'" in created.stderr

    table = run_cli(tmp_path, "keys", "list", "--workspace", "acme")
    listed = run_cli(tmp_path, "keys", "list", "--workspace", "acme", "--json")
    assert table.returncode == listed.returncode == 0
    [entry] = json.loads(listed.stdout)["keys"]
    assert entry["prefix"] == key[:10] and entry["prefix"] in table.stdout
    key_id = entry["id"]

    with running_server(tmp_path) as server:
        workspace = httpx.get(f"{server.base_url}/v1/workspace", headers=bearer(key)).json()
        admin_only = httpx.get(f"{server.base_url}/v1/keys", headers=bearer(key))
        assert workspace["name"] == "acme"
        assert admin_only.status_code == 403

        revoked = run_cli(tmp_path, "keys", "revoke", key_id, "--workspace", "acme")
        assert revoked.returncode == 0, revoked.stderr
        refused = httpx.get(f"{server.base_url}/v1/workspace", headers=bearer(key))
        assert refused.status_code == 401


def test_cli_reports_unknown_workspace_and_bad_scope_with_an_exit_code(tmp_path):
    missing = run_cli(tmp_path, "keys", "list", "--workspace", "nobody")
    bad_scope = run_cli(tmp_path, "keys", "create", "--scope", "root")

    assert missing.returncode == 1 and "no workspace named 'nobody'" in missing.stderr
    assert bad_scope.returncode == 2 and "root" in bad_scope.stderr


def test_migrate_command_creates_the_schema(tmp_path):
    result = run_cli(tmp_path, "migrate")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ringline.db").exists()
