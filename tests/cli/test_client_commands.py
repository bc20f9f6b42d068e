"""The client commands, run as ``python -m ringline ...`` against a real server process."""

import json
import re

import httpx
import pytest

from tests.fixtures.server import cli_client, ok_json, running_server

KEY = "rl_cli-client-tests-admin-key-0123456789"
SANDBOX_NUMBER = "+918001234567"
BUSY_NUMBER = "+919812340001"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("cli")
    with running_server(
        data_dir,
        RINGLINE_BOOTSTRAP_API_KEY=KEY,
        RINGLINE_ALLOW_PRIVATE_WEBHOOKS="true",
        RINGLINE_SANDBOX_RING_SECONDS="0.2",
        RINGLINE_RATE_LIMIT="100000/minute",
    ) as running:
        running.data_dir = data_dir
        yield running


@pytest.fixture(scope="module")
def cli(server):
    return cli_client(server, server.data_dir, KEY)


@pytest.fixture(scope="module")
def assistant_id(cli):
    created = cli("assistants", "create", "--name", "Renewals", "--prompt", "Remind.", "--json")
    return ok_json(created)["id"]


def test_assistants_create_get_update_list(cli):
    created = ok_json(
        cli(
            "assistants", "create", "--name", "Collections", "--prompt", "You collect dues.",
            "--language", "en-hi", "--first-message", "Namaste!", "--json",
        )
    )  # fmt: skip
    shown = cli("assistants", "get", created["id"])
    updated = ok_json(cli("assistants", "update", created["id"], "--name", "Dues", "--json"))
    table = cli("assistants", "list")
    listed = ok_json(cli("assistants", "list", "--json"))

    assert created["id"].startswith("asst_") and created["language"] == "en-hi"
    assert shown.returncode == 0 and "You collect dues." in shown.stdout
    assert re.search(r"first_message\s+Namaste!", shown.stdout)
    assert updated["name"] == "Dues" and updated["prompt"] == "You collect dues."
    assert re.search(rf"{created['id']}\s+Dues\s+en-hi", table.stdout)
    assert updated in listed["assistants"]


def test_update_without_changes_is_a_usage_error(cli, assistant_id):
    result = cli("assistants", "update", assistant_id)

    assert result.returncode == 2
    assert "at least one" in result.stderr


def test_unknown_assistant_exits_1_with_the_error_code(cli):
    result = cli("assistants", "get", "asst_missing")

    assert result.returncode == 1
    assert result.stderr.startswith("error: not_found: ")
    assert result.stdout == ""


def test_a_missing_key_is_a_usage_error(cli):
    result = cli("assistants", "list", RINGLINE_API_KEY="")

    assert result.returncode == 2
    assert "RINGLINE_API_KEY" in result.stderr


def test_the_key_can_be_given_as_an_option(cli):
    result = cli("assistants", "--api-key", KEY, "list", "--json", RINGLINE_API_KEY="")

    assert "assistants" in ok_json(result)


def test_a_wrong_key_exits_1(cli):
    result = cli("numbers", "list", RINGLINE_API_KEY="rl_wrong-key-0123456789abcdef")

    assert result.returncode == 1
    assert "error: " in result.stderr


def test_numbers_register_list_assign(cli, assistant_id):
    number = ok_json(cli("numbers", "register", "+918001230099", "--carrier", "sandbox", "--json"))
    assigned = ok_json(cli("numbers", "assign", number["id"], assistant_id, "--json"))
    table = cli("numbers", "list")
    listed = ok_json(cli("numbers", "list", "--json"))

    assert number["number"] == "+918001230099" and number["carrier"] == "sandbox"
    assert assigned["assistant_id"] == assistant_id
    assert re.search(rf"{number['id']}\s+\+918001230099\s+sandbox\s+{assistant_id}", table.stdout)
    assert assigned in listed["numbers"]


def test_webhooks_create_list_delete(cli):
    url = "http://127.0.0.1:9/hooks/ringline"
    created = ok_json(
        cli(
            "webhooks", "create", url, "--event", "call.completed", "--event", "call.failed",
            "--secret", "s3cret-for-tests", "--json",
        )
    )  # fmt: skip
    table = cli("webhooks", "list")
    deleted = cli("webhooks", "delete", created["id"])
    listed = ok_json(cli("webhooks", "list", "--json"))

    assert created["url"] == url and created["events"] == ["call.completed", "call.failed"]
    assert re.search(
        rf"{created['id']}\s+{re.escape(url)}\s+call.completed, call.failed", table.stdout
    )
    assert deleted.returncode == 0 and created["id"] in deleted.stdout
    assert created["id"] not in {hook["id"] for hook in listed["webhooks"]}


def test_status_of_an_unknown_call_exits_1(cli):
    result = cli("calls", "status", "call_missing")

    assert result.returncode == 1
    assert result.stderr.startswith("error: not_found: ")


def test_history_all_prints_one_page_of_every_call(cli):
    page = ok_json(cli("calls", "history", "--all", "--json"))

    assert page["total"] == len(page["calls"]) and page["offset"] == 0


def test_history_on_a_server_without_the_route_says_so(cli, server):
    # The root has no /v1 routes: the 404 a server without call history gives.
    result = cli("calls", "history", RINGLINE_BASE_URL=server.base_url)

    assert result.returncode == 1
    assert "this server does not serve call history" in result.stderr


def test_a_malformed_variable_is_a_usage_error(cli, assistant_id):
    result = cli("call", "--assistant", assistant_id, "--to", BUSY_NUMBER, "--var", "no-equals")

    assert result.returncode == 2
    assert "name=value" in result.stderr


@pytest.fixture(scope="module")
def busy_number(server):
    callee = {"number": BUSY_NUMBER, "behaviour": {"answer": "busy"}}
    headers = {"Authorization": f"Bearer {KEY}"}
    url = f"{server.base_url}/v1/sandbox/callees"
    httpx.post(url, json=callee, headers=headers).raise_for_status()
    return BUSY_NUMBER


def status_lines(output: str) -> list[str]:
    return re.findall(r"^\d\d:\d\d:\d\d  (\S+)$", output, re.MULTILINE)


def test_call_wait_follows_a_busy_call_and_exits_1(cli, assistant_id, busy_number):
    result = cli(
        "call", "--assistant", assistant_id, "--to", busy_number, "--from", SANDBOX_NUMBER,
        "--var", "customer_name=Rahul", "--wait",
    )  # fmt: skip

    statuses = status_lines(result.stdout)
    assert result.returncode == 1, result.stderr
    # The dialer may have finished before the first poll: only the order is certain.
    lifecycle = ["initiated", "ringing", "busy"]
    assert statuses[-1] == "busy"
    assert statuses == sorted(set(statuses), key=lifecycle.index)  # in order, each once
    assert re.search(r"^status\s+busy\s*$", result.stdout, re.MULTILINE)
    assert re.search(r"^failure_reason\s+\S", result.stdout, re.MULTILINE)


def test_call_wait_json_prints_only_the_final_status(cli, assistant_id, busy_number):
    result = cli(
        "call", "--assistant", assistant_id, "--to", busy_number, "--from", SANDBOX_NUMBER,
        "--wait", "--json",
    )  # fmt: skip

    assert result.returncode == 1, result.stderr
    final = json.loads(result.stdout)
    assert final["status"] == "busy" and final["call_id"].startswith("call_")
    assert status_lines(result.stderr)[-1] == "busy"
    status = ok_json(cli("calls", "status", final["call_id"], "--json"))
    assert status == final


def test_providers_set_list_remove(cli):
    set_ = cli(
        "providers", "set", "stt", "--base-url", "http://127.0.0.1:9/v1", "--model", "whisper-1",
        "--json", RINGLINE_PROVIDER_API_KEY="sk-from-env",
    )  # fmt: skip
    table = cli("providers", "list")
    refused = cli(
        "providers", "set", "tts", "--base-url", "http://127.0.0.1:9/v1", "--model", "tts-1",
        "--api-key", "sk-1",
    )  # fmt: skip
    removed = cli("providers", "remove", "stt")
    empty = ok_json(cli("providers", "list", "--json"))

    assert ok_json(set_)["stage"] == "stt"
    assert re.search(r"stt\s+openai\s+http://127.0.0.1:9/v1\s+whisper-1", table.stdout)
    assert "sk-from-env" not in table.stdout
    assert refused.returncode == 1 and "voice" in refused.stderr
    assert removed.returncode == 0 and empty == {"providers": []}


def test_carriers_connect_list_show_remove_and_a_number_on_one(cli):
    token = "0123456789abcdef0123456789abcdef"
    credentials = json.dumps({"account_sid": "AC" + "ab" * 16, "auth_token": token})
    connected = ok_json(
        cli("carriers", "connect", "twilio", "--name", "US", "--json",
            RINGLINE_CARRIER_CREDENTIALS=credentials)
    )  # fmt: skip
    number = ok_json(
        cli("numbers", "register", "+14155550142", "--carrier-account", connected["id"], "--json")
    )
    table = cli("carriers", "list")
    shown = cli("carriers", "show", connected["id"])
    refused = cli("carriers", "remove", connected["id"])
    bad = cli("carriers", "connect", "twilio", "--credentials", "[1]")

    assert connected["carrier"] == "twilio" and number["carrier_account_id"] == connected["id"]
    assert re.search(rf"{connected['id']}\s+twilio\s+US", table.stdout)
    assert connected["id"] in shown.stdout
    assert all(token not in out for out in (table.stdout, shown.stdout, json.dumps(connected)))
    assert refused.returncode == 1 and "+14155550142" in refused.stderr
    assert bad.returncode == 2


def test_carriers_connect_takes_a_sip_trunks_numbers_and_booleans(cli):
    trunk = {"host": "127.0.0.1", "port": 5061, "transport": "tls", "register": False}

    connected = ok_json(cli("carriers", "connect", "sip", "--credentials", json.dumps(trunk),
                            "--json"))  # fmt: skip

    assert connected["api_base_url"] == "sip:127.0.0.1:5061;transport=tls"


def test_sandbox_callees_set_list_delete(cli):
    number = "+919812340077"
    made = ok_json(
        cli("sandbox", "set", number, "--reply", "Not now.", "--reply", "Bye.",
            "--behaviour", '{"rings": 2}', "--json")
    )  # fmt: skip
    table = cli("sandbox", "list")
    bad = cli("sandbox", "set", number, "--behaviour", "{rings: 2")
    deleted = cli("sandbox", "delete", number)
    again = cli("sandbox", "delete", number)

    assert made["persona"]["replies"] == ["Not now.", "Bye."] and made["behaviour"]["rings"] == 2
    assert number in table.stdout
    assert bad.returncode == 2 and "not JSON" in bad.stderr
    assert deleted.returncode == 0 and again.returncode == 1


def test_webhook_deliveries_redeliver_and_call_url_secret(cli):
    hook = ok_json(cli("webhooks", "create", "https://crm.example.com/x", "--event",
                       "campaign.completed", "--json"))  # fmt: skip
    deliveries = ok_json(cli("webhooks", "deliveries", hook["id"], "--json"))
    secret = cli("webhooks", "call-url-secret")
    missing = cli("webhooks", "redeliver", hook["id"], "msg_missing")

    assert deliveries == {"deliveries": []}
    assert secret.returncode == 0 and secret.stdout.strip().startswith("whsec_")
    assert missing.returncode == 1 and "not_found" in missing.stderr


def test_history_and_analytics_filter_by_assistant_source_and_campaign(cli, busy_number):
    assistant = ok_json(
        cli("assistants", "create", "--name", "Counted", "--prompt", "Hi.", "--json")
    )
    placed = cli(
        "call", "--assistant", assistant["id"], "--to", busy_number, "--from", SANDBOX_NUMBER,
        "--wait", "--json",
    )  # fmt: skip
    call_id = json.loads(placed.stdout)["call_id"]

    phone = ok_json(
        cli("calls", "history", "--assistant", assistant["id"], "--source", "phone", "--json")
    )
    web = ok_json(
        cli("calls", "history", "--assistant", assistant["id"], "--source", "web", "--json")
    )
    campaign = ok_json(
        cli("calls", "history", "--assistant", assistant["id"], "--campaign", "camp_x", "--json")
    )
    stats = ok_json(
        cli("analytics", "--assistant", assistant["id"], "--group-by", "assistant", "--json")
    )
    table = cli("analytics", "--assistant", assistant["id"], "--group-by", "assistant")
    bad = cli("analytics", "--group-by", "hour")

    assert [c["call_id"] for c in phone["calls"]] == [call_id]
    assert web["total"] == 0 and campaign["total"] == 0
    assert stats["total_calls"] == 1 and stats["by_status"]["busy"] == 1
    assert [(g["key"], g["total_calls"]) for g in stats["groups"]] == [(assistant["id"], 1)]
    assert re.search(rf"{assistant['id']}\s+1\s", table.stdout)
    assert bad.returncode == 1 and "group_by" in bad.stderr


def test_documents_add_list_search_attach_delete(cli, assistant_id, tmp_path):
    path = tmp_path / "faq.md"
    path.write_text("# Renewals\n\nThe grace period for a missed premium is thirty days.")

    added = ok_json(cli("documents", "add", str(path), "--name", "FAQ", "--json"))
    table = cli("documents", "list")
    attached = ok_json(cli("documents", "attach", assistant_id, added["id"], "--json"))
    found = ok_json(
        cli("documents", "search", "grace period", "--assistant", assistant_id, "--json")
    )
    deleted = cli("documents", "delete", added["id"])

    assert added["name"] == "FAQ" and added["format"] == "markdown"
    assert re.search(rf"{added['id']}\s+FAQ\s+markdown", table.stdout)
    assert [d["id"] for d in attached["documents"]] == [added["id"]]
    assert "thirty days" in found["results"][0]["text"]
    assert deleted.returncode == 0
    assert ok_json(cli("documents", "list", "--json"))["documents"] == []
