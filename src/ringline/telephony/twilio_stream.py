"""Twilio's Media Streams protocol: the handshake and a transport that speaks it.

The sandbox carrier speaks it too, so every sandbox call exercises the path a real
carrier's stream takes (Exotel's voicebot stream uses the same messages).
"""

import json
from dataclasses import dataclass

from fastapi import WebSocket
from pipecat.serializers.twilio import TwilioFrameSerializer
from pipecat.transports.websocket.fastapi import FastAPIWebsocketParams, FastAPIWebsocketTransport

from ringline.telephony.carrier import BadStream, MediaStream
from ringline.voice.codec import PHONE_RATE


@dataclass(frozen=True)
class StreamStart:
    stream_sid: str
    call_sid: str
    parameters: dict[str, str]


async def read_start(websocket: WebSocket, max_messages: int = 5) -> StreamStart:
    """Read up to the ``start`` message: ``connected`` comes first, media never before it."""
    for _ in range(max_messages):
        try:
            message = json.loads(await websocket.receive_text())
        except json.JSONDecodeError as exc:
            raise BadStream(f"a media stream message is not JSON: {exc}") from None
        if isinstance(message, dict) and message.get("event") == "start":
            start = message.get("start") or {}
            return StreamStart(
                stream_sid=message.get("streamSid") or start.get("streamSid", ""),
                call_sid=start.get("callSid", ""),
                parameters=dict(start.get("customParameters") or {}),
            )
    raise BadStream("no start message at the beginning of the media stream")


async def accept_twilio_stream(websocket: WebSocket) -> MediaStream:
    """The call a Media Streams socket carries, and a transport speaking its protocol."""
    start = await read_start(websocket)
    serializer = TwilioFrameSerializer(
        stream_sid=start.stream_sid,
        call_sid=start.call_sid,
        params=TwilioFrameSerializer.InputParams(auto_hang_up=False),
    )
    params = FastAPIWebsocketParams(
        audio_in_enabled=True, audio_out_enabled=True, add_wav_header=False, serializer=serializer
    )
    return MediaStream(
        call_id=start.parameters.get("call_id", ""),
        token=start.parameters.get("token", ""),
        transport=FastAPIWebsocketTransport(websocket=websocket, params=params),
        sample_rate=PHONE_RATE,
    )
