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
        assert (await world.status(request.call_id)).status == "ringing"
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
