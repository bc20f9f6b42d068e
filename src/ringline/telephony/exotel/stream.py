"""Exotel's Voicebot stream: Twilio's message names in snake_case, 16-bit PCM at 8 kHz.

Exotel plays out what it is sent only in chunks of at least 3.2 kB, each a multiple of
320 bytes (20 ms): the transport sends 200 ms of audio (3,200 bytes) per message."""

import json
from typing import Any

from fastapi import WebSocket
from pipecat.serializers.exotel import ExotelFrameSerializer
from pipecat.transports.websocket.fastapi import FastAPIWebsocketParams, FastAPIWebsocketTransport

from ringline.telephony.carrier import BadStream, MediaStream
from ringline.voice.codec import PHONE_RATE

CHUNK_10MS = 20  # 200 ms a message: 8,000 samples/s x 2 bytes x 0.2 s = 3,200 bytes


async def _start(websocket: WebSocket, max_messages: int = 5) -> dict[str, Any]:
    for _ in range(max_messages):
        try:
            message = json.loads(await websocket.receive_text())
        except json.JSONDecodeError as exc:
            raise BadStream(f"a media stream message is not JSON: {exc}") from None
        if isinstance(message, dict) and message.get("event") == "start":
            return dict(message.get("start") or {})
    raise BadStream("no start message at the beginning of the media stream")


async def accept_exotel_stream(websocket: WebSocket) -> MediaStream:
    start = await _start(websocket)
    rate = int((start.get("media_format") or {}).get("sample_rate") or PHONE_RATE)
    if rate != PHONE_RATE:
        raise BadStream(f"the stream carries {rate} Hz audio, not the 8 kHz ringline asked for")
    # The call's ID and token: in the stream URL's query, which Exotel also passes on as
    # the start's custom parameters.
    given = dict(websocket.query_params) | dict(start.get("custom_parameters") or {})
    serializer = ExotelFrameSerializer(
        stream_sid=start.get("stream_sid") or start.get("streamSid", ""),
        call_sid=start.get("call_sid"),
    )
    params = FastAPIWebsocketParams(
        audio_in_enabled=True,
        audio_out_enabled=True,
        add_wav_header=False,
        serializer=serializer,
        audio_out_10ms_chunks=CHUNK_10MS,
    )
    return MediaStream(
        call_id=given.get("call_id", ""),
        token=given.get("token", ""),
        transport=FastAPIWebsocketTransport(websocket=websocket, params=params),
        sample_rate=PHONE_RATE,
    )
