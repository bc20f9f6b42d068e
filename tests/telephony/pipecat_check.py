"""Messages a fake carrier sent, read back by Pipecat's own serializer for that carrier."""

import asyncio
import json
from collections.abc import Sequence
from types import SimpleNamespace

from pipecat.frames.frames import Frame, InputAudioRawFrame
from pipecat.serializers.base_serializer import FrameSerializer

from tests.telephony.relay import Message

PIPELINE_RATE = 16000


def audio_read_by(serializer: FrameSerializer, messages: Sequence[Message]) -> list[Frame]:
    """Pipecat's frames for the ``media`` messages: all audio, after its resampler's delay."""

    async def read() -> list[Frame]:
        # A pipeline's setup, as far as a serializer reads it: the pipeline's input rate.
        await serializer.setup(SimpleNamespace(audio_in_sample_rate=PIPELINE_RATE))  # type: ignore[arg-type]
        frames = []
        for message in messages:
            if message["event"] == "media":
                frame = await serializer.deserialize(json.dumps(message))
                if frame is not None:
                    frames.append(frame)
        return frames

    frames = asyncio.run(read())
    assert frames and all(isinstance(f, InputAudioRawFrame) for f in frames), frames[:3]
    return frames
