"""Calls between ringline and baresip, both ways: audio each way, and DTMF keys pressed on
baresip arriving in the pipeline as Pipecat's ``InputDTMFFrame``."""

import asyncio
import subprocess

from tests.telephony.sip.peers import KEY_RELEASE, eventually, press, start_baresip
from tests.telephony.sip.test_inbound import tone
from tests.telephony.sip.world import CALLEE, OUR_NUMBER

LOUD = 500  # mean absolute sample: a tone, well above a silent line's zeros


def loudness(pcm: bytes) -> float:
    samples = memoryview(pcm).cast("h")
    return sum(abs(s) for s in samples) / max(len(samples), 1)


def heard_by_baresip(directory) -> bytes:
    """The audio baresip decoded: its sndfile dump, read past the WAV header (whose sizes
    are only written when the dump is closed)."""
    dumps = sorted(directory.glob("dump-*-dec.wav"))
    assert dumps, list(directory.iterdir())
    data = dumps[-1].read_bytes()
    start = data.find(b"data") + 8
    return data[start : start + (len(data) - start) // 2 * 2]


def source(directory):
    path = directory / "baresip-says.wav"
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(path), "synth", "30", "sine",
         "600", "vol", "0.5"],
        check=True,
    )  # fmt: skip
    return path


async def test_baresip_calls_ringline_with_audio_and_dtmf(world, tmp_path):
    world.agent.speech = tone(3.0)
    directory = tmp_path / "baresip"
    directory.mkdir()
    baresip = await start_baresip(directory, source(tmp_path), CALLEE)
    await world.trunk(5060)
    try:
        press(baresip, f"/dial sip:{OUR_NUMBER}@{world.address}\n")
        heard = await world.inbound()
        await eventually(lambda: len(heard.audio) >= 3 * 16000, what="baresip's audio")
        for digit in "159":
            press(baresip, digit)
            await asyncio.sleep(0.3)
            press(baresip, KEY_RELEASE)
            await asyncio.sleep(0.3)
        await eventually(lambda: heard.digits == "159", what=f"the keys ({heard.digits!r})")
        press(baresip, "/hangup\n")
        await asyncio.wait_for(heard.done.wait(), 120)
    finally:
        await baresip.stop()
    assert heard.hung_up
    assert loudness(bytes(heard.audio[8000:])) > LOUD
    assert loudness(heard_by_baresip(directory)) > LOUD / 4


async def test_ringline_calls_baresip_with_audio_both_ways(world, tmp_path):
    world.agent.speech = tone(3.0)
    world.agent.hold_seconds = 5.0
    directory = tmp_path / "baresip"
    directory.mkdir()
    baresip = await start_baresip(directory, source(tmp_path), CALLEE)
    await world.trunk(baresip.port)
    request = await world.call(CALLEE)
    try:
        await world.carrier.dial(request, world.reports)
        await eventually(lambda: request.call_id in world.agent.calls, what="the answer")
        heard = world.agent.calls[request.call_id]
        await asyncio.wait_for(heard.done.wait(), 120)
        await eventually(lambda: "closed" in baresip.output().lower(), what="baresip's hangup")
    finally:
        await baresip.stop()
    assert not heard.hung_up  # ringline ended it, with BYE
    assert loudness(bytes(heard.audio[8000:])) > LOUD
    assert loudness(heard_by_baresip(directory)) > LOUD / 4
