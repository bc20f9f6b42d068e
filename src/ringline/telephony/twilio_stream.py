"""The opening of a Twilio Media Streams connection (the sandbox speaks it too)."""

import json
from dataclasses import dataclass

from fastapi import WebSocket


@dataclass(frozen=True)
class StreamStart:
    stream_sid: str
    call_sid: str
    parameters: dict[str, str]


class BadStream(Exception):
    pass


async def read_start(websocket: WebSocket, max_messages: int = 5) -> StreamStart:
    """Read up to the ``start`` message: ``connected`` comes first, media never before it."""
    for _ in range(max_messages):
        message = json.loads(await websocket.receive_text())
        if message.get("event") == "start":
            start = message.get("start", {})
            return StreamStart(
                stream_sid=message.get("streamSid") or start.get("streamSid", ""),
                call_sid=start.get("callSid", ""),
                parameters=dict(start.get("customParameters") or {}),
            )
    raise BadStream("no start message at the beginning of the media stream")
