"""A local Plivo, as its documentation describes it, for tests only.

REST: ``POST /v1/Account/{auth_id}/Call/`` (Basic auth, JSON; answers 201 with
``request_uuid``) and ``DELETE /v1/Account/{auth_id}/Call/{CallUUID}/`` (204, 404 when
gone). Each call then requests its ``ring_url``, its ``answer_url`` on pick-up (and
follows the ``<Stream>`` XML it answers) and its ``hangup_url`` at the end, each signed
with signature V3 as Plivo signs them (written here from the documentation). The callee
is the project's simulated callee, which speaks Twilio's Media Streams: a relay here
turns its messages into Plivo's Stream Event Protocol and back (``start`` first with no
``connected``, numeric counters, ``playAudio``, ``clearAudio`` answered by
``clearedAudio``, ``checkpoint`` answered by ``playedStream``, the socket closed to end),
refusing anything Plivo would not take.
"""

import asyncio
import base64
import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from xml.etree import ElementTree

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from ringline.simulation import CalleeReport, SimulatedCallee
from tests.fixtures.server import serving
from tests.telephony.relay import Message, Wire, relay

CalleeFactory = Callable[[str], SimulatedCallee]


def signature_v3(auth_token: str, url: str, params: dict[str, str], nonce: str) -> str:
    """The validation page's recipe, step by step: the URL without its query string, then
    ``?`` and the query's parameters sorted as key=value joined by ``&``; for a POST with
    parameters, a ``.`` after a non-empty query, then each POST parameter sorted by name
    as key followed by value. HMAC-SHA256 of that, ``.`` and the nonce; base64."""
    parts = urlsplit(url)
    text = f"{parts.scheme}://{parts.netloc}{parts.path}"
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    if query or params:
        text += "?" + "&".join(f"{key}={value}" for key, value in query)
    if query and params:
        text += "."
    for key in sorted(params):
        text += key + params[key]
    digest = hmac.new(auth_token.encode(), f"{text}.{nonce}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


@dataclass
class PlivoCall:
    uuid: str
    to_number: str
    from_number: str
    direction: str
    urls: dict[str, str] = field(default_factory=dict)
    status: str = "queued"
    stream_url: str = ""
    answered_at: float | None = None
    report: CalleeReport | None = None
    requests: list[dict[str, str]] = field(default_factory=list)
    wire: Wire = field(default_factory=Wire)  # the stream's messages, both ways
    task: asyncio.Task[None] | None = None


class FakePlivo:
    def __init__(
        self,
        auth_id: str,
        auth_token: str,
        callee: CalleeFactory,
        answers: dict[str, str] | None = None,
        ring_seconds: float = 0.3,
    ) -> None:
        self.auth_id = auth_id
        self.auth_token = auth_token
        self.callee = callee
        self.answers = answers or {}  # number -> in-progress (default), busy, no-answer...
        self.ring_seconds = ring_seconds
        self.calls: dict[str, PlivoCall] = {}
        self.hang_ups: list[tuple[str, int]] = []  # CallUUID, HTTP status answered
        self.base_url = ""
        self._http: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def app(self) -> Starlette:
        account = "/v1/Account/{auth_id}/Call"
        return Starlette(
            routes=[
                Route(f"{account}/", self._create, methods=["POST"]),
                Route(f"{account}/{{uuid}}/", self._hang_up, methods=["DELETE"]),
                WebSocketRoute("/relay/{uuid}", self._relay),
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

    def call_to(self, number: str) -> PlivoCall:
        return next(c for c in self.calls.values() if c.to_number == number)

    def _unauthorized(self, request: Request) -> Response | None:
        expected = base64.b64encode(f"{self.auth_id}:{self.auth_token}".encode()).decode()
        given = request.headers.get("Authorization", "")
        if request.path_params["auth_id"] != self.auth_id or given != f"Basic {expected}":
            return JSONResponse({"error": "authentication failed"}, status_code=401)
        return None

    async def _create(self, request: Request) -> Response:
        if refused := self._unauthorized(request):
            return refused
        body = await request.json()
        assert body["answer_url"] and body.get("answer_method", "POST") == "POST"
        kinds = ("answer", "ring", "hangup")
        call = PlivoCall(
            uuid=str(uuid.uuid4()),
            to_number="+" + str(body["to"]).removeprefix("+"),
            from_number="+" + str(body["from"]).removeprefix("+"),
            direction="outbound",
            urls={kind: body[f"{kind}_url"] for kind in kinds if body.get(f"{kind}_url")},
        )
        self.calls[call.uuid] = call
        call.task = asyncio.create_task(self._outbound(call))
        request_uuid = str(uuid.uuid4())
        body = {"api_id": str(uuid.uuid4()), "message": "call fired", "request_uuid": request_uuid}
        return JSONResponse(body, status_code=201)

    async def _hang_up(self, request: Request) -> Response:
        if refused := self._unauthorized(request):
            return refused
        call = self.calls.get(request.path_params["uuid"])
        if call is None or call.status in ("completed", "busy", "no-answer", "failed"):
            self.hang_ups.append((request.path_params["uuid"], 404))
            return JSONResponse({"error": "call not found"}, status_code=404)
        self.hang_ups.append((call.uuid, 204))
        if call.task is not None:
            call.task.cancel()
        return Response(status_code=204)

    async def _outbound(self, call: PlivoCall) -> None:
        try:
            await asyncio.sleep(self.ring_seconds / 2)
            await self._request(call, "ring", "ringing")
            await asyncio.sleep(self.ring_seconds)
            answer = self.answers.get(call.to_number, "in-progress")
            if answer != "in-progress":
                call.status = answer
                await self._request(call, "hangup", answer, HangupCause="USER_BUSY")
                return
            xml = await self._request(call, "answer", "in-progress")
            await self._follow(call, xml)
        except asyncio.CancelledError:
            pass
        finally:
            if call.status not in ("completed", "busy", "no-answer", "failed"):
                call.status = "completed"
                elapsed = time.monotonic() - call.answered_at if call.answered_at else 0
                await asyncio.shield(
                    self._request(call, "hangup", "completed", Duration=str(round(elapsed)))
                )

    async def _follow(self, call: PlivoCall, xml: str) -> None:
        """The answer XML's ``<Stream>``: the callee talks through the relay."""
        element = ElementTree.fromstring(xml).find("Stream")
        assert element is not None and element.text, xml
        assert element.attrib.get("bidirectional") == "true", xml
        assert element.attrib.get("contentType") == "audio/x-mulaw;rate=8000", xml
        call.stream_url, call.answered_at = element.text.strip(), time.monotonic()
        start = {"accountSid": self.auth_id, "callSid": call.uuid, "streamSid": call.uuid}
        relay = self.base_url.replace("http", "ws", 1) + f"/relay/{call.uuid}"
        call.report = await self.callee(call.to_number).converse(relay, start)

    async def _request(self, call: PlivoCall, kind: str, status: str, **extra: str) -> str:
        """Request one of the call's URLs as Plivo does: a signed form POST."""
        url = call.urls.get(kind)
        if url is None:
            return ""
        params = {
            "CallUUID": call.uuid,
            "From": call.from_number.removeprefix("+"),
            "To": call.to_number.removeprefix("+"),
            "CallStatus": status,
            "Direction": call.direction,
            "Event": {"ring": "Ring", "answer": "StartApp", "hangup": "Hangup"}[kind],
            **extra,
        }
        call.requests.append(params)
        response = await self.post_signed(url, params)
        return response.text

    async def post_signed(self, url: str, params: dict[str, str]) -> httpx.Response:
        assert self._http is not None
        nonce = secrets.token_hex(10)
        signed = signature_v3(self.auth_token, url, params, nonce)
        headers = {"X-Plivo-Signature-V3": signed, "X-Plivo-Signature-V3-Nonce": nonce}
        return await self._http.post(url, data=params, headers=headers)

    async def ring(self, answer_url: str, to_number: str, from_number: str) -> PlivoCall:
        """An inbound call to one of the account's numbers, answered per ``answer_url``."""
        call = PlivoCall(str(uuid.uuid4()), to_number, from_number, "inbound")
        call.urls["answer"] = answer_url
        self.calls[call.uuid] = call
        xml = await self._request(call, "answer", "ringing")
        call.status = "answered"
        if ElementTree.fromstring(xml).find("Stream") is not None:
            await self._follow(call, xml)
        call.status = "completed"
        return call

    async def _relay(self, callee: WebSocket) -> None:
        call = self.calls[callee.path_params["uuid"]]
        await relay(callee, call.stream_url, PlivoStream(call.uuid, self.auth_id), call.wire)


class PlivoStream:
    """Media Streams to Plivo's Stream Event Protocol and back."""

    def __init__(self, call_uuid: str, auth_id: str) -> None:
        self.uuid = call_uuid
        self.auth_id = auth_id
        self.sequence = 0

    def to_carrier(self, message: Message) -> Message | None:
        event = message["event"]
        self.sequence += 1
        if event == "start":
            media = {"encoding": "audio/x-mulaw", "sampleRate": 8000}
            start = {"callId": self.uuid, "streamId": self.uuid, "accountId": self.auth_id,
                     "tracks": ["inbound"], "mediaFormat": media}  # fmt: skip
            return {"event": "start", "sequenceNumber": self.sequence, "start": start,
                    "extra_headers": ""}  # fmt: skip
        if event == "media":
            media = {"track": "inbound", "timestamp": str(int(time.time() * 1000)),
                     "chunk": int(message["media"]["chunk"]),
                     "payload": message["media"]["payload"]}  # fmt: skip
            return {"event": "media", "sequenceNumber": self.sequence, "streamId": self.uuid,
                    "media": media}  # fmt: skip
        if event == "mark":
            return {"event": "playedStream", "streamId": self.uuid, "name": message["mark"]["name"]}
        return None  # connected: Plivo has none; stop: Plivo closes the socket

    def to_callee(self, message: Message) -> tuple[list[Message], list[Message]]:
        event, sid = message["event"], {"streamSid": self.uuid}
        if event == "playAudio":
            media = message["media"]
            assert (media["contentType"], media["sampleRate"]) == ("audio/x-mulaw", 8000), media
            return [{"event": "media", **sid, "media": {"payload": media["payload"]}}], []
        if event == "clearAudio":
            return [{"event": "clear", **sid}], [{"event": "clearedAudio", "streamId": self.uuid}]
        if event == "checkpoint":
            return [{"event": "mark", **sid, "mark": {"name": message["name"]}}], []
        raise AssertionError(f"Plivo has no {event!r} event: {message}")


@contextmanager
def running_fake_plivo(
    auth_id: str, auth_token: str, callee: CalleeFactory, **options: Any
) -> Iterator[FakePlivo]:
    fake = FakePlivo(auth_id, auth_token, callee, **options)
    with serving(fake.app()) as base_url:
        fake.base_url = base_url
        yield fake
