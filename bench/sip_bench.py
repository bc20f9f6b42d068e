"""How many SIP calls at once one process carries before its RTP pacing falls behind.

    python bench/sip_bench.py [--calls 10 25 50 100] [--seconds 10]

For each count N, SIPp answers N calls that ringline's SIP carrier places at once over a
trunk on loopback and streams audio into each, while each call's agent speaks a tone
back (SIP and RTP only: no voice models). Ringline's outgoing RTP goes to a receiver in
a separate process, so its timing is not the carrier's own event loop: per packet, the
RFC 3550 interarrival jitter of its stream (J += (|D| - J) / 16). Prints, per N, the p50
and p99 of that jitter over all packets after each call's first second, and the packets
that arrived of those due; pacing keeps up while p99 stays under 20 ms. Figures go to
``bench/results/sip_bench.json``.
"""

import argparse
import asyncio
import json
import math
import signal
import socket
import struct
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.harness import cpu_model, percentile  # noqa: E402
from tests.telephony.sip import scenarios  # noqa: E402
from tests.telephony.sip.peers import start_sipp  # noqa: E402
from tests.telephony.sip.world import sip_world  # noqa: E402

RESULT = Path(__file__).resolve().parent / "results" / "sip_bench.json"
CLOCK_RATE = 8000
SETTLE_SECONDS = 1.0  # each stream's first second: call setup, not pacing


def receive(seconds: float) -> None:
    """The receiver process: print its port, record (ssrc, seq, timestamp, arrival) of
    every RTP packet until SIGTERM or ``seconds``, then print them as JSON."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    stopped = False

    def stop(*_args: object) -> None:
        nonlocal stopped
        stopped = True

    signal.signal(signal.SIGTERM, stop)
    sock.settimeout(0.2)
    packets: list[tuple[int, int, int, float]] = []
    deadline = time.monotonic() + seconds
    while not stopped and time.monotonic() < deadline:
        try:
            data = sock.recv(2048)
        except (TimeoutError, InterruptedError):
            continue
        if len(data) >= 12:
            _, _, sequence, stamp, ssrc = struct.unpack("!BBHII", data[:12])
            packets.append((ssrc, sequence, stamp, time.monotonic()))
    print(json.dumps(packets), flush=True)


def jitters(packets: list[tuple[int, int, int, float]]) -> list[float]:
    """RFC 3550 6.4.1 interarrival jitter, in ms, after each packet of each stream."""
    streams: dict[int, list[tuple[int, int, float]]] = {}
    for ssrc, sequence, stamp, arrival in packets:
        streams.setdefault(ssrc, []).append((sequence, stamp, arrival))
    found = []
    for stream in streams.values():
        start, jitter, previous = stream[0][2], 0.0, stream[0]
        for packet in stream[1:]:
            transit = (packet[2] - previous[2]) - (packet[1] - previous[1]) / CLOCK_RATE
            jitter += (abs(transit) - jitter) / 16
            previous = packet
            if packet[2] - start >= SETTLE_SECONDS:
                found.append(jitter * 1000)
    return found


def tone(seconds: float) -> bytes:
    count = int(CLOCK_RATE * seconds)
    wave = (int(6000 * math.sin(2 * math.pi * 440 * n / CLOCK_RATE)) for n in range(count))
    return b"".join(struct.pack("<h", sample) for sample in wave)


async def run(calls: int, seconds: float, directory: Path) -> dict[str, Any]:
    receiver = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--receive", str(seconds + 120),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert receiver.stdout is not None
    port = int(await receiver.stdout.readline())
    audio = directory / "callee.raw"
    audio.write_bytes(bytes(range(256)) * 63)  # about 2 s of G.711, looped
    scenario = scenarios.answering(
        scenarios.Media(port), audio=str(audio), talk_ms=int(seconds * 1000)
    )
    world_directory = directory / f"world-{calls}"
    world_directory.mkdir()
    async with sip_world(world_directory) as world:
        world.agent.speech = tone(seconds + 2)
        sipp = await start_sipp(scenario, directory, name=f"callees-{calls}", calls=calls)
        await world.trunk(sipp.port)
        requests = [await world.call(f"+91980000{n:04d}") for n in range(calls)]
        await asyncio.gather(*(world.carrier.dial(r, world.reports) for r in requests))
        answered = len(world.agent.calls)
        await asyncio.wait_for(sipp.finished(seconds + 180), seconds + 200)
        await sipp.stop()
    receiver.terminate()
    output, _ = await receiver.communicate()
    packets = json.loads(output.decode().splitlines()[-1])
    found = jitters(packets)
    due = calls * seconds * 50
    return {
        "calls": calls,
        "answered": answered,
        "packets": len(packets),
        "packets_due": int(due),
        "jitter_p50_ms": round(percentile(found, 0.5), 2) if found else None,
        "jitter_p99_ms": round(percentile(found, 0.99), 2) if found else None,
    }


async def main(counts: list[int], seconds: float) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for calls in counts:
            row = await run(calls, seconds, Path(scratch))
            rows.append(row)
            print(
                f"{row['calls']:4d} calls: answered {row['answered']}, "
                f"packets {row['packets']}/{row['packets_due']}, "
                f"jitter p50 {row['jitter_p50_ms']} ms, p99 {row['jitter_p99_ms']} ms",
                flush=True,
            )
    keeping_pace = [r["calls"] for r in rows if (r["jitter_p99_ms"] or math.inf) < 20]
    print(f"machine: {cpu_model()}")
    print(f"most calls with p99 jitter under 20 ms: {max(keeping_pace, default=0)}")
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps({"machine": cpu_model(), "runs": rows}, indent=2) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, nargs="+", default=[10, 25, 50, 100])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--receive", type=float, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.receive is not None:
        receive(arguments.receive)
    else:
        asyncio.run(main(arguments.calls, arguments.seconds))
