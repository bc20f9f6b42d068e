"""SIPp scenarios for the far end of ringline's SIP calls, built from a few pieces.

Each scenario sends its SDP with ``c=`` and ``m=`` naming a socket the test bound (the
"sink"), so the test reads ringline's RTP itself; SIPp's own RTP (``rtp_stream``) leaves
from its media port towards the address in ringline's SDP.
"""

from dataclasses import dataclass

HEAD = '<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="{name}">\n'
TAIL = "</scenario>\n"
CODECS = {0: "PCMU", 8: "PCMA"}


@dataclass(frozen=True)
class Media:
    sink_port: int
    payload_type: int = 0

    def sdp(self, who: str) -> str:
        codec = CODECS[self.payload_type]
        return (
            f"v=0\no={who} 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
            f"m=audio {self.sink_port} RTP/AVP {self.payload_type} 101\n"
            f"a=rtpmap:{self.payload_type} {codec}/8000\n"
            "a=rtpmap:101 telephone-event/8000\na=ptime:20\n"
        )


def _send(message: str, *, retrans: bool = False) -> str:
    attributes = ' retrans="500"' if retrans else ""
    return f"  <send{attributes}><![CDATA[\n{message.strip()}\n\n  ]]></send>\n"


def _reply(code: int, reason: str, extra: str = "", body: str = "") -> str:
    lines = [
        f"SIP/2.0 {code} {reason}",
        "[last_Via:]",
        "[last_From:]",
        "[last_To:];tag=[pid]SIPpTag01[call_number]",
        "[last_Call-ID:]",
        "[last_CSeq:]",
        "Contact: <sip:callee@[local_ip]:[local_port]>",
    ]
    if extra:
        lines.append(extra)
    if body:
        lines += ["Content-Type: application/sdp", "Content-Length: [len]", "", body]
    else:
        lines.append("Content-Length: 0")
    return _send("\n".join(lines), retrans=code == 200 and bool(body))


# Captured from ringline's INVITE, for the BYE the callee sends.
_CAPTURES = """
    <action>
      <ereg regexp="&lt;.*" search_in="hdr" header="From:" assign_to="ringline" />
      <ereg regexp="&lt;[^&gt;]*&gt;" search_in="hdr" header="To:" assign_to="callee" />
      <ereg regexp="sip:[^&gt;]*" search_in="hdr" header="Contact:" assign_to="target" />
    </action>"""


def _receive_invite(credentials: tuple[str, str] | None, *, capture: bool = False) -> str:
    # SIPp refuses a variable set and never used: capture only for the callee's BYE.
    xml = f'  <recv request="INVITE">{_CAPTURES if capture else ""}\n  </recv>\n'
    if credentials is None:
        return xml
    user, password = credentials
    challenge = 'WWW-Authenticate: Digest realm="sipp.test", nonce="[pid]n[call_number]"'
    xml += _reply(401, "Unauthorized", challenge)
    xml += '  <recv request="ACK" />\n'
    xml += (
        '  <recv request="INVITE"><action>\n'
        f'    <verifyauth assign_to="authorized" username="{user}" password="{password}" />\n'
        "  </action></recv>\n"
        '  <nop test="authorized" next="authorized" />\n'
    )
    xml += _reply(403, "Forbidden") + '  <recv request="ACK" next="done" />\n'
    return xml + '  <label id="authorized" />\n'


def _stream(audio: str | None, payload_type: int, loops: int) -> str:
    if audio is None:
        return ""
    play = f'<exec rtp_stream="{audio},{loops},{payload_type}" />'
    return f"  <nop><action>{play}</action></nop>\n"


def _pause(ms: int) -> str:
    return f'  <pause milliseconds="{ms}" />\n'


BYE_FROM_CALLEE = """
BYE [$target] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: [$callee];tag=[pid]SIPpTag01[call_number]
To: [$ringline]
Call-ID: [call_id]
CSeq: 1 BYE
Max-Forwards: 70
Content-Length: 0
"""

BYE_OK = """
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
"""


def _await_bye() -> str:
    return '  <recv request="BYE" />\n' + _send(BYE_OK)


def _talk_then_hang_up(talk_ms: int, bye: str) -> str:
    """Talk for ``talk_ms`` and hang up with ``bye``, unless ringline says BYE first
    (the agent ended the call)."""
    xml = f'  <recv request="BYE" timeout="{talk_ms}" ontimeout="hang_up" />\n'
    xml += _send(BYE_OK) + '  <nop next="done" />\n'
    xml += '  <label id="hang_up" />\n' + _send(bye, retrans=True)
    return xml + '  <recv response="200" />\n'


def answering(
    media: Media,
    *,
    credentials: tuple[str, str] | None = None,
    ring_ms: int = 300,
    audio: str | None = None,
    talk_ms: int | None = None,
    loops: int = -1,
) -> str:
    """Answer ringline's INVITE (after a digest challenge, with ``credentials``), stream
    ``audio`` (``loops`` times, -1: on and on), then hang up after ``talk_ms`` or,
    without it, wait for ringline's BYE."""
    xml = HEAD.format(name="answer")
    xml += _receive_invite(credentials, capture=talk_ms is not None)
    xml += _reply(180, "Ringing") + _pause(ring_ms)
    xml += _reply(200, "OK", body=media.sdp("callee")) + '  <recv request="ACK" />\n'
    xml += _stream(audio, media.payload_type, loops)
    if talk_ms is None:
        xml += _await_bye()
    else:
        xml += _talk_then_hang_up(talk_ms, BYE_FROM_CALLEE)
    return xml + '  <label id="done" />\n' + TAIL


def refusing(code: int, reason: str, *, ring_ms: int = 300) -> str:
    """Ring, then refuse the INVITE with ``code``."""
    xml = HEAD.format(name="refuse") + _receive_invite(None)
    xml += _reply(180, "Ringing") + _pause(ring_ms)
    xml += _reply(code, reason) + '  <recv request="ACK" />\n'
    return xml + TAIL


def ringing_until_cancelled() -> str:
    """Ring until ringline sends CANCEL; then 200 for it and 487 for the INVITE."""
    xml = HEAD.format(name="cancelled") + _receive_invite(None)
    xml += _reply(180, "Ringing")
    xml += '  <recv request="CANCEL" />\n' + _send(BYE_OK)
    xml += _send(
        """
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
CSeq: 1 INVITE
Content-Length: 0
"""
    )
    return xml + '  <recv request="ACK" />\n' + TAIL


def registrar(credentials: tuple[str, str], expires: int) -> str:
    """Challenge a REGISTER, then accept it with ``expires`` seconds."""
    user, password = credentials
    challenge = 'WWW-Authenticate: Digest realm="sipp.test", nonce="[pid]r[call_number]"'
    xml = HEAD.format(name="registrar") + '  <recv request="REGISTER" />\n'
    xml += _reply(401, "Unauthorized", challenge)
    xml += (
        '  <recv request="REGISTER"><action>\n'
        f'    <verifyauth assign_to="authorized" username="{user}" password="{password}" />\n'
        "  </action></recv>\n"
        '  <nop test="authorized" next="authorized" />\n'
    )
    xml += _reply(403, "Forbidden") + '  <nop next="done" />\n'
    xml += '  <label id="authorized" />\n'
    xml += _reply(200, "OK", f"Expires: {expires}")
    return xml + '  <label id="done" />\n' + TAIL


def calling(
    number: str,
    media: Media,
    *,
    expect: int = 200,
    audio: str | None = None,
    talk_ms: int = 3000,
    caller: str = "+14155550111",
    loops: int = -1,
) -> str:
    """INVITE ``number`` at ringline, expect ``expect``; if answered, stream ``audio``
    for ``talk_ms`` and hang up (unless ringline did first)."""
    xml = HEAD.format(name="call") + _send(_invite(number, caller, media), retrans=True)
    xml += '  <recv response="100" optional="true" />\n'
    xml += '  <recv response="180" optional="true" />\n'
    xml += f'  <recv response="{expect}" rrs="true" />\n'
    xml += _send(_in_dialog("ACK", number, caller, 1))
    if expect == 200:
        xml += _stream(audio, media.payload_type, loops)
        xml += _talk_then_hang_up(talk_ms, _in_dialog("BYE", number, caller, 2))
    return xml + '  <label id="done" />\n' + TAIL


def _invite(number: str, caller: str, media: Media) -> str:
    return f"""
INVITE sip:{number}@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:{caller}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:{number}@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

{media.sdp("caller")}"""


def _in_dialog(method: str, number: str, caller: str, cseq: int) -> str:
    return f"""
{method} [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:{caller}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:{number}@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: {cseq} {method}
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0
"""
