"""Outbound calls over a trunk whose far end is SIPp: digest, ringing, answer, audio, the
ends of a call, and the codes of calls nobody took."""

import asyncio
import random

import pytest
from aiortp.codecs.g711 import PcmaCodec, PcmuCodec

from tests.telephony.sip import scenarios
from tests.telephony.sip.peers import RtpSink, eventually, start_sipp

CREDENTIALS = ("trunkuser", "s3cret-pass")
CODECS = {0: PcmuCodec, 8: PcmaCodec}


def payload_file(directory, seed: int) -> tuple[str, bytes]:
    """Two seconds of G.711 bytes no two stretches of which are alike."""
    data = random.Random(seed).randbytes(16000)
    path = directory / f"audio-{seed}.raw"
    path.write_bytes(data)
    return str(path), data


@pytest.mark.parametrize("payload_type", [0, 8], ids=["mu-law", "a-law"])
async def test_answered_call_with_digest_hears_the_callee_exactly(world, tmp_path, payload_type):
    sink = await RtpSink.open()
    audio, data = payload_file(tmp_path, payload_type)
    scenario = scenarios.answering(
        scenarios.Media(sink.port, payload_type),
        credentials=CREDENTIALS,
        audio=audio,
        talk_ms=4000,
    )
    sipp = await start_sipp(scenario, tmp_path, name="callee")
    user, password = CREDENTIALS
    await world.trunk(sipp.port, username=user, password=password)
    request = await world.call()
    try:
        await world.carrier.dial(request, world.reports)
        dialed = await world.status(request.call_id)
        assert dialed.status == "ringing"  # reported; answering is the engine's to report
        assert dialed.carrier_call_id  # the SIP Call-ID
        await eventually(lambda: request.call_id in world.agent.calls, what="the answer")
        heard = world.agent.calls[request.call_id]
        await asyncio.wait_for(heard.done.wait(), 120)
        assert await sipp.finished() == 0, sipp.output()
    finally:
        sink.close()
        await sipp.stop()
    assert heard.hung_up  # SIPp's BYE ended it
    decoded = CODECS[payload_type]().decode(data)
    stretch = decoded[3200:9600]  # 0.4 s from within the file, however it was looped
    assert stretch in bytes(heard.audio)
    # Ringline's own RTP (silence: the agent said nothing) reached the callee's socket.
    assert sink.count() >= 0.6 * 50 * 3.5, sink.count()
    assert {p.payload_type for s in sink.streams.values() for p in s.packets} == {payload_type}


async def dialed(world, tmp_path, scenario: str, **trunk):
    sipp = await start_sipp(scenario, tmp_path, name="callee")
    await world.trunk(sipp.port, **trunk)
    return sipp, await world.call()


@pytest.mark.parametrize(
    ("code", "reason", "status"),
    [
        (486, "Busy Here", "busy"),
        (603, "Decline", "busy"),
        (480, "Temporarily Unavailable", "no-answer"),
        (408, "Request Timeout", "no-answer"),
        (404, "Not Found", "failed"),
        (503, "Service Unavailable", "failed"),
    ],
)
async def test_a_refused_call_ends_in_its_status(world, tmp_path, code, reason, status):
    sipp, request = await dialed(world, tmp_path, scenarios.refusing(code, reason))
    try:
        await world.carrier.dial(request, world.reports)
        assert await sipp.finished() == 0, sipp.output()  # SIPp had its ACK
    finally:
        await sipp.stop()
    call = await world.status(request.call_id)
    assert call.status == status
    assert f"SIP {code}" in (call.failure_reason or "")
    if status == "failed":
        assert call.failure_reason == f"SIP {code} {reason}"


async def test_cancel_while_ringing_sends_cancel_and_acks_the_487(world, tmp_path):
    sipp, request = await dialed(world, tmp_path, scenarios.ringing_until_cancelled())
    try:
        dial = asyncio.create_task(world.carrier.dial(request, world.reports))

        async def is_ringing():
            return (await world.status(request.call_id)).status == "ringing"

        for _ in range(1200):
            if await is_ringing():
                break
            await asyncio.sleep(0.1)
        await world.carrier.cancel(request.call_id)
        await asyncio.wait_for(dial, 120)
        assert await sipp.finished() == 0, sipp.output()
    finally:
        await sipp.stop()
    call = await world.status(request.call_id)
    assert call.status == "no-answer"
    assert "SIP 487" in (call.failure_reason or "")


async def test_ringline_hangs_up_with_bye(world, tmp_path):
    sink = await RtpSink.open()
    world.agent.hold_seconds = 2.0
    scenario = scenarios.answering(scenarios.Media(sink.port))
    sipp, request = await dialed(world, tmp_path, scenario)
    try:
        await world.carrier.dial(request, world.reports)
        assert await sipp.finished() == 0, sipp.output()  # it got the BYE and said 200
    finally:
        sink.close()
        await sipp.stop()
    assert not world.agent.calls[request.call_id].hung_up


async def test_a_peer_that_stops_sending_rtp_is_hung_up(world, tmp_path):
    world.settings.sip_rtp_timeout_seconds = 2.0
    sink = await RtpSink.open()
    scenario = scenarios.answering(scenarios.Media(sink.port))  # no audio, no BYE: silent
    sipp, request = await dialed(world, tmp_path, scenario)
    try:
        await world.carrier.dial(request, world.reports)
        assert await sipp.finished() == 0, sipp.output()  # the BYE came
    finally:
        sink.close()
        await sipp.stop()
    assert world.agent.calls[request.call_id].hung_up  # the line ended under the agent


async def test_stopping_the_carrier_hangs_up_live_calls(world, tmp_path):
    sink = await RtpSink.open()
    scenario = scenarios.answering(scenarios.Media(sink.port))
    sipp, request = await dialed(world, tmp_path, scenario)
    try:
        await world.carrier.dial(request, world.reports)
        await eventually(lambda: request.call_id in world.agent.calls, what="the answer")
        await world.carrier.stop()
        assert await sipp.finished() == 0, sipp.output()
    finally:
        sink.close()
        await sipp.stop()


async def test_eight_calls_at_once_keep_pace(world, tmp_path):
    sink = await RtpSink.open()
    audio, _ = payload_file(tmp_path, 1)
    scenario = scenarios.answering(scenarios.Media(sink.port), audio=audio, talk_ms=5000)
    sipp = await start_sipp(scenario, tmp_path, name="callees", calls=8)
    await world.trunk(sipp.port)
    requests = [await world.call(f"+1415555020{n}") for n in range(8)]
    try:
        await asyncio.gather(*(world.carrier.dial(r, world.reports) for r in requests))
        await eventually(lambda: len(world.agent.calls) == 8, what="eight answers")
        conversations = list(world.agent.calls.values())
        await asyncio.wait_for(asyncio.gather(*(c.done.wait() for c in conversations)), 120)
        assert await sipp.finished() == 0, sipp.output()
    finally:
        sink.close()
        await sipp.stop()
    # 5 s of talk each: 250 packets sent and 40000 bytes heard, with a loaded machine's margin
    assert len(sink.streams) == 8
    assert all(len(s.packets) >= 0.6 * 250 for s in sink.streams.values())
    assert all(len(c.audio) >= 0.6 * 5 * 16000 for c in conversations)


async def test_register_with_a_registrar_that_challenges(world, tmp_path):
    sipp = await start_sipp(scenarios.registrar(CREDENTIALS, 120), tmp_path, name="registrar")
    user, password = CREDENTIALS
    account_id = await world.trunk(sipp.port, username=user, password=password, register=True)
    try:
        await world.carrier.registrar.register_due()
        assert await sipp.finished() == 0, sipp.output()
    finally:
        await sipp.stop()
    # Granted 120 s: registered again in half that.
    next_time = world.carrier.registrar.due[account_id] - asyncio.get_running_loop().time()
    assert 30 < next_time <= 60
