"""Servers on loopback for the SDK tests, the real ringline app and a scripted one, and
clients that record their retry waits instead of sleeping.

The scripted server answers from a queue of ``Reply``s and records every request, so a
test can check what the SDK sent and make it meet 429s, 500s and dropped connections.
"""

import inspect
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import uvicorn

from ringline.app import create_app
from ringline.config import Settings
from ringline.sdk import AsyncRingline, Ringline

ADMIN_KEY = "rl_sdk_tests_admin_key_0123456789abcdef"


@contextmanager
def serve_in_thread(settings: Settings) -> Iterator[str]:
    """Run the real app under Uvicorn on a free loopback port; yield its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the ringline server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def server_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "data_dir": data_dir,
        "bootstrap_api_key": ADMIN_KEY,
        "rate_limit": "100000/minute",
        "warm_up": False,
    }
    return Settings(**(values | overrides))


@dataclass
class Reply:
    status: int = 200
    json: Any = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering
    delay: float = 0.0


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _Handler(BaseHTTPRequestHandler):
    server: "_HTTPServer"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        url = urlsplit(self.path)
        self.server.scripted.received.append(
            Received(
                self.command,
                url.path,
                parse_qs(url.query),
                {name.lower(): value for name, value in self.headers.items()},
                self.rfile.read(length),
            )
        )
        reply = self.server.scripted.next_reply()
        time.sleep(reply.delay)
        if reply.drop:
            self.close_connection = True
            return
        body = json.dumps(reply.json).encode() if reply.json is not None else reply.body
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json"} if reply.json is not None else {}
        for name, value in (headers | reply.headers | {"Content-Length": str(len(body))}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _HTTPServer(ThreadingHTTPServer):
    scripted: "ScriptedServer"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left; the test checks what it saw


class ScriptedServer:
    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.received: list[Received] = []
        self._http = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._http.scripted = self
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def next_reply(self) -> Reply:
        if self.replies:
            return self.replies.popleft()
        return Reply(418, {"error": {"code": "unscripted", "message": "no reply scripted"}})

    @contextmanager
    def running(self) -> Iterator["ScriptedServer"]:
        thread = threading.Thread(target=self._http.serve_forever, args=(0.02,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._http.shutdown()
            self._http.server_close()


class FastRingline(Ringline):
    """Records the waits between retries instead of sleeping through them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sleeps: list[float] = []

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


class FastAsyncRingline(AsyncRingline):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sleeps: list[float] = []

    async def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


Client = FastRingline | FastAsyncRingline
Connect = Callable[..., Any]


async def call(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a method of either client and return its result."""
    result = method(*args, **kwargs)
    return await result if inspect.isawaitable(result) else result


async def collect(iterable: Any) -> list[Any]:
    """Everything an iterator or an async iterator yields."""
    if hasattr(iterable, "__aiter__"):
        return [item async for item in iterable]
    return list(iterable)
