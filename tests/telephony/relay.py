"""The simulated callee speaks Twilio's Media Streams; a fake carrier whose stream speaks
another protocol relays it: the callee connects here, the relay connects to ringline's
stream URL as the carrier would, and a translation turns each message into the other
side's (and refuses what the carrier would not take)."""

import asyncio
import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from starlette.websockets import WebSocket, WebSocketDisconnect
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

Message = dict[str, Any]


class Translation(Protocol):
    def to_carrier(self, message: Message) -> Message | None:
        """The callee's message as the carrier sends it to ringline; None: it has none."""
        ...

    def to_callee(self, message: Message) -> tuple[Sequence[Message], Sequence[Message]]:
        """Ringline's message as the callee hears it, and the carrier's replies to it."""
        ...


@dataclass
class Wire:
    """Every message the carrier's side of the stream sent and received."""

    to_ringline: list[Message] = field(default_factory=list)
    from_ringline: list[Message] = field(default_factory=list)


async def relay(
    callee: WebSocket,
    stream_url: str,
    translation: Translation,
    wire: Wire,
    headers: dict[str, str] | None = None,
) -> None:
    await callee.accept()
    async with connect(stream_url, additional_headers=headers) as ringline:
        pumps = [
            asyncio.create_task(_to_ringline(callee, ringline, translation, wire)),
            asyncio.create_task(_to_callee(callee, ringline, translation, wire)),
        ]
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        for pump in pumps:
            pump.cancel()
        results = await asyncio.gather(*pumps, return_exceptions=True)
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await callee.close()
    for result in results:  # a message the carrier would refuse fails the call loudly
        if isinstance(result, AssertionError):
            raise result


async def _to_ringline(
    callee: WebSocket, ringline: ClientConnection, translation: Translation, wire: Wire
) -> None:
    with contextlib.suppress(WebSocketDisconnect, ConnectionClosed):
        while True:
            message = json.loads(await callee.receive_text())
            sent = translation.to_carrier(message)
            if sent is not None:
                wire.to_ringline.append(sent)
                await ringline.send(json.dumps(sent))
            if message["event"] == "stop":
                return  # the callee hung up: the carrier closes the stream


async def _to_callee(
    callee: WebSocket, ringline: ClientConnection, translation: Translation, wire: Wire
) -> None:
    with contextlib.suppress(WebSocketDisconnect, ConnectionClosed):
        async for raw in ringline:
            assert isinstance(raw, str), "carriers take text frames only"
            message = json.loads(raw)
            wire.from_ringline.append(message)
            heard, replies = translation.to_callee(message)
            for each in heard:
                await callee.send_text(json.dumps(each))
            for reply in replies:
                await ringline.send(json.dumps(reply))
