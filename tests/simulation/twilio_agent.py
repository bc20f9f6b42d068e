"""A scripted "agent" behind a real Twilio Media Streams WebSocket, for callee tests.

It plays the voice engine's part: speaks each line as mu-law media paced in real
time (or faster, in bigger chunks, as Pipecat does), waits for the caller to answer,
yields to barge-in with ``clear``, and records everything the caller sent.
"""

import asyncio
import base64
import json
import time
from collections import deque
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

import numpy as np
import websockets
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from ringline.voice.codec import FRAME_SAMPLES, ulaw_decode, ulaw_encode

VOICE_RMS = 200.0
REPLY_END_FRAMES = 25  # 500 ms of caller silence ends the caller's reply
# Kept from before the first loud frame: a word's soft onset ("H" of "Hello") is under
# VOICE_RMS, and Whisper hears "Hello" without it as "below".
ONSET_FRAMES = 5


@dataclass
class CallerSide:
    """What the agent received from the caller."""

    messages: list[dict] = field(default_factory=list)  # everything but media
    frame_times: list[float] = field(default_factory=list)
    frames: list[dict] = field(default_factory=list)  # the media bodies
    utterances: list[np.ndarray] = field(default_factory=list)
    clears_sent: list[float] = field(default_factory=list)
    closed_at: float | None = None

    def events(self) -> list[str]:
        return [message["event"] for message in self.messages]


class TwilioAgent:
    def __init__(
        self,
        lines: Sequence[np.ndarray],
        *,
        hang_up_at_end: bool = False,
        speed: float = 1.0,
        chunk_samples: int = FRAME_SAMPLES,
        waits_for_caller: bool = False,
    ) -> None:
        self.lines = lines
        self.waits_for_caller = waits_for_caller
        self.hang_up_at_end = hang_up_at_end
        self.speed = speed
        self.chunk_samples = chunk_samples
        self.caller = CallerSide()
        self._replies: asyncio.Queue[bool] = asyncio.Queue()  # False: the caller is gone
        self._barged_in = asyncio.Event()
        self._speaking = False
        self._reply: list[np.ndarray] = []  # the caller's reply so far
        self._before: deque[np.ndarray] = deque(maxlen=ONSET_FRAMES)  # quiet frames before it
        self._quiet = 0  # silent frames since the caller last spoke

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[str]:
        async with websockets.serve(self._handle, "127.0.0.1", 0) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            yield f"ws://127.0.0.1:{port}/media"

    async def _handle(self, ws: ServerConnection) -> None:
        reader = asyncio.create_task(self._read(ws))
        with suppress(ConnectionClosed):
            await self._converse(ws)
        await reader

    async def _converse(self, ws: ServerConnection) -> None:
        # An agent with no first message: silent until the caller has said something.
        if self.waits_for_caller and not await self._replies.get():
            return
        for index, line in enumerate(self.lines):
            await self._say(ws, line, mark=f"line-{index + 1}")
            if not await self._replies.get():
                return
        if self.hang_up_at_end:
            self.caller.closed_at = time.monotonic()
            await ws.close()

    async def _say(self, ws: ServerConnection, pcm: np.ndarray, mark: str) -> None:
        self._barged_in.clear()
        self._speaking = True
        began = time.monotonic()
        for offset in range(0, len(pcm), self.chunk_samples):
            if self._barged_in.is_set():
                await self._send(ws, "clear")
                self.caller.clears_sent.append(time.monotonic())
                break
            chunk = pcm[offset : offset + self.chunk_samples]
            payload = base64.b64encode(ulaw_encode(chunk)).decode()
            await self._send(ws, "media", media={"payload": payload})
            due = began + (offset + len(chunk)) / 8000 / self.speed
            await asyncio.sleep(max(0.0, due - time.monotonic()))
        else:
            await self._send(ws, "mark", mark={"name": mark})
        self._speaking = False

    async def _send(self, ws: ServerConnection, event: str, **body: object) -> None:
        await ws.send(json.dumps({"event": event, "streamSid": "MZtest", **body}))

    async def _read(self, ws: ServerConnection) -> None:
        try:
            async for raw in ws:
                message = json.loads(raw)
                if message["event"] != "media":
                    self.caller.messages.append(message)
                    if message["event"] == "stop":
                        break
                    continue
                self.caller.frame_times.append(time.monotonic())
                self.caller.frames.append(message["media"])
                self._listen(ulaw_decode(base64.b64decode(message["media"]["payload"])))
        except ConnectionClosed:
            pass
        await self._replies.put(False)

    def _listen(self, pcm: np.ndarray) -> None:
        voiced = np.sqrt(np.mean(pcm.astype(np.float32) ** 2)) > VOICE_RMS
        if voiced and self._speaking:
            self._barged_in.set()
        if not voiced and not self._reply:
            self._before.append(pcm)
            return
        if not self._reply:
            self._reply.extend(self._before)
            self._before.clear()
        self._reply.append(pcm)
        self._quiet = 0 if voiced else self._quiet + 1
        if self._quiet == REPLY_END_FRAMES:
            self.caller.utterances.append(np.concatenate(self._reply))
            self._reply = []
            self._replies.put_nowait(True)
