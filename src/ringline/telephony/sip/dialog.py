"""SIP requests within a call (RFC 3261 dialogs) and the SDP offer/answer of its audio."""

import itertools
import time
from dataclasses import dataclass, field

from aiosipua import SipRequest, parse_sdp, serialize_sdp
from aiosipua.headers import CaseInsensitiveDict
from aiosipua.sdp import ConnectionData, MediaDescription, Origin, SdpMessage
from aiosipua.utils import generate_branch

from ringline.telephony.sip.agent import USER_AGENT, top_branch
from ringline.telephony.sip.media import CODEC_NAMES, DTMF_PAYLOAD_TYPE
from ringline.telephony.sip.streams import Address

ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS"
_versions = itertools.count(int(time.time()))


def new_request(
    method: str,
    uri: str,
    sent_by: str,
    headers: list[tuple[str, str]],
    body: bytes = b"",
    *,
    branch: str | None = None,
    transport: str = "UDP",
) -> SipRequest:
    """A request with its own Via (``sent_by`` is host:port, ``transport`` UDP, TCP or
    TLS) and ``headers`` in order."""
    fields = CaseInsensitiveDict()
    via = f"SIP/2.0/{transport} {sent_by};branch={branch or generate_branch()};rport"
    fields.append("Via", via)
    fields.append("Max-Forwards", "70")
    for name, value in headers:
        fields.append(name, value)
    fields.append("User-Agent", USER_AGENT)
    if body:
        fields.append("Content-Type", "application/sdp")
    return SipRequest(headers=fields, body=body, method=method, uri=uri)


@dataclass
class Dialog:
    """One call's dialog: what every request within it carries, and where it goes."""

    call_id: str
    local: str  # our From value, with our tag
    remote: str  # their To value, with their tag
    target: str  # the Request-URI: their Contact
    address: Address
    sent_by: str
    contact: str
    cseq: int
    routes: list[str] = field(default_factory=list)
    transport: str = "UDP"

    def request(self, method: str, *, cseq: int | None = None) -> SipRequest:
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        headers = [("Route", route) for route in self.routes]
        headers += [
            ("From", self.local),
            ("To", self.remote),
            ("Call-ID", self.call_id),
            ("CSeq", f"{cseq} {method}"),
            ("Contact", self.contact),
        ]
        return new_request(method, self.target, self.sent_by, headers, transport=self.transport)


@dataclass(frozen=True)
class Media:
    """Where the far end takes RTP, and the codec (payload type 0 or 8) agreed on."""

    address: Address
    payload_type: int


def offer(host: str, port: int) -> bytes:
    """Ringline's offer: mu-law first, A-law, and RFC 4733 telephone events."""
    formats = [*map(str, CODEC_NAMES), str(DTMF_PAYLOAD_TYPE)]
    rtpmaps = [f"{pt} {name}/8000" for pt, name in CODEC_NAMES.items()]
    return _sdp(host, port, formats, rtpmaps)


def answer(offered: bytes, host: str, port: int) -> tuple[Media, bytes] | None:
    """Answer an offer with the first G.711 codec in its order; None if it has none."""
    media = _chosen(offered)
    if media is None:
        return None
    name = CODEC_NAMES[media.payload_type]
    formats = [str(media.payload_type), str(DTMF_PAYLOAD_TYPE)]
    return media, _sdp(host, port, formats, [f"{media.payload_type} {name}/8000"])


def answered(body: bytes) -> Media | None:
    """The far end's answer to ringline's offer: its RTP address and codec."""
    return _chosen(body)


def _chosen(body: bytes) -> Media | None:
    try:
        sdp = parse_sdp(body.decode("utf-8", errors="replace"))
    except (ValueError, IndexError):
        return None
    address = sdp.rtp_address
    if sdp.audio is None or address is None or address[1] == 0:
        return None
    for fmt in sdp.audio.formats:
        if fmt.isdigit() and int(fmt) in CODEC_NAMES:
            return Media(address, int(fmt))
    return None


def _sdp(host: str, port: int, formats: list[str], rtpmaps: list[str]) -> bytes:
    version = str(next(_versions))
    rtpmaps.append(f"{DTMF_PAYLOAD_TYPE} telephone-event/8000")
    audio = MediaDescription(
        media="audio",
        port=port,
        proto="RTP/AVP",
        formats=formats,
        attributes={
            "rtpmap": rtpmaps,
            "fmtp": [f"{DTMF_PAYLOAD_TYPE} 0-16"],
            "ptime": ["20"],
            "sendrecv": [],
        },
    )
    sdp = SdpMessage(
        origin=Origin("ringline", version, version, "IN", "IP4", host),
        session_name="ringline",
        connection=ConnectionData("IN", "IP4", host),
        media=[audio],
    )
    return serialize_sdp(sdp).encode()


# Written afresh on every request (new_request), or replaced when it is retried.
_REBUILT_HEADERS = frozenset(
    {"via", "cseq", "max-forwards", "user-agent", "content-type", "content-length"}
    | {"authorization", "proxy-authorization"}
)


def with_credentials(request: SipRequest, header: str, value: str) -> SipRequest:
    """``request`` again as a new transaction (CSeq + 1, a new branch), carrying the
    answer to a digest challenge in ``header``."""
    headers = [
        (name, item)
        for name, values in request.headers.items()
        if name.lower() not in _REBUILT_HEADERS
        for item in values
    ]
    headers += [("CSeq", f"{cseq_number(request) + 1} {request.method}"), (header, value)]
    return new_request(
        request.method,
        request.uri,
        sent_by(request),
        headers,
        request.body,
        transport=via_transport(request),
    )


def within_invite(invite: SipRequest, method: str, to: str) -> SipRequest:
    """An ACK of a refusal, or a CANCEL: in the INVITE's own transaction (its branch and
    CSeq number, RFC 3261 9.1 and 17.1.1.3), ``to`` as the refusal or the INVITE gave it."""
    headers = [
        ("From", invite.get_header("From") or ""),
        ("To", to),
        ("Call-ID", invite.call_id or ""),
        ("CSeq", f"{cseq_number(invite)} {method}"),
    ]
    return new_request(
        method,
        invite.uri,
        sent_by(invite),
        headers,
        branch=top_branch(invite),
        transport=via_transport(invite),
    )


def cseq_number(request: SipRequest) -> int:
    cseq = request.cseq
    return cseq.seq if cseq else 1


def via_transport(request: SipRequest) -> str:
    """What the request's own Via says it travels over: UDP, TCP or TLS."""
    return request.via[0].transport.upper() if request.via else "UDP"


def sent_by(request: SipRequest) -> str:
    """The host:port of the request's own Via."""
    via = request.via[0]
    return f"{via.host}:{via.port}" if via.port else via.host
