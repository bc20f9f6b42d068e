"""The README's first calls, run as written against a server started as the README starts
it: each must produce a conversation, both sides in the transcript."""

import io
import re
import shlex
import subprocess
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

import httpx
import pytest

from tests.fixtures.server import ringline_env, running_server

README = Path(__file__).parents[2] / "README.md"
TERMINAL = {"completed", "failed", "no-answer", "busy"}


def section(title: str) -> str:
    text = README.read_text()
    start = text.index(f"### {title}")
    end = text.find("\n#", start + 1)
    return text[start : end if end > 0 else None]


def code_block(title: str, language: str) -> str:
    found = re.search(rf"```{language}\n(.*?)```", section(title), re.DOTALL)
    assert found, f"no {language} block under {title}"
    return found.group(1)


def commands(block: str) -> list[list[str]]:
    """The block's ``.venv/bin/ringline`` commands, continuation lines joined."""
    joined = block.replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines()]
    prefix = ".venv/bin/ringline "
    return [shlex.split(line.removeprefix(prefix)) for line in lines if line.startswith(prefix)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``ringline serve`` as the README runs it: defaults, models warmed at start."""
    data_dir = tmp_path_factory.mktemp("readme")
    with running_server(data_dir, RINGLINE_WARM_UP="true") as running:
        running.data_dir = data_dir
        running.key = re.search(r"shown only now: (rl_\S+)", running.output()).group(1)
        yield running


def both_sides(server, call_id: str) -> list[dict]:
    headers = {"Authorization": f"Bearer {server.key}"}
    with httpx.Client(base_url=f"{server.base_url}/v1", headers=headers) as api:
        deadline = time.monotonic() + 300
        while api.get(f"/calls/{call_id}/status").json()["status"] not in TERMINAL:
            assert time.monotonic() < deadline, f"{call_id} did not end"
            time.sleep(2)
        assert api.get(f"/calls/{call_id}/status").json()["status"] == "completed"
        return api.get(f"/calls/{call_id}/transcript").json()["transcript"]


def test_start_up_warms_the_models_before_it_is_ready(server):
    output = server.output()

    ready = re.search(r"models ready \((.*)\)", output)
    assert ready, output
    for model in ("whisper", "piper", "vad", "turn model", "embedder", "llm"):
        assert model in ready.group(1)
    assert output.index("models ready") < output.index("/docs")


def test_the_command_line_first_call_holds_a_conversation(server):
    env = ringline_env(
        server.data_dir, RINGLINE_API_KEY=server.key, RINGLINE_BASE_URL=f"{server.base_url}/v1"
    )
    create, call = commands(code_block("A first call from the command line", "sh"))
    created = subprocess.run(
        [sys.executable, "-m", "ringline", *create], env=env, capture_output=True, text=True
    )
    assert created.returncode == 0, created.stderr
    assistant_id = re.search(r"asst_\w+", created.stdout).group(0)
    call = [assistant_id if arg == "asst_..." else arg for arg in call]
    placed = subprocess.run(
        [sys.executable, "-m", "ringline", *call],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert placed.returncode == 0, placed.stdout + placed.stderr
    assert re.search(r"^agent: \S", placed.stdout, re.MULTILINE), placed.stdout
    assert re.search(r"^customer: \S", placed.stdout, re.MULTILINE), placed.stdout
    call_id = re.search(r"^call_id\s+(call_\S+)", placed.stdout, re.MULTILINE).group(1)
    roles = {turn["role"] for turn in both_sides(server, call_id)}
    assert roles == {"agent", "customer"}


def test_the_python_first_call_holds_a_conversation(server):
    code = code_block("A first call from Python", "python")
    code = code.replace('"rl_..."', repr(server.key))
    code = code.replace("http://127.0.0.1:8000/v1", f"{server.base_url}/v1")
    namespace: dict = {}
    printed = io.StringIO()
    with redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), namespace)

    assert printed.getvalue().strip() in ("initiated", "ringing", "in-progress")
    turns = both_sides(server, namespace["call"].call_id)
    assert {turn["role"] for turn in turns} == {"agent", "customer"}, turns
