"""The RTP line of a SIP call: G.711 audio both ways in 20 ms packets, RFC 4733 DTMF in.

Incoming packets are put back in order by aiortp's jitter buffer, decoded, and held in a
40 ms playout buffer that the process's one media clock drains a frame per tick, so the
voice engine hears the caller at an even pace whatever the network did. The same tick
sends the next 20 ms of the agent's audio (silence when it has nothing to say), so every
line of the process is paced by one timer instead of one per call.
"""

import asyncio
import logging
import random
import socket
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from aiortp.codecs.base import Codec
from aiortp.codecs.g711 import PcmaCodec, PcmuCodec
from aiortp.dtmf import DtmfReceiver
from aiortp.jitterbuffer import JitterBuffer, JitterFrame
from aiortp.packet import RtpPacket, is_rtcp

logger = logging.getLogger(__name__)

Address = tuple[str, int]
FRAME_SECONDS = 0.02
SAMPLE_RATE = 8000
FRAME_BYTES = 320  # 20 ms of 16-bit PCM at 8 kHz
PLAYOUT_FRAMES = 2  # 40 ms held before the first frame (and after a gap) is played
PLAYOUT_LIMIT = 10  # past 200 ms queued the oldest audio is dropped: latency over fidelity
QUEUED_FRAMES = 3  # the agent's audio queued ahead of the clock before a writer waits
# A clock this far behind starts a fresh schedule instead of bursting the missed packets.
CLOCK_RESET_SECONDS = 0.3
SILENCE = bytes(FRAME_BYTES)
DTMF_PAYLOAD_TYPE = 101
CODECS: dict[int, Callable[[], Codec]] = {0: PcmuCodec, 8: PcmaCodec}
CODEC_NAMES = {0: "PCMU", 8: "PCMA"}


@dataclass(frozen=True)
class Digit:
    """A DTMF key the caller pressed (RFC 4733 telephone-event)."""

    digit: str


@dataclass(frozen=True)
class LineEnded:
    """The line is closed: ``reason`` is "timeout" (no RTP), "hangup" or "closed"."""

    reason: str


Heard = bytes | Digit | LineEnded


class MediaClock:
    """One 20 ms clock for every RTP line of the process."""

    def __init__(self) -> None:
        self._lines: set[RtpLine] = set()
        self._task: asyncio.Task[None] | None = None

    def add(self, line: "RtpLine") -> None:
        self._lines.add(line)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="rtp-clock")

    def remove(self, line: "RtpLine") -> None:
        self._lines.discard(line)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time()
        while self._lines:
            deadline += FRAME_SECONDS
            delay = deadline - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -CLOCK_RESET_SECONDS:
                deadline = loop.time()
            now = loop.time()
            for line in list(self._lines):
                try:
                    line.tick(now)
                except Exception:
                    logger.exception("an RTP line's tick failed; the line is closed")
                    line.close("closed")


class RtpLine(asyncio.DatagramProtocol):
    """One call's RTP socket, bound for the whole call (its port is never let go early)."""

    def __init__(self, clock: MediaClock, timeout_seconds: float) -> None:
        self.heard: asyncio.Queue[Heard] = asyncio.Queue()
        self.on_timeout: Callable[[], None] | None = None
        self._clock = clock
        self._timeout = timeout_seconds
        self._transport: asyncio.DatagramTransport | None = None
        self._jitter = JitterBuffer(capacity=16, skip_audio_gaps=True)
        self._dtmf = DtmfReceiver(lambda digit, _duration: self.heard.put_nowait(Digit(digit)))
        self._playout: deque[bytes] = deque()
        self._filling = True
        self._outgoing = bytearray()
        self._room = asyncio.Event()
        self._room.set()
        self._remote: Address | None = None
        self._payload_type = 0
        self._codec: Codec = PcmuCodec()
        self._sequence = random.randrange(1 << 16)
        self._timestamp = random.randrange(1 << 32)
        self._ssrc = random.randrange(1, 1 << 32)
        self._first_packet = True
        self._last_heard = 0.0
        self.ended: LineEnded | None = None
        self.local: Address = ("0.0.0.0", 0)

    @classmethod
    async def bind(
        cls, clock: MediaClock, host: str, ports: range, timeout_seconds: float
    ) -> "RtpLine":
        """A line on the first free even port of ``ports`` (tried in random order), the
        socket kept: a port found free and let go could be taken before it is used."""
        candidates = [port for port in ports if port % 2 == 0] or list(ports)
        random.shuffle(candidates)
        for port in candidates:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                sock.bind((host, port))
            except OSError:
                sock.close()
                continue
            return await cls._on(sock, clock, timeout_seconds)
        raise OSError(f"no free RTP port in {ports.start}-{ports.stop - 1} on {host}")

    @classmethod
    async def _on(cls, sock: socket.socket, clock: MediaClock, timeout: float) -> "RtpLine":
        line = cls(clock, timeout)
        await asyncio.get_running_loop().create_datagram_endpoint(lambda: line, sock=sock)
        return line

    @property
    def codec_name(self) -> str:
        return CODEC_NAMES[self._payload_type]

    def connect(self, remote: Address, payload_type: int) -> None:
        """Start carrying audio to and from ``remote`` in ``payload_type`` (0 or 8)."""
        self._remote = remote
        self._payload_type = payload_type
        self._codec = CODECS[payload_type]()
        self._last_heard = asyncio.get_running_loop().time()
        self._clock.add(self)

    async def write(self, pcm: bytes) -> None:
        """Queue the agent's audio (8 kHz PCM) for the line; waits while ~60 ms is queued,
        which paces the voice engine's output to the line's real time."""
        if self.ended is not None:
            return
        self._outgoing += pcm
        while len(self._outgoing) > QUEUED_FRAMES * FRAME_BYTES and self.ended is None:
            self._room.clear()
            await self._room.wait()

    def flush(self) -> None:
        """Drop the agent's audio not sent yet (the caller talked over it)."""
        self._outgoing.clear()
        self._room.set()

    def close(self, reason: str = "closed") -> None:
        if self.ended is not None:
            return
        self.ended = LineEnded(reason)
        self._clock.remove(self)
        self._room.set()
        if self._transport is not None:
            self._transport.close()
        self.heard.put_nowait(self.ended)

    # the clock's tick

    def tick(self, now: float) -> None:
        self._play_heard()
        self._send_next()
        if now - self._last_heard > self._timeout:
            logger.info("no RTP from %s for %.0f s: the call is over", self._remote, self._timeout)
            if self.on_timeout is not None:
                self.on_timeout()
            self.close("timeout")

    def _play_heard(self) -> None:
        if self._filling and len(self._playout) >= PLAYOUT_FRAMES:
            self._filling = False
        if not self._filling:
            if self._playout:
                self.heard.put_nowait(self._playout.popleft())
            else:
                self._filling = True  # ran dry: buffer 40 ms again before playing

    def _send_next(self) -> None:
        chunk = bytes(self._outgoing[:FRAME_BYTES])
        del self._outgoing[:FRAME_BYTES]
        if len(self._outgoing) <= QUEUED_FRAMES * FRAME_BYTES:
            self._room.set()
        chunk = chunk.ljust(FRAME_BYTES, b"\0")
        packet = RtpPacket(
            payload_type=self._payload_type,
            marker=1 if self._first_packet else 0,
            sequence_number=self._sequence,
            timestamp=self._timestamp,
            ssrc=self._ssrc,
            payload=self._codec.encode(chunk),
        )
        self._first_packet = False
        self._sequence = (self._sequence + 1) & 0xFFFF
        self._timestamp = (self._timestamp + FRAME_BYTES // 2) & 0xFFFFFFFF
        if self._transport is not None and self._remote is not None:
            self._transport.sendto(packet.serialize(), self._remote)

    # asyncio's protocol callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)
        self.local = transport.get_extra_info("sockname")[:2]

    def datagram_received(self, data: bytes, addr: Address) -> None:
        if self._remote is None or self.ended is not None or is_rtcp(data):
            return
        try:
            packet = RtpPacket.parse(data)
        except ValueError:
            return
        self._last_heard = asyncio.get_running_loop().time()
        if packet.payload_type == DTMF_PAYLOAD_TYPE:
            self._dtmf.handle_packet(packet)
            self._take(self._jitter.mark_non_media(packet.sequence_number))
        elif packet.payload_type == self._payload_type:
            self._take(self._jitter.add(packet)[1])

    def error_received(self, exc: Exception) -> None:
        logger.debug("RTP socket error: %s", exc)  # ICMP unreachable: the timeout decides

    def _take(self, frame: JitterFrame | None) -> None:
        """A frame the jitter buffer completed, in order, into the playout buffer."""
        if frame is None or not frame.data:
            return
        for _ in range(min(frame.lost, PLAYOUT_FRAMES)):
            self._playout.append(SILENCE)  # keep the time of what was lost
        pcm = self._codec.decode(frame.data)
        for start in range(0, len(pcm), FRAME_BYTES):
            self._playout.append(pcm[start : start + FRAME_BYTES].ljust(FRAME_BYTES, b"\0"))
        while len(self._playout) > PLAYOUT_LIMIT:
            self._playout.popleft()
