"""Plivo's Stream Event Protocol: the handshake, and a transport that speaks it.

Plivo sends ``start`` first (no ``connected``), counters as numbers, and ends a stream by
closing the socket. The call's ID and media token come in the stream URL's query.
"""

import json

from fastapi import WebSocket
from pipecat.serializers.plivo import PlivoFrameSerializer
from pipecat.transports.websocket.fastapi import FastAPIWebsocketParams, FastAPIWebsocketTransport

from ringline.telephony.carrier import BadStream, MediaStream
from ringline.voice.codec import PHONE_RATE


async def accept_plivo_stream(websocket: WebSocket) -> MediaStream:
    try:
        message = json.loads(await websocket.receive_text())
    except json.JSONDecodeError as exc:
        raise BadStream(f"a media stream message is not JSON: {exc}") from None
    start = message.get("start") if isinstance(message, dict) else None
    if message.get("event") != "start" or not isinstance(start, dict):
        raise BadStream("the stream did not open with Plivo's start message")
    encoding = (start.get("mediaFormat") or {}).get("encoding")
    if encoding != "audio/x-mulaw":
        raise BadStream(f"the stream carries {encoding}, not the mu-law ringline asked for")
    serializer = PlivoFrameSerializer(
        stream_id=start.get("streamId", ""),
        call_id=start.get("callId", ""),
        params=PlivoFrameSerializer.InputParams(auto_hang_up=False),
    )
    params = FastAPIWebsocketParams(
        audio_in_enabled=True, audio_out_enabled=True, add_wav_header=False, serializer=serializer
    )
    return MediaStream(
        call_id=websocket.query_params.get("call_id", ""),
        token=websocket.query_params.get("token", ""),
        transport=FastAPIWebsocketTransport(websocket=websocket, params=params),
        sample_rate=PHONE_RATE,
    )
