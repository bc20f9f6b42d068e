"""A local Exotel, as its documentation describes it, for tests only.

REST: ``POST /v1/Accounts/{AccountSid}/Calls/connect.json`` ("Connect Voice AI": Basic
auth with the API key and token, form fields ``From``, ``CallerId``, ``StreamUrl``,
``StreamType=bidirectional``, ``StatusCallback``, ``StatusCallbackEvents[]``), answering
the Call object. Each call then posts its status callbacks (Exotel signs nothing) and, on
answer, opens the stream URL as the Voicebot does: ``connected``, ``start`` (snake_case,
the URL's query as ``custom_parameters``), 16-bit PCM 8 kHz ``media``, ``mark``,
``stop``. Inbound, ``ring`` asks a Voicebot applet URL for the stream's URL. The
simulated callee speaks Twilio's Media Streams through a relay; what ringline sends is
held to Exotel's rules (PCM chunks of at least 3.2 kB, at most 100 kB, in multiples of
320 bytes), and each breach is kept in ``chunk_errors``.
"""

import asyncio
import base64
import secrets
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import numpy as np
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from ringline.simulation import CalleeReport, SimulatedCallee
from ringline.voice.codec import ulaw_decode, ulaw_encode
from tests.fixtures.server import serving
from tests.telephony.relay import Message, Wire, relay

CalleeFactory = Callable[[str], SimulatedCallee]
TERMINAL = ("completed", "busy", "no-answer", "failed")


@dataclass
class ExotelCall:
    sid: str
    to_number: str
    from_number: str
    direction: str
    stream_url: str = ""
    status_callback: str = ""
    events: list[str] = field(default_factory=list)
    status: str = "queued"
    answered_at: float | None = None
    callbacks: list[dict[str, str]] = field(default_factory=list)
    report: CalleeReport | None = None
    wire: Wire = field(default_factory=Wire)
    chunk_errors: list[str] = field(default_factory=list)


class FakeExotel:
    def __init__(
        self,
        account_sid: str,
        api_key: str,
        api_token: str,
        callee: CalleeFactory,
        answers: dict[str, str] | None = None,
        ring_seconds: float = 0.3,
    ) -> None:
        self.account_sid = account_sid
        self.api_key = api_key
        self.api_token = api_token
        self.callee = callee
        self.answers = answers or {}
        self.ring_seconds = ring_seconds
        self.calls: dict[str, ExotelCall] = {}
        self.base_url = ""
        self._http: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/Accounts/{sid}/Calls/connect.json", self._connect, methods=["POST"]),
                WebSocketRoute("/relay/{sid}", self._relay),
            ],
            lifespan=self._lifespan,
        )

    @asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        self._loop = asyncio.get_running_loop()
        async with httpx.AsyncClient(timeout=60) as self._http:
            yield

    def run(self, work: Coroutine[Any, Any, Any], timeout: float = 180) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout)

    def call_to(self, number: str) -> ExotelCall:
        return next(c for c in self.calls.values() if c.to_number == number)

    def basic_auth(self) -> str:
        return "Basic " + base64.b64encode(f"{self.api_key}:{self.api_token}".encode()).decode()

    async def _connect(self, request: Request) -> Response:
        if request.path_params["sid"] != self.account_sid or (
            request.headers.get("Authorization") != self.basic_auth()
        ):
            body = {"RestException": {"Status": 401, "Message": "Authentication is required"}}
            return JSONResponse(body, status_code=401)
        form = await request.form()
        assert form["StreamType"] == "bidirectional" and len(str(form["StreamUrl"])) < 600
        call = ExotelCall(
            sid=secrets.token_hex(16),
            to_number=str(form["From"]),  # Exotel's From: the person dialed
            from_number=str(form["CallerId"]),
            direction="outbound-api",
            stream_url=str(form["StreamUrl"]),
            status_callback=str(form.get("StatusCallback", "")),
            events=[str(e) for e in form.getlist("StatusCallbackEvents[]")],
        )
        self.calls[call.sid] = call
        asyncio.create_task(self._outbound(call))
        resource = {"Sid": call.sid, "Status": "queued", "From": call.to_number,
                    "Direction": call.direction}  # fmt: skip
        return JSONResponse({"Call": resource})

    async def _outbound(self, call: ExotelCall) -> None:
        await asyncio.sleep(self.ring_seconds / 2)
        await self._callback(call, "ringing", "ringing")
        await asyncio.sleep(self.ring_seconds)
        answer = self.answers.get(call.to_number, "in-progress")
        if answer != "in-progress":
            call.status = answer
            await self._callback(call, "terminal", answer)
            return
        await self._callback(call, "answered", "in-progress")
        await self._talk(call)
        call.status = "completed"
        elapsed = time.monotonic() - (call.answered_at or time.monotonic())
        await self._callback(
            call, "terminal", "completed", ConversationDuration=str(round(elapsed))
        )

    async def _talk(self, call: ExotelCall) -> None:
        call.answered_at = time.monotonic()
        start = {"accountSid": self.account_sid, "callSid": call.sid, "streamSid": call.sid}
        relay_url = self.base_url.replace("http", "ws", 1) + f"/relay/{call.sid}"
        call.report = await self.callee(call.to_number).converse(relay_url, start)

    async def _callback(self, call: ExotelCall, event: str, status: str, **extra: str) -> None:
        call.status = status
        if not call.status_callback or event not in call.events:
            return
        params = {
            "CallSid": call.sid,
            "EventType": event,
            "Status": status,
            "From": call.to_number,
            "To": call.from_number,
            "Direction": call.direction,
            "DateUpdated": time.strftime("%Y-%m-%d %H:%M:%S"),
            **extra,
        }
        call.callbacks.append(params)
        assert self._http is not None
        await self._http.post(call.status_callback, data=params)

    async def ring(self, applet_url: str, to_number: str, from_number: str) -> ExotelCall:
        """An inbound call: the Voicebot applet asks ``applet_url`` where to stream it."""
        call = ExotelCall(secrets.token_hex(16), to_number, from_number, "inbound")
        self.calls[call.sid] = call
        query = {"CallSid": call.sid, "From": "0" + from_number[3:], "To": "0" + to_number[3:]}
        assert self._http is not None
        response = await self._http.get(
            applet_url, params=query, headers={"Authorization": self.basic_auth()}
        )
        call.status = str(response.status_code)
        if response.status_code == 200:
            call.stream_url = response.json()["url"]
            await self._talk(call)
            call.status = "completed"
        return call

    async def _relay(self, callee: WebSocket) -> None:
        call = self.calls[callee.path_params["sid"]]
        custom = dict(parse_qsl(urlsplit(call.stream_url).query))
        custom.pop("sample-rate", None)
        stream = ExotelStream(call, self.account_sid, custom)
        await relay(callee, call.stream_url, stream, call.wire)


class ExotelStream:
    """Media Streams (mu-law) to Exotel's Voicebot protocol (PCM16 LE) and back."""

    def __init__(self, call: ExotelCall, account_sid: str, custom: dict[str, str]) -> None:
        self.call = call
        self.account_sid = account_sid
        self.custom = custom
        self.sequence = 0

    def to_carrier(self, message: Message) -> Message | None:
        self.sequence += 1
        event, sid = message["event"], self.call.sid
        head = {"event": event, "sequence_number": str(self.sequence), "stream_sid": sid}
        if event == "connected":
            return {"event": "connected"}
        if event == "start":
            media_format = {"encoding": "audio/x-raw", "sample_rate": "8000", "bit_rate": "16"}
            start = {"stream_sid": sid, "call_sid": sid, "account_sid": self.account_sid,
                     "from": self.call.to_number, "to": self.call.from_number,
                     "custom_parameters": self.custom, "media_format": media_format}  # fmt: skip
            return head | {"start": start}
        if event == "media":
            pcm = ulaw_decode(base64.b64decode(message["media"]["payload"])).astype("<i2")
            media = {"chunk": message["media"]["chunk"], "timestamp": message["media"]["timestamp"],
                     "payload": base64.b64encode(pcm.tobytes()).decode()}  # fmt: skip
            return head | {"media": media}
        if event == "mark":
            return head | {"mark": message["mark"]}
        if event == "stop":
            return head | {"stop": {"call_sid": sid, "account_sid": self.account_sid,
                                    "reason": "callended"}}  # fmt: skip
        return None

    def to_callee(self, message: Message) -> tuple[list[Message], list[Message]]:
        event, sid = message["event"], {"streamSid": self.call.sid}
        if event == "media":
            pcm = base64.b64decode(message["media"]["payload"])
            self._check_chunk(len(pcm))
            audio = np.frombuffer(pcm, dtype="<i2")
            payload = base64.b64encode(ulaw_encode(audio)).decode()
            return [{"event": "media", **sid, "media": {"payload": payload}}], []
        if event == "clear":
            return [{"event": "clear", **sid}], []
        if event == "mark":
            return [{"event": "mark", **sid, "mark": message["mark"]}], []
        raise AssertionError(f"Exotel's Voicebot has no {event!r} event: {message}")

    def _check_chunk(self, size: int) -> None:
        if size % 320 or not 3200 <= size <= 100_000:
            self.call.chunk_errors.append(f"{size} bytes")


@contextmanager
def running_fake_exotel(
    account_sid: str, api_key: str, api_token: str, callee: CalleeFactory, **options: Any
) -> Iterator[FakeExotel]:
    fake = FakeExotel(account_sid, api_key, api_token, callee, **options)
    with serving(fake.app()) as base_url:
        fake.base_url = base_url
        yield fake
