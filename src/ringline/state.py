"""What the app holds for its requests, as one typed object read through ``app_state``.

``create_app`` makes it; the lifespan adds ``live_calls`` when the process carries calls.
Routers declare ``state: AppState = State`` instead of reading ``app.state`` by name.
"""

from dataclasses import dataclass
from typing import Protocol

from fastapi import Depends
from starlette.requests import HTTPConnection

from ringline.config import Settings
from ringline.db import Database
from ringline.ratelimit import RateLimiter


class LiveCalls(Protocol):
    """What the API asks of the process carrying calls (the runtime implements it)."""

    @property
    def owner(self) -> str:
        """The name this process's live calls carry as their owner."""
        ...

    async def hang_up(self, call_id: str) -> bool:
        """Hang up a call whose audio is here; False if it is not live here."""
        ...

    async def cancel_dial(self, carrier: str, call_id: str) -> None:
        """Stop dialing a call not answered yet."""
        ...


@dataclass
class AppState:
    settings: Settings
    db: Database
    rate_limiter: RateLimiter
    live_calls: LiveCalls | None = None  # None until the lifespan starts the runtime


def app_state(connection: HTTPConnection) -> AppState:
    state = connection.app.state.ringline
    assert isinstance(state, AppState)
    return state


State = Depends(app_state)
