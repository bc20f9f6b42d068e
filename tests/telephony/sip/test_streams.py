"""SIP's framing on TCP: whole messages out of any chunking, keep-alive pings answered,
and a peer that is not speaking SIP dropped. Real connections on loopback."""

import asyncio

import pytest

from ringline.telephony.sip.streams import MAX_BODY_BYTES, Streams

OPTIONS = (
    b"OPTIONS sip:ringline@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK1\r\n"
    b"Call-ID: a@b\r\nCSeq: 1 OPTIONS\r\nContent-Length: 5\r\n\r\nhello"
)


class Heard:
    def __init__(self) -> None:
        self.messages: asyncio.Queue[tuple[bytes, tuple[str, int]]] = asyncio.Queue()

    def __call__(self, data: bytes, address: tuple[str, int]) -> None:
        self.messages.put_nowait((data, address))


@pytest.fixture
async def listening():
    heard = Heard()
    streams = Streams(heard)
    address = await streams.listen("127.0.0.1", 0)
    yield streams, address, heard
    streams.close()


async def test_messages_come_whole_however_the_bytes_are_cut(listening):
    streams, address, heard = listening
    reader, writer = await asyncio.open_connection(*address)
    wire = OPTIONS + OPTIONS.replace(b"hello", b"again")
    for start in range(0, len(wire), 7):
        writer.write(wire[start : start + 7])
        await writer.drain()
    first, peer = await asyncio.wait_for(heard.messages.get(), 5)
    second, _ = await asyncio.wait_for(heard.messages.get(), 5)
    assert (first, second) == (OPTIONS, OPTIONS.replace(b"hello", b"again"))
    # What is sent back to the peer travels on its connection.
    assert streams.holds(peer) and streams.write(b"SIP/2.0 200 OK\r\n\r\n", peer)
    assert await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5) == b"SIP/2.0 200 OK\r\n\r\n"
    writer.close()


async def test_a_keep_alive_ping_is_answered_and_delivers_nothing(listening):
    _, address, heard = listening
    reader, writer = await asyncio.open_connection(*address)
    writer.write(b"\r\n\r\n" + OPTIONS)
    assert await asyncio.wait_for(reader.readexactly(2), 5) == b"\r\n"
    data, _ = await asyncio.wait_for(heard.messages.get(), 5)
    assert data == OPTIONS and heard.messages.empty()
    writer.close()


@pytest.mark.parametrize(
    "wire",
    [
        OPTIONS.replace(b"Content-Length: 5\r\n", b""),
        OPTIONS.replace(b"Content-Length: 5", f"Content-Length: {MAX_BODY_BYTES + 1}".encode()),
    ],
    ids=["no-content-length", "body-too-big"],
)
async def test_a_peer_not_framing_sip_is_dropped(listening, wire):
    streams, address, heard = listening
    reader, writer = await asyncio.open_connection(*address)
    writer.write(wire)
    assert await asyncio.wait_for(reader.read(), 5) == b""  # closed by ringline
    assert heard.messages.empty()
    writer.close()


async def test_connect_reuses_the_open_connection(listening):
    _, address, heard = listening
    caller = Streams(Heard())
    try:
        await caller.connect(address)
        await caller.connect(address)
        assert caller.write(OPTIONS, address)
        data, peer = await asyncio.wait_for(heard.messages.get(), 5)
        assert data == OPTIONS and peer[1] == caller.local_port(address)
        assert len(caller._writers) == 1
    finally:
        caller.close()
