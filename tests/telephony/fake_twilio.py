"""A local Twilio, as its documentation describes it, for tests only.

REST: ``POST /2010-04-01/Accounts/{AccountSid}/Calls.json`` (Basic auth with the account
SID and auth token, form-encoded, answers 201 with the Call resource) and
``POST .../Calls/{CallSid}.json`` with ``Status=completed|canceled`` (404 with code 20404
for a call it does not have). Each call then lives as Twilio's does: status callbacks
for the subscribed events, signed with ``X-Twilio-Signature`` as Twilio signs them
(written here from the documentation, not with ringline's validator); on answer, the
inline TwiML's ``<Connect><Stream>`` is followed: a simulated callee connects to the
stream's URL and speaks Media Streams (connected, start with the ``<Parameter>``s as
``customParameters``, 20 ms mu-law frames, marks answered at playout, ``clear``, stop).
Inbound, ``ring`` posts a signed call to a voice URL and follows the TwiML it answers.
"""

import asyncio
import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ringline.simulation import CalleeReport, SimulatedCallee
from tests.fixtures.server import serving

API_VERSION = "2010-04-01"
CalleeFactory = Callable[[str], SimulatedCallee]  # the number dialed -> who answers it


def signature(auth_token: str, url: str, params: list[tuple[str, str]]) -> str:
    """https://www.twilio.com/docs/usage/security: the full URL, then each POST parameter
    name followed by its value, sorted by name; HMAC-SHA1 with the auth token, base64."""
    signed = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


@dataclass
class Stream:
    url: str
    parameters: dict[str, str]


def parse_stream(twiml: str) -> Stream | None:
    """The ``<Connect><Stream>`` of a TwiML document, if it has one."""
    root = ElementTree.fromstring(twiml)
    element = root.find("./Connect/Stream")
    if element is None:
        return None
    url = element.attrib["url"]
    assert url.startswith(("ws://", "wss://")) and "?" not in url, url  # Twilio error 31920
    parameters = {p.attrib["name"]: p.attrib["value"] for p in element.findall("Parameter")}
    return Stream(url, parameters)


@dataclass
class FakeCall:
    sid: str
    to_number: str
    from_number: str
    direction: str
    twiml: str = ""
    status_callback: str = ""
    events: list[str] = field(default_factory=list)
    status: str = "queued"
    callbacks: list[dict[str, str]] = field(default_factory=list)
    answered_at: float | None = None
    report: CalleeReport | None = None
    task: asyncio.Task[None] | None = None


class FakeTwilio:
    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        callee: CalleeFactory,
        answers: dict[str, str] | None = None,
        ring_seconds: float = 0.3,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.callee = callee
        # How each number answers: in-progress (the default), busy, no-answer or failed.
        self.answers = answers or {}
        self.ring_seconds = ring_seconds
        self.calls: dict[str, FakeCall] = {}
        self.updates: list[tuple[str, str, int]] = []  # CallSid, Status asked, HTTP status
        self.base_url = ""
        self._http: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def app(self) -> Starlette:
        calls = f"/{API_VERSION}/Accounts/{{account}}/Calls"
        return Starlette(
            routes=[
                Route(f"{calls}.json", self._create, methods=["POST"]),
                Route(f"{calls}/{{sid}}.json", self._update, methods=["POST"]),
            ],
            lifespan=self._lifespan,
        )

    @asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        self._loop = asyncio.get_running_loop()
        async with httpx.AsyncClient(timeout=60) as self._http:
            yield

    def run(self, work: Coroutine[Any, Any, Any], timeout: float = 180) -> Any:
        """Run ``work`` on the fake's own loop (where its calls live) from a test's thread."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout)

    def call_to(self, number: str) -> FakeCall:
        return next(c for c in self.calls.values() if c.to_number == number)

    async def _create(self, request: Request) -> Response:
        if refused := self._unauthorized(request):
            return refused
        form = await request.form()
        call = FakeCall(
            sid="CA" + secrets.token_hex(16),
            to_number=str(form["To"]),
            from_number=str(form["From"]),
            direction="outbound-api",
            twiml=str(form["Twiml"]),
            status_callback=str(form.get("StatusCallback", "")),
            events=[str(e) for e in form.getlist("StatusCallbackEvent")],
        )
        assert len(call.twiml) <= 4000, "Twilio refuses longer inline TwiML"
        self.calls[call.sid] = call
        call.task = asyncio.create_task(self._outbound(call))
        return JSONResponse(self._resource(call), status_code=201)

    async def _update(self, request: Request) -> Response:
        if refused := self._unauthorized(request):
            return refused
        sid = request.path_params["sid"]
        call = self.calls.get(sid)
        status = str((await request.form())["Status"])
        assert status in ("completed", "canceled"), status
        if call is None or call.status in ("completed", "canceled", "busy", "failed"):
            self.updates.append((sid, status, 404))
            body = {"code": 20404, "message": "The requested resource was not found", "status": 404}
            return JSONResponse(body, status_code=404)
        self.updates.append((sid, status, 200))
        if call.task is not None:
            call.task.cancel()  # Twilio drops the line: the stream's socket closes
        return JSONResponse(self._resource(call))

    def _unauthorized(self, request: Request) -> Response | None:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        given = request.headers.get("Authorization", "")
        if request.path_params["account"] != self.account_sid or given != f"Basic {expected}":
            body = {"code": 20003, "message": "Authenticate", "status": 401}
            return JSONResponse(body, status_code=401)
        return None

    def _resource(self, call: FakeCall) -> dict[str, Any]:
        return {
            "sid": call.sid,
            "account_sid": self.account_sid,
            "to": call.to_number,
            "from": call.from_number,
            "status": call.status,
            "direction": call.direction,
            "api_version": API_VERSION,
            "uri": f"/{API_VERSION}/Accounts/{self.account_sid}/Calls/{call.sid}.json",
        }

    async def _outbound(self, call: FakeCall) -> None:
        try:
            await self._progress(call, "initiated", "initiated")
            await asyncio.sleep(self.ring_seconds / 2)
            await self._progress(call, "ringing", "ringing")
            await asyncio.sleep(self.ring_seconds)
            answer = self.answers.get(call.to_number, "in-progress")
            if answer != "in-progress":
                await self._progress(call, "completed", answer, SipResponseCode="486")
                return
            stream = parse_stream(call.twiml)
            assert stream is not None, call.twiml
            await self._connected(call, stream)
        except asyncio.CancelledError:
            pass
        finally:
            if call.status not in ("completed", "busy", "no-answer", "failed", "canceled"):
                final = "canceled" if call.answered_at is None else "completed"
                await asyncio.shield(self._progress(call, "completed", final))

    async def _connected(self, call: FakeCall, stream: Stream) -> None:
        """The callee picked up: ``answered``, then the stream, as concurrently as Twilio."""
        call.answered_at = time.monotonic()
        answered = asyncio.create_task(self._progress(call, "answered", "in-progress"))
        start = {
            "accountSid": self.account_sid,
            "callSid": call.sid,
            "streamSid": "MZ" + secrets.token_hex(16),
            "customParameters": stream.parameters,
        }
        call.report = await self.callee(call.to_number).converse(stream.url, start)
        await answered

    async def _progress(self, call: FakeCall, event: str, status: str, **extra: str) -> None:
        """Post one signed status callback, if the call subscribed to ``event``."""
        call.status = status
        if not call.status_callback or (event not in call.events and event != "completed"):
            return
        params = self._call_params(call) | {
            "CallStatus": status,
            "CallbackSource": "call-progress-events",
            "SequenceNumber": str(len(call.callbacks)),
            "Timestamp": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()),
            **extra,
        }
        if event == "completed":
            elapsed = time.monotonic() - call.answered_at if call.answered_at else 0
            params["CallDuration"] = str(round(elapsed))
        call.callbacks.append(params)
        await self.post_signed(call.status_callback, params)

    def _call_params(self, call: FakeCall) -> dict[str, str]:
        return {
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
            "CallSid": call.sid,
            "From": call.from_number,
            "To": call.to_number,
            "Caller": call.from_number,
            "Called": call.to_number,
            "Direction": call.direction,
        }

    async def post_signed(self, url: str, params: dict[str, str]) -> httpx.Response:
        """POST as Twilio does."""
        assert self._http is not None
        signed = signature(self.auth_token, url, list(params.items()))
        return await self._http.post(url, data=params, headers={"X-Twilio-Signature": signed})

    async def ring(self, voice_url: str, to_number: str, from_number: str) -> FakeCall:
        """An inbound call: ask ``voice_url`` what to do, and do it."""
        call = FakeCall("CA" + secrets.token_hex(16), to_number, from_number, "inbound")
        self.calls[call.sid] = call
        params = self._call_params(call) | {"CallStatus": "ringing"}
        response = await self.post_signed(voice_url, params)
        call.twiml = response.text
        call.status = "answered" if response.status_code == 200 else str(response.status_code)
        stream = parse_stream(call.twiml) if response.status_code == 200 else None
        if stream is not None:
            await self._connected(call, stream)
            call.status = "completed"
        return call


@contextmanager
def running_fake_twilio(
    account_sid: str, auth_token: str, callee: CalleeFactory, **options: Any
) -> Iterator[FakeTwilio]:
    """Serve a fake Twilio on loopback; ``base_url`` is the account's ``api_base_url``."""
    fake = FakeTwilio(account_sid, auth_token, callee, **options)
    with serving(fake.app()) as base_url:
        fake.base_url = base_url
        yield fake
