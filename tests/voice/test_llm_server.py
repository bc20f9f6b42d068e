"""The bundled LLM's server process lives and dies with the ringline process that started it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

STARTS_SERVER = """
import asyncio, sys
from pathlib import Path
from ringline.voice.llm_server import BundledLLMServer

async def main():
    server = BundledLLMServer(Path(sys.argv[1]))
    await server.url()
    print(server._process.pid, flush=True)
    await asyncio.sleep(600)

asyncio.run(main())
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited: only its parent's wait is missing.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[1][0] != "Z"


def test_a_killed_ringline_takes_its_model_server_with_it(tmp_path):
    parent = subprocess.Popen(
        [sys.executable, "-c", STARTS_SERVER, str(tmp_path / "llm.log")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        model_pid = int(parent.stdout.readline())
        assert _alive(model_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 30
        while _alive(model_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(model_pid), "the model server outlived the process that started it"
    finally:
        parent.kill()
