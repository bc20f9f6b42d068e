"""The SIP carrier: each workspace's trunks (carrier accounts), one user agent per process.

Outbound, an INVITE goes to the trunk of the number the call is from, answering a digest
challenge once; 180/183 report ringing, a final refusal maps onto busy, no-answer or
failed (``codes``), and an INVITE ringing past ``sip_ring_seconds`` is cancelled. Once
answered, the call's RTP line is handed to the voice engine as a Pipecat transport, and
when the conversation ends ringline sends BYE (unless the far end hung up first).

Inbound, INVITEs arrive at ``RINGLINE_SIP_LISTEN`` (UDP and TCP) and
``RINGLINE_SIP_TLS_LISTEN``: the number in the Request-URI is answered by its assistant,
or refused with 404 (no such number), 480 (no assistant) or 486 (no room for another
call). Over TCP and TLS, every message of a call travels on the connection its INVITE
came or went on.
"""

import asyncio
import contextlib
import logging
import ssl
from dataclasses import dataclass, field

from aiosipua import SipRequest, SipResponse
from aiosipua.auth import answer_challenge
from aiosipua.header_codec import parse_address, parse_uri, stringify_uri
from aiosipua.utils import generate_call_id, generate_tag

from ringline.config import Settings
from ringline.telephony import sip
from ringline.telephony.accounts import account_of
from ringline.telephony.carrier import (
    CallLines,
    CallReports,
    Carrier,
    CarrierContext,
    DialRequest,
)
from ringline.telephony.sip import codes, dialog
from ringline.telephony.sip.agent import (
    TRANSACTION_SECONDS,
    ClientTransaction,
    SipEndpoint,
)
from ringline.telephony.sip.media import MediaClock, RtpLine
from ringline.telephony.sip.network import advertised_host, is_address, listen_address, resolve
from ringline.telephony.sip.registration import Registrar
from ringline.telephony.sip.streams import Address
from ringline.telephony.sip.transport import SipTransport
from ringline.telephony.sip.trunk import DEFAULT_RTP_PORTS, Trunk

logger = logging.getLogger(__name__)

# Why an inbound call was refused, as the SIP response that says so.
REFUSALS = {
    "unknown": (404, "Not Found"),
    "unassigned": (480, "Temporarily Unavailable"),
    "busy": (486, "Busy Here"),
}
BYE_WAIT_SECONDS = 5.0
STOP_WAIT_SECONDS = 15.0
CALL_ID_KEPT = 64  # the SIP Call-ID as the call's carrier ID: as much as the column holds


@dataclass
class Dialing:
    """An outbound INVITE not answered yet."""

    call_id: str
    invite: SipRequest
    address: Address
    transaction: ClientTransaction | None = None
    provisional: asyncio.Event = field(default_factory=asyncio.Event)
    cancelled: bool = False
    cancel_sent: bool = False


@dataclass
class LiveCall:
    """An answered call: its dialog, its RTP line and the conversation holding it."""

    call_id: str
    dialog: dialog.Dialog
    line: RtpLine
    far_end_hung_up: bool = False
    ended: bool = False
    conversation: asyncio.Task[None] | None = None


class SipCarrier(Carrier):
    name = sip.NAME

    def __init__(self, context: CarrierContext) -> None:
        self.context = context
        self.settings = context.settings
        self.lines: CallLines = context.lines
        self.clock = MediaClock()
        self.endpoint = SipEndpoint(self._on_request)
        self._opening = asyncio.Lock()
        self._open = False
        self._dialing: dict[str, Dialing] = {}
        self._live: dict[str, LiveCall] = {}  # by SIP Call-ID
        secret = self.settings.secret_key.get_secret_value()
        self.registrar = Registrar(
            context.db, secret, self.endpoint, self._advertised_host, self._ensure_open
        )
        self._registering: asyncio.Task[None] | None = None

    def reaches(self, number: str) -> bool:
        return sip.reaches(number)

    # the process

    async def start(self) -> None:
        if self.settings.sip_listen:
            await self._ensure_open()
            registering = self.registrar.keep_registered()
            self._registering = asyncio.create_task(registering, name="sip-register")

    async def stop(self) -> None:
        if self._registering is not None:
            self._registering.cancel()
            await asyncio.gather(self._registering, return_exceptions=True)
        for dialing in list(self._dialing.values()):
            await self.cancel(dialing.call_id)
        live = list(self._live.values())
        await asyncio.gather(*(self._end(call) for call in live), return_exceptions=True)
        talks = [call.conversation for call in live if call.conversation is not None]
        if talks:
            await asyncio.wait(talks, timeout=STOP_WAIT_SECONDS)
        await self.clock.stop()
        self.endpoint.close()

    async def _ensure_open(self) -> None:
        async with self._opening:
            if self._open:
                return
            host, port = listen_address(self.settings.sip_listen)
            try:
                await self.endpoint.open(host, port)
            except OSError as exc:
                # Another process of this deployment (a worker beside ``serve``) holds
                # it: inbound calls go there, and this one dials from a port of its own.
                logger.warning("SIP cannot listen on %s:%d (%s): using any port", host, port, exc)
                await self.endpoint.open(host, 0)
                self._open = True
                return
            self._open = True
            logger.info("SIP listening on %s:%d (UDP)", *self.endpoint.local)
            if self.settings.sip_listen:
                await self._listen("TCP", host, self.endpoint.local[1], None)
            if self.settings.sip_tls_listen:
                tls_host, tls_port = listen_address(self.settings.sip_tls_listen)
                await self._listen("TLS", tls_host, tls_port, server_tls(self.settings))

    async def _listen(
        self, transport: str, host: str, port: int, tls: ssl.SSLContext | None
    ) -> None:
        try:
            await self.endpoint.listen(transport, host, port, tls)
        except OSError as exc:
            logger.warning("SIP cannot listen on %s:%d (%s, %s)", host, port, transport, exc)
            return
        bound = self.endpoint.listening[transport]
        logger.info("SIP listening on %s:%d (%s)", host, bound, transport)

    # outbound

    async def dial(self, request: DialRequest, reports: CallReports) -> None:
        trunk = await self._trunk(request.from_number, request.workspace_id)
        if trunk is None:
            await reports.failed(request.call_id, f"{request.from_number} is on no SIP trunk")
            return
        try:
            await self._ensure_open()
            address = await resolve(trunk.host, trunk.port)
            await self.endpoint.link(address, trunk.transport, trunk.tls_context(), trunk.host)
            line = await self._bind_line(trunk.rtp_ports)
        except OSError as exc:
            await reports.failed(request.call_id, f"the SIP call was not placed: {exc}")
            return
        dialing = Dialing(request.call_id, self._invite(request, trunk, address, line), address)
        final = await self._ring(dialing, trunk, line, reports)
        if 200 <= final.status_code < 300:
            await self._answered(dialing, final, line, reports)
            return
        line.close()
        outcome = codes.unanswered(final.status_code, final.reason_phrase)
        await reports.unanswered(request.call_id, outcome.status, outcome.reason)

    async def cancel(self, call_id: str) -> None:
        dialing = self._dialing.get(call_id)
        if dialing is None:
            return
        dialing.cancelled = True
        if dialing.provisional.is_set():
            self._send_cancel(dialing)
        # else: CANCEL may only follow a provisional response; it is sent when one comes

    async def hang_up(self, call_id: str) -> None:
        for call in list(self._live.values()):
            if call.call_id == call_id:
                await self._end(call)

    async def _ring(
        self, dialing: Dialing, trunk: Trunk, line: RtpLine, reports: CallReports
    ) -> SipResponse:
        """The INVITE's final response; cancelled (the process stopping), the far end is
        told to stop ringing too."""
        self._dialing[dialing.call_id] = dialing
        try:
            return await self._place(dialing, trunk, reports)
        except asyncio.CancelledError:
            line.close()
            if dialing.provisional.is_set():
                self._send_cancel(dialing)
            raise
        finally:
            self._dialing.pop(dialing.call_id, None)

    async def _place(self, dialing: Dialing, trunk: Trunk, reports: CallReports) -> SipResponse:
        """Send the INVITE (again with credentials if challenged) until a final response."""
        challenged = False
        while True:
            final = await self._final_response(dialing, reports)
            if final.status_code not in (401, 407) or challenged or trunk.auth is None:
                return final
            authorization = answer_challenge(
                trunk.auth, final, final.status_code, "INVITE", dialing.invite.uri
            )
            if authorization is None:
                return final
            challenged = True
            dialing.invite = dialog.with_credentials(dialing.invite, *authorization)

    async def _final_response(self, dialing: Dialing, reports: CallReports) -> SipResponse:
        transaction = self.endpoint.request(dialing.invite, dialing.address)
        dialing.transaction = transaction
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.settings.sip_ring_seconds
        try:
            while True:
                left = give_up - loop.time() if not dialing.cancel_sent else TRANSACTION_SECONDS
                response = await transaction.next_response(max(left, 0.0))
                if response is None:
                    if dialing.cancel_sent:  # the far end never answered the CANCEL
                        return SipResponse(status_code=408, reason_phrase="Request Timeout")
                    dialing.cancelled = True
                    self._send_cancel(dialing)  # rang too long: no-answer
                    continue
                if response.status_code >= 200:
                    self._acknowledge_final(dialing, response)
                    return response
                await self._provisional(dialing, response, reports)
        finally:
            self.endpoint.finish(transaction)

    async def _provisional(
        self, dialing: Dialing, response: SipResponse, reports: CallReports
    ) -> None:
        dialing.provisional.set()
        if dialing.cancelled and not dialing.cancel_sent:
            self._send_cancel(dialing)
        elif response.status_code in codes.RINGING and not dialing.cancelled:
            await reports.ringing(dialing.call_id)

    def _acknowledge_final(self, dialing: Dialing, response: SipResponse) -> None:
        """ACK a refusal (2xx are ACKed by the dialog): same branch, the response's To."""
        if response.status_code < 300:
            return
        ack = dialog.within_invite(dialing.invite, "ACK", response.get_header("To") or "")
        self.endpoint.ack(ack, dialing.address, response)

    def _send_cancel(self, dialing: Dialing) -> None:
        if dialing.cancel_sent:
            return
        dialing.cancel_sent = True
        invite = dialing.invite
        cancel = dialog.within_invite(invite, "CANCEL", invite.get_header("To") or "")
        self.endpoint.fire(cancel, dialing.address)

    async def _answered(
        self, dialing: Dialing, ok: SipResponse, line: RtpLine, reports: CallReports
    ) -> None:
        call_dialog = self._outbound_dialog(dialing, ok)
        ack = call_dialog.request("ACK", cseq=dialog.cseq_number(dialing.invite))
        self.endpoint.ack(ack, call_dialog.address, ok)
        live = LiveCall(dialing.call_id, call_dialog, line)
        self._live[call_dialog.call_id] = live
        await self.lines.identified(dialing.call_id, call_dialog.call_id[:CALL_ID_KEPT])
        media = dialog.answered(ok.body)
        if dialing.cancelled or media is None:
            if media is None:
                await reports.failed(dialing.call_id, "the answer offered no G.711 audio")
            await self._end(live)
            return
        line.connect(media.address, media.payload_type)
        self._converse(live)

    def _outbound_dialog(self, dialing: Dialing, ok: SipResponse) -> dialog.Dialog:
        invite = dialing.invite
        target = ok.contact[0].uri if ok.contact else parse_uri(invite.uri)
        routes = list(reversed(ok.get_header_values("Record-Route")))
        # Requests in the dialog go to the far end's Contact, unless proxies stay in its
        # path (Record-Route), the Contact names a host rather than an address, or the
        # call travels on a connection.
        on_connection = self.endpoint.streams.holds(dialing.address)
        direct = not routes and is_address(target.host) and not on_connection
        address = (target.host, target.port or 5060) if direct else dialing.address
        return dialog.Dialog(
            call_id=invite.call_id or "",
            local=invite.get_header("From") or "",
            remote=ok.get_header("To") or "",
            target=stringify_uri(ok.contact[0].uri) if ok.contact else invite.uri,
            address=address,
            sent_by=dialog.sent_by(invite),
            contact=invite.get_header("Contact") or "",
            cseq=dialog.cseq_number(invite),
            routes=routes,
            transport=dialog.via_transport(invite),
        )

    def _invite(
        self, request: DialRequest, trunk: Trunk, address: Address, line: RtpLine
    ) -> SipRequest:
        host = self._advertised_host(address)
        sent_by = f"{host}:{self.endpoint.port_towards(address, trunk.transport)}"
        caller = trunk.caller_id or request.from_number
        uri = f"sip:{request.to_number}@{trunk.domain}{trunk.uri_parameters}"
        headers = [
            ("From", f"<sip:{caller}@{trunk.domain}>;tag={generate_tag()}"),
            ("To", f"<sip:{request.to_number}@{trunk.domain}>"),
            ("Call-ID", generate_call_id(host)),
            ("CSeq", "1 INVITE"),
            ("Contact", f"<sip:ringline@{sent_by}{trunk.uri_parameters}>"),
            ("Allow", dialog.ALLOW),
        ]
        offer = dialog.offer(host, line.local[1])
        return dialog.new_request("INVITE", uri, sent_by, headers, offer, transport=trunk.transport)

    # inbound

    async def _on_request(self, request: SipRequest, source: Address) -> None:
        handlers = {
            "INVITE": self._on_invite,
            "BYE": self._on_bye,
            "CANCEL": self._on_cancel,
            "OPTIONS": self._on_options,
        }
        if request.method == "ACK":
            return  # the endpoint stopped resending the 200; nothing else waits for it
        handler = handlers.get(request.method)
        if handler is None:
            self.endpoint.respond(request, source, 501, "Not Implemented")
            return
        await handler(request, source)

    async def _on_invite(self, request: SipRequest, source: Address) -> None:
        if (live := self._live.get(request.call_id or "")) is not None:
            self._answer_reinvite(request, source, live)
            return
        self.endpoint.respond(request, source, 100, "Trying")
        offered = dialog.answered(request.body)
        if offered is None:
            self.endpoint.respond(request, source, 488, "Not Acceptable Here")
            return
        to_number = _number(parse_uri(request.uri).user or "")
        trunk = await self._trunk(to_number)
        try:
            line = await self._bind_line(trunk.rtp_ports if trunk else DEFAULT_RTP_PORTS)
        except OSError:
            logger.warning("no RTP port free for an inbound call to %s", to_number)
            self.endpoint.respond(request, source, 503, "Service Unavailable")
            return
        admission = await self.lines.admit(
            self.name, to_number, _caller(request), (request.call_id or "")[:CALL_ID_KEPT]
        )
        if admission.call_id is None:
            line.close()
            code, reason = REFUSALS[admission.refusal or "unknown"]
            self.endpoint.respond(request, source, code, reason)
            return
        self._accept(request, source, line, admission.call_id, offered)

    def _accept(
        self,
        request: SipRequest,
        source: Address,
        line: RtpLine,
        call_id: str,
        offered: dialog.Media,
    ) -> None:
        host = self._advertised_host(source)
        transport = dialog.via_transport(request)
        sent_by = f"{host}:{self.endpoint.port_towards(source, transport)}"
        media_answer = dialog.answer(request.body, host, line.local[1])
        assert media_answer is not None  # the offer was read above
        tag = generate_tag()
        parameters = "" if transport == "UDP" else f";transport={transport.lower()}"
        contact = f"<sip:ringline@{sent_by}{parameters}>"
        self.endpoint.respond(
            request,
            source,
            200,
            "OK",
            to_tag=tag,
            headers={"Contact": contact, "Allow": dialog.ALLOW},
            body=media_answer[1],
        )
        target = request.contact[0].uri if request.contact else parse_uri(request.uri)
        call_dialog = dialog.Dialog(
            call_id=request.call_id or "",
            local=f"{request.get_header('To') or ''};tag={tag}",
            remote=request.get_header("From") or "",
            target=stringify_uri(target),
            address=source,
            sent_by=sent_by,
            contact=contact,
            cseq=0,
            routes=request.get_header_values("Record-Route"),
            transport=transport,
        )
        live = LiveCall(call_id, call_dialog, line)
        self._live[call_dialog.call_id] = live
        line.connect(offered.address, offered.payload_type)
        self._converse(live)

    def _answer_reinvite(self, request: SipRequest, source: Address, live: LiveCall) -> None:
        """A session refresh: the same audio goes on."""
        host = self._advertised_host(source)
        body = dialog.answer(request.body, host, live.line.local[1])
        self.endpoint.respond(
            request,
            source,
            200,
            "OK",
            headers={"Contact": live.dialog.contact},
            body=body[1] if body else b"",
        )

    async def _on_bye(self, request: SipRequest, source: Address) -> None:
        live = self._live.get(request.call_id or "")
        if live is None:
            self.endpoint.respond(request, source, 481, "Call/Transaction Does Not Exist")
            return
        self.endpoint.respond(request, source, 200, "OK")
        live.far_end_hung_up = True
        live.line.close("hangup")

    async def _on_cancel(self, request: SipRequest, source: Address) -> None:
        # Inbound INVITEs are answered as soon as they are admitted: nothing left to stop.
        self.endpoint.respond(request, source, 200, "OK")

    async def _on_options(self, request: SipRequest, source: Address) -> None:
        self.endpoint.respond(request, source, 200, "OK", headers={"Allow": dialog.ALLOW})

    # a call's conversation and its end

    def _converse(self, live: LiveCall) -> None:
        live.conversation = asyncio.create_task(self._hold(live), name=f"sip-{live.call_id}")

    async def _hold(self, live: LiveCall) -> None:
        try:
            if self.context.converse is None:
                logger.warning("this process carries no call audio: %s hung up", live.call_id)
            else:
                await self.context.converse(live.call_id, SipTransport(live.line))
        except Exception:
            logger.exception("the conversation of %s failed", live.call_id)
        finally:
            await self._end(live)

    async def _end(self, live: LiveCall) -> None:
        """Close the line and, unless the far end hung up, say BYE (waiting briefly)."""
        if live.ended:
            return
        live.ended = True
        live.line.close("closed")
        self._live.pop(live.dialog.call_id, None)
        if live.far_end_hung_up:
            return
        transaction = self.endpoint.request(live.dialog.request("BYE"), live.dialog.address)
        try:
            await transaction.next_response(BYE_WAIT_SECONDS)
        finally:
            self.endpoint.finish(transaction)

    # helpers

    async def _trunk(self, number: str, workspace_id: str | None = None) -> Trunk | None:
        account = await account_of(self.context.db, self.settings, self.name, number, workspace_id)
        return None if account is None else Trunk.of(account.account_id, account.fields)

    async def _bind_line(self, ports: range) -> RtpLine:
        host = self.endpoint.local[0]
        return await RtpLine.bind(self.clock, host, ports, self.settings.sip_rtp_timeout_seconds)

    def _advertised_host(self, towards: Address) -> str:
        return advertised_host(self.settings.sip_public_host, self.endpoint.local[0], towards)


def server_tls(settings: Settings) -> ssl.SSLContext:
    """The certificate ringline presents to peers calling in over TLS."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    assert settings.sip_tls_certificate is not None  # the settings check that both are set
    context.load_cert_chain(settings.sip_tls_certificate, settings.sip_tls_key)
    return context


def _number(user: str) -> str:
    """A Request-URI's user part as E.164: trunks send it with or without the plus."""
    digits = user.split(";")[0]
    return f"+{digits}" if digits.isdigit() else digits


def _caller(request: SipRequest) -> str:
    sender = request.get_header("From") or ""
    with contextlib.suppress(ValueError, IndexError):
        return _number(parse_address(sender).uri.user or "")
    return ""
