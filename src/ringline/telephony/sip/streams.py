"""SIP over TCP and TLS (RFC 3261 18.3): messages framed by Content-Length on a stream.

A connection, whichever side opened it, is kept and reused for every message to the same
peer: responses go back on the connection their request came on, and a call's in-dialog
requests follow its INVITE's. Both sides may send keep-alive pings (RFC 5626 3.5.1: a
double CRLF), answered with one CRLF.
"""

import asyncio
import contextlib
import logging
import re
import ssl
from collections.abc import Callable

Address = tuple[str, int]
Received = Callable[[bytes, Address], None]

logger = logging.getLogger(__name__)

MAX_HEADER_BYTES = 64 * 1024  # a peer sending more is not speaking SIP: dropped
MAX_BODY_BYTES = 64 * 1024  # SDP is a few hundred bytes
CONNECT_SECONDS = 10.0
PING = b"\r\n\r\n"
PONG = b"\r\n"
_CONTENT_LENGTH = re.compile(rb"^(?:content-length|l)[ \t]*:[ \t]*(\d+)", re.I | re.M)


class FramingError(ValueError):
    """The stream does not hold SIP messages: the connection is closed."""


async def read_message(reader: asyncio.StreamReader) -> bytes | None:
    """The next SIP message on the stream, or ``PING``; None once the peer closed it."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    except asyncio.LimitOverrunError as exc:
        raise FramingError("a header section past the size limit") from exc
    stripped = head.lstrip(b"\r\n")
    if not stripped:
        return PING
    found = _CONTENT_LENGTH.search(stripped)
    if found is None:
        raise FramingError("a message on a stream must say its Content-Length")
    length = int(found.group(1))
    if length > MAX_BODY_BYTES:
        raise FramingError(f"a {length}-byte body is past the size limit")
    try:
        return stripped + await reader.readexactly(length)
    except asyncio.IncompleteReadError:
        return None


class Streams:
    """The open TCP and TLS connections of one SIP endpoint, by the peer's address."""

    def __init__(self, received: Received) -> None:
        self._received = received
        self._writers: dict[Address, asyncio.StreamWriter] = {}
        self._opening: dict[Address, asyncio.Lock] = {}
        self._servers: list[asyncio.Server] = []
        self._tasks: set[asyncio.Task[None]] = set()

    def holds(self, address: Address) -> bool:
        return address in self._writers

    def write(self, data: bytes, address: Address) -> bool:
        """Send ``data`` on the connection to ``address``; False if there is none."""
        writer = self._writers.get(address)
        if writer is None or writer.is_closing():
            return False
        writer.write(data)
        return True

    def local_port(self, address: Address) -> int:
        writer = self._writers[address]
        return int(writer.get_extra_info("sockname")[1])

    async def listen(self, host: str, port: int, tls: ssl.SSLContext | None = None) -> Address:
        """Accept connections on ``host:port`` (TLS with ``tls``); the address bound."""
        server = await asyncio.start_server(
            self._accepted, host, port, ssl=tls, limit=MAX_HEADER_BYTES
        )
        self._servers.append(server)
        bound = server.sockets[0].getsockname()
        return (str(bound[0]), int(bound[1]))

    async def connect(
        self, address: Address, tls: ssl.SSLContext | None = None, server_name: str = ""
    ) -> None:
        """A connection to ``address``: the open one, else a new one (TLS with ``tls``,
        checking the certificate names ``server_name``)."""
        async with self._opening.setdefault(address, asyncio.Lock()):
            if address in self._writers:
                return
            opened = asyncio.open_connection(
                *address,
                ssl=tls,
                server_hostname=(server_name or address[0]) if tls else None,
                limit=MAX_HEADER_BYTES,
            )
            reader, writer = await asyncio.wait_for(opened, CONNECT_SECONDS)
            self._keep(reader, writer, address)

    def close(self) -> None:
        for server in self._servers:
            server.close()
        for writer in self._writers.values():
            writer.close()
        for task in self._tasks:
            task.cancel()

    async def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        self._keep(reader, writer, (str(peer[0]), int(peer[1])))

    def _keep(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, address: Address
    ) -> None:
        self._writers[address] = writer
        task = asyncio.create_task(self._read(reader, writer, address))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _read(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, address: Address
    ) -> None:
        try:
            while (message := await read_message(reader)) is not None:
                if message == PING:
                    writer.write(PONG)
                else:
                    self._received(message, address)
        except (FramingError, ConnectionError, ssl.SSLError) as exc:
            logger.warning("closed the SIP connection with %s:%d: %s", *address, exc)
        finally:
            if self._writers.get(address) is writer:
                del self._writers[address]
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
