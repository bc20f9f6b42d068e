"""Web calls from real headless Chromium: how long a call takes to connect, and the
agent's voice-to-voice latency over the widget's path.

Starts ``ringline serve`` on loopback, opens ``/demo`` in Debian's Chromium with a WAV
file (spoken by the bundled piper voice) as the microphone, and places ``--calls`` calls
one after another. For each: the time from pressing the call button to the server's
``call`` message (token fetch, microphone, socket, token claim, call row), and each agent
reply's latency breakdown from the transcript API.

    python bench/webcall_bench.py --calls 5

Prints a table and writes bench/results/webcall.json.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.harness import percentile  # noqa: E402
from tests.fixtures.server import running_server  # noqa: E402
from tests.webcall.chromium import launch  # noqa: E402
from tests.webcall.speech import spoken_wav  # noqa: E402

KEY = "rl_bench-webcall-0123456789abcdef"
SAID = "Hello, I would like to book a dental cleaning for next Tuesday morning."


def one_call(browser, base_url: str, api: httpx.Client, assistant_id: str) -> dict:
    page = browser.new_page()
    page.goto(f"{base_url}/demo")
    page.fill("#api-key", KEY)
    page.click("#load")
    page.wait_for_function("!document.querySelector('#assistant').disabled")
    page.select_option("#assistant", assistant_id)
    started = time.perf_counter()
    page.click("#widget button")
    page.wait_for_function("document.querySelector('#widget').dataset.callId", timeout=60_000)
    connect = time.perf_counter() - started
    page.wait_for_selector(".rl-line.rl-agent", timeout=120_000)
    call_id = page.get_attribute("#widget", "data-call-id")
    page.click("#widget button.rl-hangup")
    page.wait_for_selector("#summary[data-call-id]", timeout=120_000)
    page.close()
    turns = api.get(f"/calls/{call_id}/transcript").raise_for_status().json()["transcript"]
    latencies = [t["latency"] for t in turns if t["role"] == "agent" and t["latency"]]
    return {"call_id": call_id, "connect_seconds": round(connect, 3), "latencies": latencies}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ringline-webcall-bench-"))
    wav = spoken_wav(work / "caller.wav", SAID, lead_seconds=1.5)
    with (
        running_server(
            work / "data", RINGLINE_BOOTSTRAP_API_KEY=KEY, RINGLINE_RATE_LIMIT="100000/minute"
        ) as server,
        httpx.Client(
            base_url=f"{server.base_url}/v1", headers={"Authorization": f"Bearer {KEY}"}
        ) as api,
        sync_playwright() as playwright,
    ):
        body = {"name": "Receptionist", "prompt": "You are Sam of Acme Dental. Be brief."}
        assistant_id = api.post("/assistants", json=body).raise_for_status().json()["id"]
        browser = launch(playwright, wav)
        results = [one_call(browser, server.base_url, api, assistant_id) for _ in range(args.calls)]
        browser.close()
    connects = [r["connect_seconds"] for r in results]
    totals = [lat["total"] for r in results for lat in r["latencies"]]
    print(f"{len(results)} web calls from headless Chromium, one at a time")
    print(f"{'measure':<34}{'median':>8}{'p90':>8}{'max':>8}")
    for name, values in (
        ("click -> call answered (s)", connects),
        ("reply latency total (s)", totals),
    ):
        if values:
            print(
                f"{name:<34}{statistics.median(values):>8.3f}"
                f"{percentile(values, 0.9):>8.3f}{max(values):>8.3f}"
            )
    out = Path(__file__).parent / "results" / "webcall.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
