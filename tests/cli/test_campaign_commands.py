"""``ringline campaigns ...`` against a real server process."""

import json
import re

import httpx
import pytest

from tests.cli.test_client_commands import KEY, SANDBOX_NUMBER, ok_json
from tests.fixtures.server import run_cli, running_server

BUSY = ["+919812350001", "+919812350002"]


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("cli-campaigns")
    with running_server(
        data_dir,
        RINGLINE_BOOTSTRAP_API_KEY=KEY,
        RINGLINE_RATE_LIMIT="100000/minute",
        RINGLINE_CAMPAIGN_POLL_SECONDS="0.2",
    ) as server:
        env = {"RINGLINE_BASE_URL": f"{server.base_url}/v1", "RINGLINE_API_KEY": KEY}

        def run(*args: str):
            return run_cli(data_dir, *args, **env)

        run.base_url = f"{server.base_url}/v1"
        yield run


def _assistant(cli) -> str:
    made = cli("assistants", "create", "--name", "Camp", "--prompt", "Hi {{name}}.", "--json")
    return ok_json(made)["id"]


def _campaign(cli, *options: str) -> dict:
    created = cli(
        "campaigns", "create", "--name", "Renewals", "--assistant", _assistant(cli),
        "--from", SANDBOX_NUMBER, *options, "--json",
    )  # fmt: skip
    return ok_json(created)


def test_create_launch_from_csv_contacts_and_controls(cli, tmp_path):
    campaign = _campaign(cli, "--window", "10:00-19:00", "--attempts", "2", "--retry-gap", "60")
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "phone,name,policy\n+919800000301,Asha,P1\n12345,Ravi,P2\n+919800000302,Meera,P3\n"
    )

    launched = cli(
        "campaigns", "launch", campaign["id"], str(contacts),
        "--start", "2099-01-01T09:00:00+05:30", "--json",
    )  # fmt: skip
    shown = cli("campaigns", "status", campaign["id"])
    listed = cli("campaigns", "contacts", campaign["id"], "--json")
    table = cli("campaigns", "list")
    paused = ok_json(cli("campaigns", "pause", campaign["id"], "--json"))
    resumed = cli("campaigns", "resume", campaign["id"])
    cancelled = ok_json(cli("campaigns", "cancel", campaign["id"], "--json"))

    assert campaign["calling_window"] == {"start": "10:00", "end": "19:00"}
    assert campaign["retry"]["max_attempts"] == 2
    result = ok_json(launched)
    assert (result["status"], result["accepted"], result["total_contacts"]) == ("scheduled", 2, 2)
    assert [(r["row"], r["phone"]) for r in result["rejected"]] == [(2, "12345")]
    assert shown.returncode == 0 and "pending" in shown.stdout and "0.0%" in shown.stdout
    rows = ok_json(listed)["contacts"]
    assert [(c["phone"], c["custom_fields"]) for c in rows] == [
        ("+919800000301", {"policy": "P1"}),
        ("+919800000302", {"policy": "P3"}),
    ]
    assert campaign["id"] in table.stdout
    assert paused["status"] == "paused" and "scheduled" in resumed.stdout
    assert cancelled["status"] == "cancelled"


def test_watch_follows_a_campaign_to_its_end(cli, tmp_path):
    api = httpx.Client(base_url=cli.base_url, headers={"Authorization": f"Bearer {KEY}"})
    with api:
        api.patch("/workspace/campaign-settings", json={"quiet_hours": None}).raise_for_status()
        for number in BUSY:
            callee = {"number": number, "behaviour": {"answer": "busy"}}
            api.post("/sandbox/callees", json=callee).raise_for_status()
    campaign = _campaign(cli, "--attempts", "1")
    contacts = tmp_path / "contacts.json"
    contacts.write_text(json.dumps([{"phone": number, "name": "A"} for number in BUSY]))
    assert cli("campaigns", "launch", campaign["id"], str(contacts)).returncode == 0

    watched = ok_json(cli("campaigns", "status", campaign["id"], "--watch", "--json"))

    assert watched["status"] == "completed"
    assert watched["counts"]["busy"] == 2 and watched["progress"] == 1.0


def test_errors_exit_1_and_usage_errors_exit_2(cli, tmp_path):
    missing = cli("campaigns", "status", "camp_missing")
    bad_window = cli("campaigns", "create", "--name", "x", "--assistant", "a", "--window", "9")
    no_file = cli("campaigns", "launch", "camp_x", str(tmp_path / "nope.csv"))

    assert missing.returncode == 1 and "not_found" in missing.stderr
    assert bad_window.returncode == 2
    assert no_file.returncode == 2


def test_settings_show_and_change_the_campaign_rules(cli):
    shown = ok_json(cli("campaigns", "settings", "--json"))
    changed = ok_json(
        cli("campaigns", "settings", "--campaigns-per-assistant", "3", "--quiet-hours",
            "22:00-08:00", "--json")
    )  # fmt: skip
    table = cli("campaigns", "settings")
    off = ok_json(cli("campaigns", "settings", "--quiet-hours", "off", "--json"))
    bad = cli("campaigns", "settings", "--quiet-hours", "late")
    quiet = shown["quiet_hours"]
    hours = f"{quiet['start']}-{quiet['end']}" if quiet else "off"
    per_assistant = str(shown["campaigns_per_assistant"])
    restored = ok_json(
        cli("campaigns", "settings", "--campaigns-per-assistant", per_assistant,
            "--quiet-hours", hours, "--json")
    )  # fmt: skip

    assert changed == {
        "campaigns_per_assistant": 3,
        "quiet_hours": {"start": "22:00", "end": "08:00"},
    }
    assert re.search(r"campaigns_per_assistant\s+3", table.stdout) and "22:00" in table.stdout
    assert off == {"campaigns_per_assistant": 3, "quiet_hours": None}
    assert bad.returncode == 2 and "START-END" in bad.stderr
    assert restored == shown
