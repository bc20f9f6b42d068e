"""The interface every carrier implements for a whole call, and what it reports back.

A carrier places the call; once answered, it connects the call's audio to ringline's
media WebSocket (``/carriers/{carrier}/media``) in its own media protocol, with
``media_parameters`` passed back in the stream's handshake. ``accept_media`` reads that
handshake and returns a Pipecat transport speaking the carrier's protocol, so the engine
above never knows which carrier a call is on. Status callbacks (``/carriers/{carrier}/
callback``), inbound calls and transfers are optional: a carrier without them raises
``Unsupported``. A carrier reads and records what it needs of its calls through
``CallLines`` (the runtime's), never through the calls domain, which sits above it.

A carrier whose audio does not come over a WebSocket (SIP: RTP to the carrier's own
sockets) skips the media door: once a call is answered it builds its own Pipecat
transport and hands it to ``CarrierContext.converse``, which marks the call answered
and holds the conversation until it ends; then the carrier hangs up itself. Such a
carrier opens its sockets in ``start``, called once the process carries call audio.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from ringline.config import Settings
from ringline.db import Database

if TYPE_CHECKING:  # the domains ask the registry about numbers without loading Pipecat
    from fastapi import Request, Response, WebSocket
    from pipecat.transports.base_transport import BaseTransport

    from ringline.voice.services import LLMEndpoint


@dataclass(frozen=True)
class CallLine:
    """A call as its carrier sees it: whose it is, its numbers, the carrier's own ID."""

    call_id: str
    workspace_id: str
    carrier: str
    direction: str
    from_number: str
    to_number: str
    status: str
    carrier_call_id: str | None


@dataclass(frozen=True)
class Admission:
    """The answer to an inbound call: the call it became (and the parameters its media
    stream must carry back), or why it is refused."""

    call_id: str | None = None
    media_parameters: dict[str, str] | None = None
    refusal: Literal["unknown", "unassigned", "busy"] | None = None


class CallLines(Protocol):
    """What a carrier may read and record of the calls it carries."""

    async def line(self, call_id: str) -> CallLine | None: ...

    async def identified(self, call_id: str, carrier_call_id: str) -> None:
        """The carrier took the call under its own ID (Twilio's CallSid)."""
        ...

    async def admit(
        self, carrier: str, to_number: str, from_number: str, carrier_call_id: str
    ) -> Admission:
        """A call to ``to_number`` arrived: made a call of the number's assistant, answered,
        or refused (no such number on this carrier, no assistant, no room)."""
        ...


# Hold an answered call's conversation over a transport the carrier built (its own media,
# not the media door); returns once the conversation is over and its outcome recorded.
Converse = Callable[[str, "BaseTransport"], Awaitable[None]]


@dataclass(frozen=True)
class CarrierContext:
    """What a carrier may use from the process that builds it."""

    db: Database
    settings: Settings
    default_llm: Callable[[], Awaitable["LLMEndpoint"]]
    lines: CallLines
    converse: Converse | None = None  # None: a process that carries no call audio


@dataclass(frozen=True)
class DialRequest:
    call_id: str
    workspace_id: str
    carrier: str
    from_number: str
    to_number: str
    media_url: str
    media_parameters: dict[str, str]


@dataclass(frozen=True)
class MediaStream:
    """A carrier's media stream with its handshake read: which call it claims to carry,
    the token that proves it, and the transport that speaks the carrier's protocol."""

    call_id: str
    token: str
    transport: "BaseTransport"
    sample_rate: int


class BadStream(Exception):
    """The media stream's handshake is not what the carrier sends."""


class Unsupported(Exception):
    """The carrier cannot do what was asked (answer inbound calls, transfer, ...)."""


class CallReports(Protocol):
    """Where a carrier reports the call's progress."""

    async def ringing(self, call_id: str) -> None: ...

    async def answered(self, call_id: str) -> None: ...

    async def unanswered(self, call_id: str, status: str, reason: str | None = None) -> None: ...

    async def failed(self, call_id: str, reason: str) -> None:
        """The call broke off (after answer too): its audio never reached the engine."""
        ...


class Carrier:
    """A carrier in this process. Subclasses implement dialing and the media handshake;
    the optional capabilities refuse by default."""

    name: str

    def reaches(self, number: str) -> bool:
        """Whether this carrier can dial ``number`` (E.164)."""
        raise NotImplementedError

    async def dial(self, request: DialRequest, reports: CallReports) -> None:
        """Place the call; return once it is answered or has ended unanswered, or, for a
        carrier whose status callbacks report the rest, once the carrier has taken it."""
        raise NotImplementedError

    async def cancel(self, call_id: str) -> None:
        """Stop dialing a call that has not been answered."""
        raise NotImplementedError

    async def accept_media(self, websocket: "WebSocket") -> MediaStream:
        """Read an accepted media socket's handshake; ``BadStream`` if it is not one."""
        raise NotImplementedError

    async def hang_up(self, call_id: str) -> None:
        """End an answered call at the carrier (the engine has already left it)."""

    async def callback(self, request: "Request", reports: CallReports) -> "Response":
        """A status callback from the carrier, its signature checked before anything."""
        raise Unsupported(f"carrier {self.name} sends no status callbacks")

    async def answer_inbound(self, request: "Request") -> "Response":
        """The carrier asks how to answer a call to one of its numbers."""
        raise Unsupported(f"carrier {self.name} does not take inbound calls")

    async def transfer(self, call_id: str, target: str) -> None:
        """Hand an answered call over to ``target`` (a number or SIP URI)."""
        raise Unsupported(f"carrier {self.name} cannot transfer calls")

    async def start(self) -> None:
        """Open what the carrier listens on, once the process carries call audio."""

    async def stop(self) -> None:
        """Release what the carrier holds when the process stops (live calls hung up)."""
