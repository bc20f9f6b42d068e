"""The callee's side of a Twilio Media Streams socket: what it puts on the line.

Like a phone, the callee sends a 20 ms mu-law frame every 20 ms for the whole
call, silence when nobody speaks; its own speech replaces the silence.
"""

import asyncio
import base64
import json
import time
from typing import Any

import numpy as np
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from ringline.voice.codec import FRAME_SAMPLES, PHONE_RATE, ulaw_encode

from .ear import Earpiece

__all__ = ["PhoneLine"]

_FRAME_SECONDS = FRAME_SAMPLES / PHONE_RATE
_SILENCE = np.zeros(FRAME_SAMPLES, dtype=np.int16)
_MEDIA_FORMAT = {"encoding": "audio/x-mulaw", "sampleRate": PHONE_RATE, "channels": 1}
_KEY_SECONDS = 0.25  # a key held and let go, then the next


class PhoneLine:
    """Sends Twilio's caller-side messages: connected, start, paced media, marks, stop.

    ``start`` is the body of Twilio's ``start`` message; it must hold ``streamSid``
    and ``callSid`` and may hold ``accountSid`` and ``customParameters``.
    """

    def __init__(self, ws: ClientConnection, start: dict[str, Any], ear: Earpiece) -> None:
        self._ws = ws
        defaults = {"tracks": ["inbound"], "mediaFormat": _MEDIA_FORMAT, "customParameters": {}}
        self._start = defaults | start
        self._ear = ear
        self._sequence = 0
        self.frames_sent = 0
        self._speech = np.zeros(0, dtype=np.int16)
        self._spoken: asyncio.Future[tuple[float, float]] | None = None
        self._speech_started_at: float | None = None

    async def open(self) -> None:
        connected = {"event": "connected", "protocol": "Call", "version": "1.0.0"}
        await self._ws.send(json.dumps(connected))
        await self._send("start", start=self._start)

    async def run(self) -> None:
        """Put a frame on the line every 20 ms until the server hangs up."""
        began = time.monotonic()
        try:
            while True:
                await self._send_frame(time.monotonic())
                # Scheduled from the start, not from the last frame, so the pace never drifts.
                due = began + self.frames_sent * _FRAME_SECONDS
                await asyncio.sleep(max(0.0, due - time.monotonic()))
        except ConnectionClosed:
            pass

    async def speak(self, pcm: np.ndarray) -> tuple[float, float]:
        """Say ``pcm`` (8 kHz int16); returns when its first and last frames left."""
        self._speech = pcm
        self._spoken = asyncio.get_running_loop().create_future()
        return await self._spoken

    async def press(self, digits: str) -> tuple[float, float]:
        """Press keys, as Twilio reports them (a ``dtmf`` message per key); returns when
        the first and the last were pressed."""
        started_at = time.monotonic()
        for index, digit in enumerate(digits):
            if index:
                await asyncio.sleep(_KEY_SECONDS)
            await self._send("dtmf", dtmf={"track": "inbound_track", "digit": digit})
        return started_at, time.monotonic()

    async def hang_up(self) -> None:
        stop = {"accountSid": self._start.get("accountSid", ""), "callSid": self._start["callSid"]}
        await self._send("stop", stop=stop)
        await self._ws.close()

    async def _send_frame(self, now: float) -> None:
        frame = self._next_frame(now)
        self.frames_sent += 1
        media = {
            "track": "inbound",
            "chunk": str(self.frames_sent),
            "timestamp": str(round((self.frames_sent - 1) * _FRAME_SECONDS * 1000)),
            "payload": base64.b64encode(ulaw_encode(frame)).decode(),
        }
        await self._send("media", media=media)
        for name in self._ear.due_marks(now):
            await self._send("mark", mark={"name": name})

    def _next_frame(self, now: float) -> np.ndarray:
        if self._spoken is None:
            return _SILENCE
        if self._speech_started_at is None:
            self._speech_started_at = now
        frame, self._speech = self._speech[:FRAME_SAMPLES], self._speech[FRAME_SAMPLES:]
        if len(self._speech) == 0:
            if not self._spoken.done():  # done only when the speaker was cancelled
                self._spoken.set_result((self._speech_started_at, now))
            self._spoken, self._speech_started_at = None, None
        return np.pad(frame, (0, FRAME_SAMPLES - len(frame)))

    async def _send(self, event: str, **body: Any) -> None:
        self._sequence += 1
        message = {"event": event, "sequenceNumber": str(self._sequence), **body}
        await self._ws.send(json.dumps(message | {"streamSid": self._start["streamSid"]}))
