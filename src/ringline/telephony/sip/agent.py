"""The SIP user agent's endpoint: its UDP socket and TCP/TLS connections (``streams``),
its client transactions and the requests it receives.

aiosipua parses and writes the messages; the socket is ringline's own asyncio protocol,
because aiosipua's asserts a transport class that uvloop's sockets are not (the failed
assertion stops uvloop reading the socket). Two things RFC 3261 asks of a UAC that
aiosipua leaves to its caller are done here: the ACK of a final non-2xx response to an
INVITE (a refusal, or the 487 after CANCEL), sent again whenever the response is
retransmitted, and the retransmission of requests over UDP (timers A and E; timer B
on every transport).
"""

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar, cast

from aiosipua import SipMessage, SipRequest, SipResponse
from aiosipua.headers import CaseInsensitiveDict

from ringline.telephony.sip.streams import Address, Streams

logger = logging.getLogger(__name__)

RequestHandler = Callable[[SipRequest, Address], Awaitable[None]]
K = TypeVar("K")

T1 = 0.5  # RFC 3261's round-trip estimate: the first retransmission interval
T2 = 4.0  # the longest interval between retransmissions
TRANSACTION_SECONDS = 64 * T1  # timer B / F: a request never answered times out
USER_AGENT = "ringline"


def top_branch(message: SipMessage) -> str:
    vias = message.via
    return (vias[0].branch or "") if vias else ""


def cseq_method(message: SipMessage) -> str:
    cseq = message.cseq
    return cseq.method if cseq else ""


@dataclass
class ClientTransaction:
    """A request sent, and the responses that come back for it, in order."""

    request: SipRequest
    address: Address
    responses: asyncio.Queue[SipResponse] = field(default_factory=asyncio.Queue)
    answered: asyncio.Event = field(default_factory=asyncio.Event)  # any response came
    final: bool = False
    closed: bool = False  # nobody waits for it any more: no more retransmissions

    async def next_response(self, timeout: float = TRANSACTION_SECONDS) -> SipResponse | None:
        try:
            return await asyncio.wait_for(self.responses.get(), timeout)
        except TimeoutError:
            return None


class SipEndpoint(asyncio.DatagramProtocol):
    def __init__(self, on_request: RequestHandler) -> None:
        self._on_request = on_request
        self._transport: asyncio.DatagramTransport | None = None
        self._transactions: dict[str, ClientTransaction] = {}
        # ACKs already sent, by the response they answer (its branch or, for 2xx, its
        # Call-ID): a retransmitted final response is answered with the same ACK.
        self._acks: dict[str, tuple[bytes, Address]] = {}
        # Responses sent to requests, by branch and method: a retransmitted request gets
        # the same answer again.
        self._responses: dict[tuple[str, str], tuple[bytes, Address]] = {}
        self._awaiting_ack: dict[str, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.local: Address = ("0.0.0.0", 0)
        self.streams = Streams(self._received)
        self.listening: dict[str, int] = {}  # the port ringline listens on, by transport

    async def open(self, host: str, port: int) -> Address:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: self, local_addr=(host, port))
        self.local = transport.get_extra_info("sockname")[:2]
        self.listening["UDP"] = self.local[1]
        return self.local

    async def listen(
        self, transport: str, host: str, port: int, tls: ssl.SSLContext | None = None
    ) -> None:
        """Accept SIP over ``transport`` (TCP, or TLS with ``tls``) on ``host:port``."""
        self.listening[transport] = (await self.streams.listen(host, port, tls))[1]

    async def link(
        self, address: Address, transport: str, tls: ssl.SSLContext | None, server_name: str
    ) -> None:
        """Before sending to ``address`` over TCP or TLS: a connection to it."""
        if transport != "UDP":
            await self.streams.connect(address, tls, server_name)

    def port_towards(self, address: Address, transport: str) -> int:
        """The port ringline's Via and Contact name to ``address``: the one it listens on
        for ``transport``, else its own end of the connection."""
        if transport in self.listening:
            return self.listening[transport]
        if self.streams.holds(address):
            return self.streams.local_port(address)
        return self.local[1]

    def close(self) -> None:
        self.streams.close()
        for task in [*self._tasks, *self._awaiting_ack.values()]:
            task.cancel()
        if self._transport is not None:
            self._transport.close()

    # asyncio's protocol callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: Address) -> None:
        self._received(data, addr[:2])

    def error_received(self, exc: Exception) -> None:
        logger.debug("SIP socket error: %s", exc)  # ICMP unreachable: the timers handle it

    def _received(self, data: bytes, address: Address) -> None:
        if not data.strip():
            return  # a keep-alive (CRLF)
        try:
            message = SipMessage.parse(data)
        except (ValueError, IndexError) as exc:
            logger.debug("dropped an unreadable SIP message from %s: %s", address, exc)
            return
        if isinstance(message, SipResponse):
            self._received_response(message)
        else:
            self._received_request(message, address)

    # sending

    def send(self, message: SipMessage, address: Address) -> None:
        self._wire(bytes(message), address)

    def _wire(self, data: bytes, address: Address) -> None:
        """On the connection to ``address`` if there is one, else over UDP."""
        if self.streams.write(data, address):
            return
        if self._transport is not None and not self._transport.is_closing():
            self._transport.sendto(data, address)

    def request(self, request: SipRequest, address: Address) -> ClientTransaction:
        """Send ``request``, retransmitting it until answered; its responses queue up."""
        transaction = ClientTransaction(request, address)
        self._transactions[_transaction_key(request)] = transaction
        self._spawn(self._retransmit(transaction))
        return transaction

    async def ask(self, request: SipRequest, address: Address) -> SipResponse:
        """A non-INVITE request's final response (a local 408 if none came)."""
        transaction = self.request(request, address)
        try:
            while True:
                response = await transaction.next_response()
                if response is None:
                    return response_to(request, 408, "Request Timeout")
                if response.status_code >= 200:
                    return response
        finally:
            self.finish(transaction)

    def finish(self, transaction: ClientTransaction) -> None:
        transaction.closed = True
        self._transactions.pop(_transaction_key(transaction.request), None)

    def fire(self, request: SipRequest, address: Address) -> None:
        """Send ``request`` reliably without waiting for its answer (CANCEL)."""

        async def until_final() -> None:
            transaction = self.request(request, address)
            try:
                while (response := await transaction.next_response()) is not None:
                    if response.status_code >= 200:
                        return
            finally:
                self.finish(transaction)

        self._spawn(until_final())

    def ack(self, ack: SipRequest, address: Address, answering: SipResponse) -> None:
        """Send ``ack`` for ``answering``, and again if that response comes again."""
        key = _ack_key(answering)
        self._acks[key] = (bytes(ack), address)
        self._forget_later(self._acks, key)
        self.send(ack, address)

    def respond(
        self,
        request: SipRequest,
        address: Address,
        code: int,
        reason: str,
        *,
        to_tag: str | None = None,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> SipResponse:
        response = response_to(request, code, reason, to_tag=to_tag)
        for name, value in (headers or {}).items():
            response.set_header(name, value)
        if body:
            response.set_header("Content-Type", "application/sdp")
        response.body = body
        key = (top_branch(request), request.method)
        self._responses[key] = (bytes(response), address)
        self._forget_later(self._responses, key)
        self.send(response, address)
        if request.method == "INVITE" and 200 <= code < 300:
            self._awaiting_ack[request.call_id or ""] = self._spawn(
                self._retransmit_until_ack(response, address)
            )
        return response

    # receiving

    def _received_response(self, response: SipResponse) -> None:
        transaction = self._transactions.get(_transaction_key(response))
        if transaction is not None and not transaction.final:
            transaction.answered.set()
            transaction.final = response.status_code >= 200
            transaction.responses.put_nowait(response)
            return
        # A retransmitted final response: the server did not hear the ACK.
        if cseq_method(response) != "INVITE":
            return
        if sent := self._acks.get(_ack_key(response)):
            self._wire(*sent)

    def _received_request(self, request: SipRequest, address: Address) -> None:
        key = (top_branch(request), request.method)
        if sent := self._responses.get(key):
            self._wire(*sent)
            return
        acked = (
            self._awaiting_ack.pop(request.call_id or "", None) if request.method == "ACK" else None
        )
        if acked is not None:
            acked.cancel()
        self._spawn(self._handle(request, address))

    async def _handle(self, request: SipRequest, address: Address) -> None:
        try:
            await self._on_request(request, address)
        except Exception:
            logger.exception("handling a SIP %s from %s failed", request.method, address)
            if request.method != "ACK":
                self.respond(request, address, 500, "Server Internal Error")

    # timers

    async def _retransmit(self, transaction: ClientTransaction) -> None:
        """Timers A/E and B/F: over UDP resend on a doubling interval until a response
        (an INVITE) or a final one (anything else), over a stream send once; 408 locally
        if none ever comes."""
        is_invite = transaction.request.method == "INVITE"
        reliable = self.streams.holds(transaction.address)
        wire = bytes(transaction.request)
        interval, waited = (TRANSACTION_SECONDS if reliable else T1), 0.0
        self._wire(wire, transaction.address)
        while waited < TRANSACTION_SECONDS and not transaction.closed:
            try:
                await asyncio.wait_for(transaction.answered.wait(), interval)
            except TimeoutError:
                waited += interval
                interval = min(interval * 2, T2) if not is_invite else interval * 2
                if not transaction.closed and waited < TRANSACTION_SECONDS:
                    self._wire(wire, transaction.address)
                continue
            if is_invite or transaction.final:
                return
            transaction.answered.clear()
        if not transaction.closed:
            timeout = response_to(transaction.request, 408, "Request Timeout")
            transaction.responses.put_nowait(timeout)

    async def _retransmit_until_ack(self, response: SipResponse, address: Address) -> None:
        """Timer G for a 2xx to an INVITE: resend it until the ACK comes (or give up)."""
        wire, interval, waited = bytes(response), T1, 0.0
        while waited < TRANSACTION_SECONDS:
            await asyncio.sleep(interval)
            waited += interval
            self._wire(wire, address)
            interval = min(interval * 2, T2)

    def _spawn(self, work: Awaitable[None]) -> asyncio.Task[None]:
        async def run() -> None:
            await work

        task = asyncio.create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _forget_later(self, table: dict[K, tuple[bytes, Address]], key: K) -> None:
        asyncio.get_running_loop().call_later(TRANSACTION_SECONDS, table.pop, key, None)


def _transaction_key(message: SipMessage) -> str:
    """A CANCEL shares its INVITE's branch: the CSeq method tells their responses apart."""
    return f"{top_branch(message)} {cseq_method(message)}"


def _ack_key(response: SipResponse) -> str:
    if 200 <= response.status_code < 300:
        return "2xx " + (response.call_id or "")
    return top_branch(response)


def response_to(
    request: SipRequest, code: int, reason: str, *, to_tag: str | None = None
) -> SipResponse:
    """A response to ``request`` with its dialog headers copied (RFC 3261 8.2.6.2)."""
    headers = CaseInsensitiveDict()
    for name in ("Via", "From", "To", "Call-ID", "CSeq"):
        for value in request.get_header_values(name):
            headers.append(name, value)
    to = request.get_header("To") or ""
    if to_tag and ";tag=" not in to and code > 100:
        headers.set_single("To", f"{to};tag={to_tag}")
    headers.set_single("User-Agent", USER_AGENT)
    return SipResponse(headers=headers, status_code=code, reason_phrase=reason)
