"""``ringline call``: the caller ID it picks, the errors it shows, and ``--wait`` under a
tight rate limit, against a real server process."""

import json
import re
import subprocess

import pytest

from tests.fixtures.server import cli_client, ok_json, run_cli, running_server

KEY = "rl_cli-call-tests-admin-key-0123456789"
SANDBOX_NUMBER = "+918001234567"
BUSY_NUMBER = "+919812340002"
SHORT_NUMBER = "+919812340003"
# Two requests in six seconds: polling every 2 s, --wait meets a 429 in a six-second call.
RATE_LIMIT = "2/6seconds"
# An LLM that is never asked: with no first message and a hosted LLM the agent waits for
# the callee (the bundled dialogue layer would greet), which makes a silent call possible.
UNASKED_LLM = "http://127.0.0.1:9/v1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("cli-call")
    with running_server(
        data_dir,
        RINGLINE_BOOTSTRAP_API_KEY=KEY,
        RINGLINE_SANDBOX_RING_SECONDS="2",
        RINGLINE_RATE_LIMIT=RATE_LIMIT,
        RINGLINE_WARM_UP="false",
        RINGLINE_LLM_BASE_URL=UNASKED_LLM,
        RINGLINE_LLM_API_KEY="sk-never-used",
    ) as running:
        running.data_dir = data_dir
        yield running


@pytest.fixture(scope="module")
def cli(server):
    return cli_client(server, server.data_dir, KEY)


def patiently(cli, *args: str, **options: str) -> subprocess.CompletedProcess[str]:
    """A command run once the rate limit has room again (these tests share one key)."""
    for _ in range(20):
        result = cli(*args, **options)
        if "rate_limited" not in result.stderr:
            return result
        subprocess.run(["sleep", "3"], check=True)
    return result


@pytest.fixture(scope="module")
def assistant_id(cli):
    created = patiently(cli, "assistants", "create", "--name", "Renewals", "--prompt", "Remind.")
    return re.search(r"asst_\w+", created.stdout).group(0)


@pytest.fixture(scope="module")
def callees(cli):
    busy = {"answer": "busy"}
    # Rings three times (six seconds), answers, waits a second for the agent, hangs up;
    # a scripted callee without an opening line, so nobody says a word.
    short = {"rings": 3, "patience_seconds": 1}
    for number, behaviour in ((BUSY_NUMBER, busy), (SHORT_NUMBER, short)):
        set_ = ("sandbox", "set", number, "--behaviour", json.dumps(behaviour), "--reply", "Hi.")
        result = patiently(cli, *set_)
        assert result.returncode == 0, result.stderr


def test_a_call_without_from_goes_out_from_the_workspaces_only_number(cli, assistant_id, callees):
    call = ok_json(
        patiently(cli, "call", "--assistant", assistant_id, "--to", BUSY_NUMBER, "--json")
    )

    assert call["from_number"] == SANDBOX_NUMBER and call["call_id"].startswith("call_")


def test_a_call_without_from_in_a_workspace_of_several_numbers_lists_them(server, cli):
    created = run_cli(server.data_dir, "keys", "create", "--workspace", "several")
    key = re.search(r"rl_\S+", created.stdout).group(0)
    for number in ("+918001110001", "+918001110002"):
        registered = patiently(cli, "numbers", "register", number, key=key)
        assert registered.returncode == 0, registered.stderr
    assistant = patiently(cli, "assistants", "create", "--name", "A", "--prompt", "P.", key=key)
    assistant_id = re.search(r"asst_\w+", assistant.stdout).group(0)

    result = patiently(cli, "call", "--assistant", assistant_id, "--to", BUSY_NUMBER, key=key)

    assert result.returncode == 2
    assert "--from +918001110001" in result.stderr and "--from +918001110002" in result.stderr


def test_a_refused_phone_number_is_explained_in_full(cli, assistant_id):
    result = patiently(cli, "call", "--assistant", assistant_id, "--to", "12345")

    assert result.returncode == 1
    # The headline names the field; the next line says what is wrong with it.
    assert re.search(r"^\s+to_number: \S.*$", result.stderr, re.MULTILINE), result.stderr


def test_wait_waits_out_the_rate_limit_saying_so_then_says_nothing_was_said(
    cli, assistant_id, callees
):
    result = patiently(cli, "call", "--assistant", assistant_id, "--to", SHORT_NUMBER, "--wait")

    assert result.returncode == 0, result.stderr
    assert "rate limited (429): waiting" in result.stdout
    assert re.search(r"^\d\d:\d\d:\d\d  completed$", result.stdout, re.MULTILINE)
    assert "nothing was said on this call" in result.stdout
    assert re.search(r"^status\s+completed\s*$", result.stdout, re.MULTILINE)
