"""SIP over TCP (SIPp, both ways) and TLS (baresip, both ways): the same calls as over UDP,
every message of a call on its connection, and a trunk whose certificate is not trusted
refused before anything is sent."""

import asyncio

import pytest

from tests.fixtures.certificates import make_certificates
from tests.telephony.sip import scenarios
from tests.telephony.sip.peers import RtpSink, eventually, press, start_baresip, start_sipp
from tests.telephony.sip.test_baresip import LOUD, heard_by_baresip, loudness, source
from tests.telephony.sip.test_inbound import tone
from tests.telephony.sip.test_outbound import CREDENTIALS, payload_file
from tests.telephony.sip.world import CALLEE, OUR_NUMBER, sip_world

TLS_OFFSET = 1  # baresip takes TLS on the port after its UDP/TCP one


async def test_ringline_calls_over_tcp_with_digest_and_hears_the_callee(world, tmp_path):
    sink = await RtpSink.open()
    audio, data = payload_file(tmp_path, 5)
    media = scenarios.Media(sink.port)
    scenario = scenarios.answering(media, credentials=CREDENTIALS, audio=audio, talk_ms=4000)
    sipp = await start_sipp(scenario, tmp_path, name="callee", transport="t1")
    user, password = CREDENTIALS
    await world.trunk(sipp.port, transport="tcp", username=user, password=password)
    request = await world.call()
    try:
        await world.carrier.dial(request, world.reports)
        await eventually(lambda: request.call_id in world.agent.calls, what="the answer")
        heard = world.agent.calls[request.call_id]
        await asyncio.wait_for(heard.done.wait(), 120)
        assert await sipp.finished() == 0, sipp.output()
    finally:
        sink.close()
        await sipp.stop()
    assert heard.hung_up  # SIPp's BYE, on the connection
    assert len(heard.audio) >= 0.6 * 3.5 * 16000
    assert sink.count() >= 0.6 * 50 * 3.5, sink.count()


async def test_sipp_calls_in_over_tcp_and_audio_goes_both_ways(world, tmp_path):
    world.agent.speech = tone(2.0)
    await world.trunk(5060)
    audio, _ = payload_file(tmp_path, 6)
    sink = await RtpSink.open()
    scenario = scenarios.calling(OUR_NUMBER, scenarios.Media(sink.port), audio=audio, talk_ms=4000)
    sipp = await start_sipp(scenario, tmp_path, remote=world.address, name="caller", transport="t1")
    try:
        assert await sipp.finished() == 0, sipp.output()
    finally:
        sink.close()
        await sipp.stop()
    heard = await world.inbound()
    await asyncio.wait_for(heard.done.wait(), 120)
    assert heard.hung_up
    assert len(heard.audio) >= 0.6 * 4 * 16000
    assert sink.count() >= 0.6 * 200, sink.count()


@pytest.fixture
def certificates(tmp_path):
    return make_certificates(tmp_path / "certificates")


@pytest.fixture
async def tls_world(tmp_path, certificates):
    async with sip_world(
        tmp_path,
        sip_tls_listen="127.0.0.1:0",
        sip_tls_certificate=certificates.certificate,
        sip_tls_key=certificates.key,
    ) as world:
        yield world


async def baresip_over_tls(tmp_path, certificates):
    """baresip presenting the tests' certificate on its TLS port, trusting their CA."""
    directory = tmp_path / "baresip"
    directory.mkdir()
    both = directory / "certificate-and-key.pem"
    both.write_text(certificates.certificate.read_text() + certificates.key.read_text())
    (directory / "ca.pem").write_text(certificates.ca)
    extra = f"sip_certificate {both}\nsip_cafile {directory / 'ca.pem'}\n"
    baresip = await start_baresip(directory, source(tmp_path), CALLEE, extra_config=extra)
    return baresip, directory


async def test_ringline_calls_baresip_over_tls_trusting_the_trunks_ca(
    tls_world, tmp_path, certificates
):
    world = tls_world
    world.agent.speech = tone(3.0)
    world.agent.hold_seconds = 5.0
    baresip, directory = await baresip_over_tls(tmp_path, certificates)
    # That port speaks only TLS: a call set up through it was set up over TLS.
    await world.trunk(
        baresip.port + TLS_OFFSET, transport="tls", tls_ca_certificates=certificates.ca
    )
    request = await world.call(CALLEE)
    try:
        await world.carrier.dial(request, world.reports)
        await eventually(lambda: request.call_id in world.agent.calls, what="the answer")
        heard = world.agent.calls[request.call_id]
        await asyncio.wait_for(heard.done.wait(), 120)
        await eventually(lambda: "closed" in baresip.output().lower(), what="baresip's hangup")
    finally:
        await baresip.stop()
    assert loudness(bytes(heard.audio[8000:])) > LOUD
    assert loudness(heard_by_baresip(directory)) > LOUD / 4


async def test_a_tls_trunk_with_an_untrusted_certificate_fails_the_call(
    tls_world, tmp_path, certificates
):
    world = tls_world
    baresip, _ = await baresip_over_tls(tmp_path, certificates)
    await world.trunk(baresip.port + TLS_OFFSET, transport="tls")  # the system's CAs only
    request = await world.call(CALLEE)
    try:
        await world.carrier.dial(request, world.reports)
    finally:
        await baresip.stop()
    call = await world.status(request.call_id)
    assert call.status == "failed" and "CERTIFICATE_VERIFY_FAILED" in (call.failure_reason or "")
    assert not world.agent.calls


async def test_baresip_calls_in_over_tls(tls_world, tmp_path, certificates):
    world = tls_world
    world.agent.speech = tone(3.0)
    baresip, directory = await baresip_over_tls(tmp_path, certificates)
    await world.trunk(5060)
    tls_port = world.carrier.endpoint.listening["TLS"]
    try:
        press(baresip, f"/dial sip:{OUR_NUMBER}@127.0.0.1:{tls_port};transport=tls\n")
        heard = await world.inbound()
        await eventually(lambda: len(heard.audio) >= 3 * 16000, what="baresip's audio")
        press(baresip, "/hangup\n")
        await asyncio.wait_for(heard.done.wait(), 120)
    finally:
        await baresip.stop()
    assert heard.hung_up
    assert loudness(bytes(heard.audio[8000:])) > LOUD
    assert loudness(heard_by_baresip(directory)) > LOUD / 4
