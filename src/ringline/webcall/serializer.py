"""The widget's media protocol, as a Pipecat serializer.

    browser -> ringline   binary: 16 kHz mono PCM16 (little-endian) from the microphone
    ringline -> browser   binary: 16 kHz mono PCM16 of the agent's voice
                          text:   JSON {"type": "clear"}          stop playing (barge-in)
                                  JSON {"type": "transcript", ...} a line of the transcript
                                  JSON {"type": "ended"}           the call is over

The browser hangs up by closing the socket. Text from the browser is ignored.
"""

import json

from pipecat.audio.utils import create_stream_resampler
from pipecat.frames.frames import (
    AudioRawFrame,
    CancelFrame,
    EndFrame,
    Frame,
    InputAudioRawFrame,
    InterruptionFrame,
    OutputTransportMessageFrame,
    OutputTransportMessageUrgentFrame,
)
from pipecat.processors.frame_processor import FrameProcessorSetup
from pipecat.serializers.base_serializer import FrameSerializer
from pipecat.transports.websocket.fastapi import FastAPIWebsocketParams, FastAPIWebsocketTransport
from starlette.websockets import WebSocket

WEB_RATE = 16000


class BrowserFrameSerializer(FrameSerializer):
    def __init__(self) -> None:
        super().__init__()
        self._pipeline_rate = WEB_RATE
        self._in = create_stream_resampler()
        self._out = create_stream_resampler()
        self._ended = False

    # Pipecat's FrameSerializer narrows BaseObject.setup the same way; mypy sees the base.
    async def setup(self, setup: FrameProcessorSetup) -> None:  # type: ignore[override]
        self._pipeline_rate = setup.audio_in_sample_rate or WEB_RATE

    async def serialize(self, frame: Frame) -> str | bytes | None:
        if isinstance(frame, InterruptionFrame):
            return json.dumps({"type": "clear"})
        if isinstance(frame, AudioRawFrame):
            audio = await self._out.resample(frame.audio, frame.sample_rate, WEB_RATE)
            return audio or None
        if isinstance(frame, OutputTransportMessageFrame | OutputTransportMessageUrgentFrame):
            return None if self.should_ignore_frame(frame) else json.dumps(frame.message)
        if isinstance(frame, EndFrame | CancelFrame) and not self._ended:
            self._ended = True
            return json.dumps({"type": "ended"})
        return None

    async def deserialize(self, data: str | bytes) -> Frame | None:
        if not isinstance(data, bytes) or len(data) < 2:
            return None
        pcm = data[: len(data) - len(data) % 2]
        audio = await self._in.resample(pcm, WEB_RATE, self._pipeline_rate)
        if not audio:
            return None
        return InputAudioRawFrame(audio=audio, num_channels=1, sample_rate=self._pipeline_rate)


def browser_transport(websocket: WebSocket) -> FastAPIWebsocketTransport:
    """A transport over the widget's socket, speaking the protocol above."""
    params = FastAPIWebsocketParams(
        audio_in_enabled=True,
        audio_out_enabled=True,
        add_wav_header=False,
        serializer=BrowserFrameSerializer(),
    )
    return FastAPIWebsocketTransport(websocket=websocket, params=params)
