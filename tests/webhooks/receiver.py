"""A real HTTP receiver on loopback that answers as told: fail, hang, 410, then recover,
or answer a tool's call with JSON.

It serves from its own threads, so it keeps answering however busy the test's event loop is.
"""

import asyncio
import inspect
import threading
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Reply:
    status: int = 200
    delay: float = 0.0
    body: bytes = b"ok"


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    at: float  # time.monotonic() on arrival
    method: str = "POST"
    query: str = ""

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self._scripts: dict[str, deque[Reply]] = defaultdict(deque)
        self._defaults: dict[str, Reply] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "Receiver":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def answer(self, path: str, *replies: Reply, then: Reply | None = None) -> None:
        """Answer the next requests to ``path`` with ``replies``, and later ones with ``then``."""
        with self._lock:
            self._scripts[path].extend(replies)
            if then is not None:
                self._defaults[path] = then

    def to(self, path: str, status: int | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.path == path and status in (None, r.status)]

    def _reply_for(self, path: str) -> Reply:
        with self._lock:
            script = self._scripts[path]
            return script.popleft() if script else self._defaults.get(path, Reply())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                arrived = time.monotonic()
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                url = urlsplit(self.path)
                reply = receiver._reply_for(url.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                received = Received(
                    url.path, headers, body, reply.status, arrived, self.command, url.query
                )
                with receiver._lock:
                    receiver.received.append(received)
                time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("content-length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the sender gave up waiting

            do_GET = do_PUT = do_PATCH = do_DELETE = do_POST

            def log_message(self, *_: object) -> None:
                pass

        return Handler


async def eventually(check: Callable[[], bool | Awaitable[bool]], timeout: float = 10.0) -> None:
    """Wait until ``check()`` holds (it may be a coroutine function), polling every 20 ms."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if await result if inspect.isawaitable(result) else result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s")
        await asyncio.sleep(0.02)
