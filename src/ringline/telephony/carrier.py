"""The interface every carrier implements, and what it reports back.

A carrier places the call; once answered, it connects the call's audio to ringline's
media WebSocket (``/carriers/{carrier}/media``), speaking its own media protocol, with
``media_parameters`` passed back in the stream's start message.
"""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class DialRequest:
    call_id: str
    workspace_id: str
    carrier: str
    from_number: str
    to_number: str
    media_url: str
    media_parameters: dict[str, str]


class CallReports(Protocol):
    """Where a carrier reports the call's progress."""

    async def ringing(self, call_id: str) -> None: ...

    async def answered(self, call_id: str) -> None: ...

    async def unanswered(self, call_id: str, status: str, reason: str | None = None) -> None: ...

    async def failed(self, call_id: str, reason: str) -> None:
        """The call broke off (after answer too): its audio never reached the engine."""
        ...


class Carrier(Protocol):
    name: str

    def reaches(self, number: str) -> bool: ...

    async def dial(self, request: DialRequest, reports: CallReports) -> None:
        """Place the call; return once it is answered or has ended unanswered."""
        ...

    async def cancel(self, call_id: str) -> None:
        """Stop dialing a call that has not been answered."""
        ...

    async def stop(self) -> None:
        """Release what the carrier holds when the server stops."""
        ...
