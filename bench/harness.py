"""What the benches share: the machine they ran on, percentiles, and a real server with
an API client for placing sandbox calls."""

import os
import platform
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from tests.fixtures.server import Server, running_server

__all__ = ["BenchServer", "bench_server", "cpu_model", "percentile"]


def cpu_model() -> str:
    """The CPU's model name and core count, printed with every figure."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        lines = []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return f"{names[0] if names else platform.machine()}, {os.cpu_count()} cores"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass(frozen=True)
class BenchServer:
    server: Server
    client: httpx.Client  # /v1, authorized
    data_dir: Path


@contextmanager
def bench_server(key: str, **variables: str) -> Iterator[BenchServer]:
    """``ringline serve`` on loopback in a fresh data dir: a 0.2 s ring, no rate limit."""
    with (
        tempfile.TemporaryDirectory() as data_dir,
        running_server(
            Path(data_dir),
            RINGLINE_BOOTSTRAP_API_KEY=key,
            RINGLINE_SANDBOX_RING_SECONDS="0.2",
            RINGLINE_RATE_LIMIT="100000/minute",
            **variables,
        ) as server,
        httpx.Client(
            base_url=f"{server.base_url}/v1", headers={"Authorization": f"Bearer {key}"}, timeout=60
        ) as client,
    ):
        yield BenchServer(server, client, Path(data_dir))
