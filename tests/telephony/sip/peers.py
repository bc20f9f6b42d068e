"""The real SIP peers of the tests on loopback: SIPp and baresip processes, and an RTP sink.

No port is ever found free and handed over: the sink binds port 0 and keeps its socket,
and a peer is given a port to bind itself, started again on another if that one was
taken (its own bind is the check, read back from ``/proc``).
"""

import asyncio
import contextlib
import os
import random
import socket
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from aiortp.packet import RtpPacket

LOOPBACK = "127.0.0.1"
START_SECONDS = 60.0  # a loaded machine may take long to start a process
TCP_LISTEN = "0A"  # a listening socket's state in /proc/net/tcp


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


def _ports(pid: int, table: str, state: str | None = None) -> set[int]:
    """The ports of process ``pid``'s sockets in /proc/net/``table`` (in ``state``)."""
    inodes = _socket_inodes(pid)
    ports = set()
    for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[9] in inodes and state in (None, fields[3]):
            ports.add(int(fields[1].split(":")[1], 16))
    return ports


def udp_ports_of(pid: int) -> set[int]:
    return _ports(pid, "udp")


def ports_of(pid: int) -> set[int]:
    """The UDP ports process ``pid`` has bound and the TCP ports it listens on."""
    return udp_ports_of(pid) | _ports(pid, "tcp", TCP_LISTEN)


@dataclass
class Peer:
    process: asyncio.subprocess.Process
    port: int
    log: Path

    async def finished(self, timeout: float = 120.0) -> int:
        return await asyncio.wait_for(self.process.wait(), timeout)

    async def stop(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


async def start_peer(
    command: list[str],
    log: Path,
    port_range: range,
    cwd: Path,
    *,
    config: tuple[Path, str] | None = None,
    console_offset: int | None = None,
) -> Peer:
    """Start ``command`` on a port it binds itself (``{port}`` in the command, or in
    ``config``'s text, written to its path), and its console ``console_offset`` above
    (``{console}``)."""
    for _attempt in range(20):
        port = random.choice(port_range)
        args = [part.replace("{port}", str(port)) for part in command]
        if config is not None:
            path, text = config
            console = str(port + (console_offset or 0))
            path.write_text(text.replace("{port}", str(port)).replace("{console}", console))
        with log.open("wb") as out:
            process = await asyncio.create_subprocess_exec(
                *args, stdout=out, stderr=asyncio.subprocess.STDOUT, cwd=cwd,
                stdin=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
        ports = {port} if console_offset is None else {port, port + console_offset}
        if await _bound(process, ports, log):
            return Peer(process, port, log)
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
    raise RuntimeError(f"{command[0]} found no free port: {log.read_text(errors='replace')}")


async def _bound(process: asyncio.subprocess.Process, ports: set[int], log: Path) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.returncode is not None or b"already in use" in log.read_bytes():
            return False
        if ports <= ports_of(process.pid):
            return True
        await asyncio.sleep(0.05)
    return False


async def start_sipp(
    scenario: str,
    directory: Path,
    *,
    remote: str | None = None,
    calls: int = 1,
    name: str,
    transport: str = "u1",
) -> Peer:
    """SIPp running ``scenario`` (XML text): a UAS, or calling ``remote`` (host:port), over
    ``transport`` (SIPp's ``-t``: u1 UDP, t1 TCP)."""
    path = directory / f"{name}.xml"
    path.write_text(scenario)
    command = ["sipp", "-sf", str(path), "-i", LOOPBACK, "-p", "{port}", "-m", str(calls)]
    command += ["-t", transport]
    command += ["-mi", LOOPBACK, "-mp", str(random.randrange(30000, 40000, 2))]
    command += ["-nostdin", "-timeout", "180s", "-timeout_error", "-trace_err"]
    command += ["-error_file", str(directory / f"{name}-errors.log")]
    if remote is not None:
        command += [remote, "-l", str(calls), "-r", str(calls)]
    return await start_peer(command, directory / f"{name}.log", range(20000, 30000), directory)


# baresip's SIP takes its port over UDP and TCP, and TLS the next one: the console after.
CONSOLE_OFFSET = 2
BARESIP_CONFIG = """poll_method epoll
sip_listen 127.0.0.1:{port}
audio_source aufile,{source}
audio_player aubridge,nowhere
audio_alert aubridge,nowhere
ausrc_srate 8000
auplay_srate 8000
ausrc_channels 1
auplay_channels 1
rtp_ports 40000-49999
module_path /usr/lib/baresip/modules
module g711.so
module aufile.so
module aubridge.so
module sndfile.so
module cons.so
cons_listen 127.0.0.1:{console}
module_app account.so
module_app menu.so
snd_path {directory}
"""


async def start_baresip(
    directory: Path, source: Path, user: str, codec: str = "PCMU", *, extra_config: str = ""
) -> Peer:
    """baresip on loopback as ``user``: it answers calls to it at once, says ``source``
    (an 8 kHz WAV), keeps what it heard in ``directory`` (sndfile's dump-*-dec.wav), and
    takes keys on its UDP console."""
    directory.mkdir(parents=True, exist_ok=True)
    account = f"<sip:{user}@127.0.0.1>;regint=0;answermode=auto;audio_codecs={codec}\n"
    (directory / "accounts").write_text(account)
    text = BARESIP_CONFIG.replace("{source}", str(source)).replace("{directory}", str(directory))
    text += extra_config
    return await start_peer(
        ["baresip", "-f", str(directory)],
        directory / "baresip.log",
        range(20000, 30000, 4),
        directory,
        config=(directory / "config", text),
        console_offset=CONSOLE_OFFSET,
    )


KEY_RELEASE = "\x04"  # baresip's key-up: a DTMF event ends with it, or with the next key


def press(peer: Peer, keys: str) -> None:
    """Type ``keys`` on baresip's UDP console (digits in a call are sent as DTMF)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as console:
        console.sendto(keys.encode(), (LOOPBACK, peer.port + CONSOLE_OFFSET))


@dataclass
class Stream:
    packets: list[RtpPacket] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)


class RtpSink(asyncio.DatagramProtocol):
    """A socket on loopback collecting the RTP that arrives, per SSRC, with arrival times."""

    def __init__(self) -> None:
        self.streams: dict[int, Stream] = defaultdict(Stream)
        self.port = 0
        self._transport: asyncio.DatagramTransport | None = None

    @classmethod
    async def open(cls) -> "RtpSink":
        sink = cls()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((LOOPBACK, 0))
        await asyncio.get_running_loop().create_datagram_endpoint(lambda: sink, sock=sock)
        sink.port = sock.getsockname()[1]
        return sink

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        with contextlib.suppress(ValueError):
            packet = RtpPacket.parse(data)
            stream = self.streams[packet.ssrc]
            stream.packets.append(packet)
            stream.arrivals.append(time.monotonic())

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def count(self) -> int:
        return sum(len(stream.packets) for stream in self.streams.values())

    def payload(self) -> bytes:
        packets = [p for stream in self.streams.values() for p in stream.packets]
        return b"".join(p.payload for p in packets if p.payload_type in (0, 8))


async def eventually(condition, timeout: float = 90.0, what: str = "condition") -> None:
    """Poll ``condition`` (a callable) until true; generous: the machine may be loaded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
