"""The bundled LLM behind llama.cpp's OpenAI-compatible server, in a child process.

Hosted and bundled models then share one client code path (an OpenAI-compatible chat
endpoint), and the model's CPU work stays out of the process that paces call audio.
"""

import asyncio
import ctypes
import signal
import socket
import sys
from pathlib import Path

import httpx

from ringline.voice.models import smollm2_gguf

MODEL_ALIAS = "smollm2"


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Runs in the child before exec: a ringline killed outright (a crash, SIGKILL) takes
    its model server with it instead of leaving it holding the model's memory."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class BundledLLMServer:
    """Started on first use, stopped with the server."""

    def __init__(self, log_path: Path, threads: int = 2, context_tokens: int = 4096) -> None:
        self.log_path = log_path
        self.threads = threads
        self.context_tokens = context_tokens
        self.base_url: str | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._lock = asyncio.Lock()

    async def url(self) -> str:
        """The server's OpenAI-compatible base URL, starting it if needed."""
        async with self._lock:
            if (
                self.base_url is None
                or self._process is None
                or self._process.returncode is not None
            ):
                self.base_url = await self._start()
            return self.base_url

    async def warm(self) -> None:
        """Start the server and have it write one token: the model is then in memory
        and its first evaluation's set-up is done before a call waits on it."""
        base_url = await self.url()
        request = {
            "model": MODEL_ALIAS,
            "messages": [{"role": "user", "content": "Hello"}],
            "max_tokens": 1,
        }
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            (await client.post("/chat/completions", json=request)).raise_for_status()

    async def _start(self) -> str:
        port = _free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(smollm2_gguf()),
                "--model_alias",
                MODEL_ALIAS,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_threads",
                str(self.threads),
                "--n_ctx",
                str(self.context_tokens),
                stdout=log,
                stderr=log,
                preexec_fn=_die_with_parent,
            )
        base_url = f"http://127.0.0.1:{port}/v1"
        try:
            await self._wait_ready(base_url)
        except BaseException:
            await self.stop()
            raise
        return base_url

    async def _wait_ready(self, base_url: str, timeout: float = 60.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        async with httpx.AsyncClient() as client:
            while asyncio.get_running_loop().time() < deadline:
                if self._process is not None and self._process.returncode is not None:
                    raise RuntimeError(f"the bundled LLM server exited; see {self.log_path}")
                try:
                    if (await client.get(f"{base_url}/models", timeout=1)).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise TimeoutError(f"the bundled LLM server did not start; see {self.log_path}")

    async def stop(self) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            try:
                await asyncio.wait_for(self._process.wait(), 10)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()
        self._process = None
        self.base_url = None
