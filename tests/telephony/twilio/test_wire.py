"""The Media Streams messages of the fake Twilio's callee and of ringline's server,
cross-checked against Pipecat's own Twilio serializer."""

import asyncio
import base64
import json
from types import SimpleNamespace

import numpy as np
from pipecat.frames.frames import InputAudioRawFrame, InterruptionFrame, OutputAudioRawFrame
from pipecat.serializers.twilio import TwilioFrameSerializer

from ringline.simulation import CalleeReport
from ringline.simulation.ear import Earpiece
from ringline.simulation.line import PhoneLine
from ringline.telephony.twilio_stream import read_start

START = {
    "accountSid": "AC" + "5e" * 16,
    "callSid": "CA" + "1" * 32,
    "streamSid": "MZ" + "2" * 32,
    "customParameters": {"call_id": "call_x", "token": "t"},
}


class Wire:
    """Both ends of a socket in one list: what was sent, read back in order."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, message: str) -> None:
        self.sent.append(message)

    async def close(self) -> None:
        pass

    async def receive_text(self) -> str:
        return self.sent.pop(0)


async def serializer() -> TwilioFrameSerializer:
    twilio = TwilioFrameSerializer(
        stream_sid=START["streamSid"],
        params=TwilioFrameSerializer.InputParams(auto_hang_up=False),
    )
    # A pipeline's setup, as far as the serializer reads it: the pipeline's input rate.
    await twilio.setup(SimpleNamespace(audio_in_sample_rate=16000))  # type: ignore[arg-type]
    return twilio


async def callee_messages() -> list[dict]:
    wire = Wire()
    line = PhoneLine(wire, START, Earpiece(CalleeReport(connected_at=0.0)))  # type: ignore[arg-type]
    await line.open()
    running = asyncio.create_task(line.run())
    await asyncio.sleep(0.2)
    running.cancel()
    await line.hang_up()
    return [json.loads(m) for m in wire.sent]


async def test_the_callees_stream_is_what_pipecat_and_ringline_read_as_twilio():
    messages = await callee_messages()
    twilio = await serializer()

    events = [m["event"] for m in messages]
    assert events[:2] == ["connected", "start"] and events[-1] == "stop"
    # Pipecat's runner tells Twilio by these start fields; ringline reads the same ones.
    assert {"streamSid", "callSid"} <= messages[1]["start"].keys()
    wire = Wire()
    wire.sent = [json.dumps(m) for m in messages[:2]]
    start = await read_start(wire)  # type: ignore[arg-type]
    assert (start.stream_sid, start.call_sid) == (START["streamSid"], START["callSid"])
    assert start.parameters == START["customParameters"]
    media = [m for m in messages if m["event"] == "media"]
    assert len(media) >= 5
    frames = []
    for message in media:
        assert isinstance(message["sequenceNumber"], str)
        assert isinstance(message["media"]["chunk"], str)
        assert len(base64.b64decode(message["media"]["payload"])) == 160  # 20 ms mu-law
        frames.append(await twilio.deserialize(json.dumps(message)))
    # The resampler holds back its first milliseconds; then every frame is audio.
    heard = [frame for frame in frames if frame is not None]
    assert heard and all(isinstance(f, InputAudioRawFrame) for f in heard)
    assert {f.sample_rate for f in heard} == {16000}


async def test_what_the_server_sends_is_heard_and_cleared_by_the_callee():
    twilio = await serializer()
    report = CalleeReport(connected_at=0.0)
    ear = Earpiece(report)
    tone = (np.sin(np.arange(320) / 3) * 8000).astype(np.int16).tobytes()  # 20 ms
    frame = OutputAudioRawFrame(tone, sample_rate=16000, num_channels=1)

    sent = [await twilio.serialize(frame) for _ in range(20)]
    media = [message for message in sent if message is not None]  # after the resampler's delay
    clear = await twilio.serialize(InterruptionFrame())
    for message in [*media, clear]:
        ear._handle(json.loads(message), 1.0)

    assert media and all(json.loads(m)["streamSid"] == START["streamSid"] for m in media)
    assert json.loads(clear) == {"event": "clear", "streamSid": START["streamSid"]}
    assert report.agent_audio_seconds > 0 and report.clears == [1.0]
