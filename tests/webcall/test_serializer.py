"""The widget's media protocol: PCM16 frames both ways, JSON for everything else."""

import json

import numpy as np
from pipecat.frames.frames import (
    CancelFrame,
    EndFrame,
    InputAudioRawFrame,
    InterruptionFrame,
    OutputAudioRawFrame,
    OutputTransportMessageUrgentFrame,
    TextFrame,
)

from ringline.webcall.serializer import WEB_RATE, BrowserFrameSerializer


def tone(rate: int, seconds: float = 0.2) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    return (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16).tobytes()


async def test_microphone_frames_become_pipeline_audio():
    serializer = BrowserFrameSerializer()
    pcm = tone(WEB_RATE)

    frame = await serializer.deserialize(pcm)

    assert isinstance(frame, InputAudioRawFrame)
    assert (frame.sample_rate, frame.num_channels, frame.audio) == (WEB_RATE, 1, pcm)


async def test_text_and_odd_bytes_from_the_browser_are_ignored():
    serializer = BrowserFrameSerializer()

    assert await serializer.deserialize('{"type": "hangup"}') is None
    assert await serializer.deserialize(b"\x01") is None


async def test_the_agents_voice_goes_out_at_16_khz():
    serializer = BrowserFrameSerializer()
    frame = OutputAudioRawFrame(audio=tone(24000, 1.0), sample_rate=24000, num_channels=1)

    sent = b"".join([await serializer.serialize(frame) or b"" for _ in range(3)])

    # A stream resampler keeps a little history: about three seconds at 16 kHz, give or take.
    assert abs(len(sent) // 2 - 3 * WEB_RATE) < WEB_RATE // 10


async def test_barge_in_transcript_lines_and_the_end_are_json():
    serializer = BrowserFrameSerializer()
    line = {"type": "transcript", "role": "agent", "text": "Hi"}

    cleared = await serializer.serialize(InterruptionFrame())
    said = await serializer.serialize(OutputTransportMessageUrgentFrame(message=line))
    ended = await serializer.serialize(EndFrame())
    again = await serializer.serialize(CancelFrame())

    assert json.loads(cleared) == {"type": "clear"}
    assert json.loads(said) == line
    assert json.loads(ended) == {"type": "ended"} and again is None
    assert await serializer.serialize(TextFrame("not for the browser")) is None
