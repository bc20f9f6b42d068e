"""Inbound calls from SIPp to ringline's listening socket: admission and audio both ways."""

import asyncio
import math
import struct
from dataclasses import replace

import pytest
from sqlalchemy import update

from ringline.models import Workspace
from ringline.telephony.sip.carrier import SipCarrier
from tests.telephony.sip import scenarios
from tests.telephony.sip.peers import RtpSink, start_sipp
from tests.telephony.sip.test_outbound import payload_file
from tests.telephony.sip.world import OUR_NUMBER


def tone(seconds: float, frequency: float = 440.0) -> bytes:
    samples = int(8000 * seconds)
    return b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * n / 8000)))
        for n in range(samples)
    )


async def place(world, tmp_path, number: str, expect: int, **options):
    sink = await RtpSink.open()
    scenario = scenarios.calling(number, scenarios.Media(sink.port), expect=expect, **options)
    sipp = await start_sipp(scenario, tmp_path, remote=world.address, name="caller")
    try:
        assert await sipp.finished() == 0, sipp.output()
    finally:
        sink.close()
        await sipp.stop()
    return sink


async def test_unknown_number_gets_404(world, tmp_path):
    await world.trunk(5060)
    await place(world, tmp_path, "+14155550999", 404)


async def test_number_without_assistant_gets_480(world, tmp_path):
    await world.trunk(5060, assistant=False)
    await place(world, tmp_path, OUR_NUMBER, 480)


async def test_no_room_for_another_call_gets_486(world, tmp_path):
    await world.trunk(5060)
    async with world.db.session() as session:
        await session.execute(
            update(Workspace)
            .where(Workspace.id == world.workspace_id)
            .values(concurrent_call_limit=0)
        )
    await place(world, tmp_path, OUR_NUMBER, 486)


@pytest.mark.parametrize("number", [OUR_NUMBER, OUR_NUMBER.lstrip("+")])
async def test_an_assigned_number_answers_and_audio_goes_both_ways(world, tmp_path, number):
    world.agent.speech = tone(2.0)
    await world.trunk(5060)
    audio, data = payload_file(tmp_path, 3)
    sink = await place(world, tmp_path, number, 200, audio=audio, talk_ms=5000)
    heard = await world.inbound()
    await asyncio.wait_for(heard.done.wait(), 120)
    assert heard.hung_up  # SIPp's BYE
    assert len(heard.audio) >= 0.6 * 5 * 16000
    # 5 s at 50 packets a second, the tone in the first 2 s of them.
    assert sink.count() >= 0.6 * 250, sink.count()
    loud = [
        p for s in sink.streams.values() for p in s.packets if max(p.payload) - min(p.payload) > 40
    ]
    assert len(loud) >= 0.6 * 100, len(loud)
    call = await world.status(heard.call_id)
    assert call.direction == "inbound" and call.carrier == "sip"


async def test_a_second_process_on_the_listening_port_takes_another(world):
    taken = world.carrier.endpoint.local
    context = world.carrier.context
    second = SipCarrier(replace(context, settings=context.settings.model_copy(
        update={"sip_listen": f"{taken[0]}:{taken[1]}"}
    )))  # fmt: skip
    await second.start()
    try:
        assert second.endpoint.local[1] not in (0, taken[1])
    finally:
        await second.stop()
