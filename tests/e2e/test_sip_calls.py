"""Real calls over a SIP trunk: ringline serves with its SIP socket open, SIPp is the far
end on loopback, and the conversations run through the bundled models. Nothing here
waits in the event loop's thread pool (other tests of a long run may hold it): the
status polls block, which is harmless, SIPp and the server being other processes.

SIPp's SDP points ringline's RTP at a socket of this test (``RtpSink``), so the test
hears what the agent said; SIPp itself streams a callee that piper spoke into a file.
"""

import asyncio
import shutil
import time

import numpy as np
import pytest

from ringline.simulation.speech import CalleeVoice
from ringline.voice.codec import PHONE_RATE, ulaw_decode, ulaw_encode
from ringline.voice.stt import transcribe
from tests.e2e.test_calls import TERMINAL, wait_for, word_error_rate
from tests.e2e.test_twilio_calls import both_voices_recorded
from tests.fixtures.server import api_server, line_on_account
from tests.telephony.sip import scenarios
from tests.telephony.sip.peers import Peer, RtpSink, start_sipp, udp_ports_of

pytestmark = pytest.mark.skipif(shutil.which("sipp") is None, reason="needs SIPp (sip-tester)")

KEY = "rl_e2e-sip-admin-key-0123456789abcdef"
RENEWAL = ["Yes, I am interested in renewing my policy.", "Please send the details. Goodbye."]
GREETING = "Hello, this is Alex from Acme Insurance."
LONG_GREETING = (
    "Hello, this is Alex from Acme Insurance, calling about the renewal of your car "
    "insurance policy, which is due at the end of this month, and about the new discounts "
    "we can offer you this year if you renew early."
)
INTERRUPTION = "Sorry, who is calling me right now? I did not catch your name at all."


def speech_file(directory, name: str, parts: list[str | float]) -> tuple[str, float]:
    """``parts`` (lines piper speaks, and seconds of silence) as a mu-law file for SIPp's
    ``rtp_stream``; its path and length in seconds."""
    voice = CalleeVoice()
    pieces = [
        np.zeros(int(part * PHONE_RATE), np.int16)
        if isinstance(part, float)
        else voice.synthesize_now(part)
        for part in parts
    ]
    pcm = np.concatenate(pieces)
    path = directory / f"{name}.ulaw"
    path.write_bytes(ulaw_encode(pcm))
    return str(path), len(pcm) / PHONE_RATE


@pytest.fixture(scope="module")
def sip_server(tmp_path_factory):
    # Port 0: the server binds a port of the system's choosing, read back from /proc.
    variables = {"RINGLINE_SIP_LISTEN": "127.0.0.1:0", "RINGLINE_WARM_UP": "true"}
    with api_server(tmp_path_factory.mktemp("sip"), KEY, **variables) as (server, api):
        yield server, api, f"127.0.0.1:{sip_port_of(server.process.pid)}"


@pytest.fixture(scope="module")
def api(sip_server):
    return sip_server[1]


def sip_port_of(pid: int, timeout: float = 120.0) -> int:
    """The server's SIP port: the one UDP socket it holds before any call."""
    deadline = time.monotonic() + timeout
    while not (ports := udp_ports_of(pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(ports) == 1, f"the server holds UDP ports {ports}, expected its SIP port alone"
    return ports.pop()


def assistant(api, first_message: str) -> str:
    body = {
        "name": "Renewals",
        "prompt": "You are Alex from Acme Insurance. Answer in one short, friendly sentence.",
        "first_message": first_message,
    }
    return api.post("/assistants", json=body).raise_for_status().json()["id"]


def trunk(api, port: int, number: str, assistant_id: str) -> None:
    account = {"carrier": "sip", "host": "127.0.0.1", "port": port, "name": number}
    line_on_account(api, account, number, assistant_id)


def place(api, assistant_id: str, from_number: str) -> str:
    body = {"assistant_id": assistant_id, "to_number": "+919876543210", "from_number": from_number}
    response = api.post("/calls/outbound", json=body)
    assert response.status_code == 201, response.text
    return response.json()["call_id"]


async def finished(peer: Peer) -> None:
    try:
        assert await peer.finished(240) == 0, peer.output()
    finally:
        await peer.stop()


def customer_words(api, call_id: str) -> str:
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    return " ".join(t["text"] for t in transcript if t["role"] == "customer")


def heard_in(sink: RtpSink) -> np.ndarray:
    return ulaw_decode(sink.payload())


async def test_an_outbound_call_hears_the_callee(sip_server, api, tmp_path):
    server = sip_server[0]
    audio, seconds = speech_file(tmp_path, "renewal", [4.0, RENEWAL[0], 6.0, RENEWAL[1], 3.0])
    sink = await RtpSink.open()
    scenario = scenarios.answering(
        scenarios.Media(sink.port), audio=audio, loops=1, talk_ms=int((seconds + 4) * 1000)
    )
    sipp = await start_sipp(scenario, tmp_path, name="callee")
    assistant_id = assistant(api, GREETING)
    trunk(api, sipp.port, "+14155550101", assistant_id)
    call_id = place(api, assistant_id, "+14155550101")
    try:
        await finished(sipp)
    finally:
        sink.close()
    status = wait_for(api, call_id, TERMINAL, 180)
    assert status["status"] == "completed", status
    assert word_error_rate(" ".join(RENEWAL), customer_words(api, call_id)) < 0.3
    both_voices_recorded(api, server, call_id)
    # What ringline sent: its greeting, 50 packets a second, with a loaded machine's margin.
    assert sink.count() >= 0.6 * 50 * seconds, sink.count()


async def test_an_inbound_call_is_greeted_in_ringlines_rtp(sip_server, api, tmp_path):
    sink = await RtpSink.open()
    assistant_id = assistant(api, GREETING)
    trunk(api, 5060, "+14155550102", assistant_id)
    silence, _ = speech_file(tmp_path, "quiet", [1.0])
    scenario = scenarios.calling(
        "+14155550102", scenarios.Media(sink.port), audio=silence, talk_ms=10000
    )
    sipp = await start_sipp(scenario, tmp_path, remote=sip_server[2], name="caller")
    try:
        await finished(sipp)
    finally:
        sink.close()
    assert sink.count() >= 0.6 * 50 * 10, sink.count()
    heard = transcribe(heard_in(sink), PHONE_RATE)
    assert word_error_rate(GREETING, heard) < 0.3, heard
    calls = api.get("/calls/history").raise_for_status().json()["calls"]
    [inbound] = [
        c for c in calls if c["direction"] == "inbound" and c["to_number"] == "+14155550102"
    ]
    assert wait_for(api, inbound["call_id"], TERMINAL, 120)["status"] == "completed"


async def test_talking_over_the_greeting_silences_the_agent(sip_server, api, tmp_path):
    sink = await RtpSink.open()
    assistant_id = assistant(api, LONG_GREETING)
    trunk(api, 5060, "+14155550103", assistant_id)
    lead = 2.0
    audio, seconds = speech_file(tmp_path, "interruption", [lead, INTERRUPTION, 8.0])
    scenario = scenarios.calling(
        "+14155550103", scenarios.Media(sink.port), audio=audio, loops=1,
        talk_ms=int(seconds * 1000),
    )  # fmt: skip
    sipp = await start_sipp(scenario, tmp_path, remote=sip_server[2], name="caller")
    try:
        await finished(sipp)
    finally:
        sink.close()
    spoken = len(CalleeVoice().synthesize_now(INTERRUPTION)) / PHONE_RATE
    # While the caller is still talking, well after they started, the agent is quiet;
    # its greeting, left alone, would have gone on for many seconds more. Times are the
    # packets' arrivals: a loaded server may send fewer packets than the seconds passed.
    before = loudness(sink, 0.0, lead)
    assert before > 200  # the greeting was playing before the caller spoke
    assert loudness(sink, lead + 2.5, lead + spoken) < before / 4


def loudness(sink: RtpSink, start: float, end: float) -> float:
    """Mean absolute sample of the agent's audio that arrived ``start``..``end`` seconds
    after its first packet."""
    [stream] = sink.streams.values()
    first = stream.arrivals[0]
    payload = b"".join(
        packet.payload
        for packet, arrived in zip(stream.packets, stream.arrivals, strict=True)
        if start <= arrived - first < end
    )
    return float(np.abs(ulaw_decode(payload).astype(np.int32)).mean()) if payload else 0.0


async def test_end_hangs_up_with_bye(api, tmp_path):
    sink = await RtpSink.open()
    sipp = await start_sipp(scenarios.answering(scenarios.Media(sink.port)), tmp_path, name="c")
    assistant_id = assistant(api, GREETING)
    trunk(api, sipp.port, "+14155550104", assistant_id)
    call_id = place(api, assistant_id, "+14155550104")
    try:
        wait_for(api, call_id, {"in-progress"}, 120)
        await asyncio.sleep(2)
        api.post(f"/calls/{call_id}/end").raise_for_status()
        await finished(sipp)  # SIPp's scenario ends on ringline's BYE
    finally:
        sink.close()
    final = wait_for(api, call_id, TERMINAL, 60)
    assert final["status"] == "completed" and final["ended_by"] == "request"


async def test_ending_a_ringing_call_sends_cancel(api, tmp_path):
    sipp = await start_sipp(scenarios.ringing_until_cancelled(), tmp_path, name="c")
    assistant_id = assistant(api, GREETING)
    trunk(api, sipp.port, "+14155550105", assistant_id)
    call_id = place(api, assistant_id, "+14155550105")
    wait_for(api, call_id, {"ringing"}, 120)
    api.post(f"/calls/{call_id}/end").raise_for_status()
    await finished(sipp)  # SIPp's scenario ends once its 487 is ACKed
    final = wait_for(api, call_id, TERMINAL, 60)
    assert (
        final["status"] == "failed" and final["failure_reason"] == "ended by request before answer"
    )
