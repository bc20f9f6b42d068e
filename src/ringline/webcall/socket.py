"""The widget's WebSocket: check the token and the page's origin, then hold the call.

The first message is JSON ``{"type": "start", "token": "..."}``. A refused socket is
closed with 1008 (policy) or 1013 (try again later) and a reason the widget shows.
"""

import asyncio
import contextlib
import json
import logging

from fastapi import WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketState

from ringline.calls import events
from ringline.runtime.deps import runtime_of
from ringline.runtime.process import Runtime
from ringline.voice.session import SpokenTurn
from ringline.webcall.serializer import WEB_RATE, browser_transport
from ringline.webcall.service import Refused, open_call

START_TIMEOUT_SECONDS = 10.0
logger = logging.getLogger(__name__)


def own_origin(websocket: WebSocket) -> str:
    """The origin of ringline's own pages, as a browser on them would send it."""
    scheme = "https" if websocket.url.scheme in ("wss", "https") else "http"
    return f"{scheme}://{websocket.headers.get('host', '')}"


async def _token(websocket: WebSocket) -> str:
    try:
        text = await asyncio.wait_for(websocket.receive_text(), START_TIMEOUT_SECONDS)
        message = json.loads(text)
    except (TimeoutError, KeyError, json.JSONDecodeError):
        raise Refused("expected a start message with the token") from None
    if not isinstance(message, dict) or message.get("type") != "start":
        raise Refused("expected a start message with the token")
    token = message.get("token")
    if not isinstance(token, str):
        raise Refused("expected a start message with the token")
    return token


async def serve(websocket: WebSocket) -> None:
    runtime = runtime_of(websocket)
    await websocket.accept()
    try:
        token = await _token(websocket)
        async with runtime.db.session() as session:
            call = await open_call(
                session,
                runtime.settings.secret_key.get_secret_value(),
                token,
                websocket.headers.get("origin"),
                own_origin(websocket),
                owner=runtime.owner,
            )
    except Refused as refused:
        logger.info("refused a web call: %s", refused.reason)
        await _close(websocket, refused.code, refused.reason)
        return
    except WebSocketDisconnect:
        return
    await events.answered(runtime.db, call.id)
    with contextlib.suppress(RuntimeError, WebSocketDisconnect, OSError):
        await websocket.send_text(json.dumps({"type": "call", "call_id": call.id}))
    await _converse(runtime, websocket, call.id)


async def _converse(runtime: Runtime, websocket: WebSocket, call_id: str) -> None:
    """The call's conversation, each line of it also shown to the visitor as it is said."""

    async def show(turn: SpokenTurn) -> None:
        if websocket.application_state != WebSocketState.CONNECTED:
            return
        line = {"type": "transcript", "role": turn.role, "text": turn.text}
        with contextlib.suppress(RuntimeError, WebSocketDisconnect, OSError):
            await websocket.send_text(json.dumps(line))

    transport = browser_transport(websocket)
    code = await runtime.engine.converse(call_id, transport, sample_rate=WEB_RATE, show=show)
    if code is not None:
        await _close(websocket, code, "the call is not live")


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await websocket.close(code=code, reason=reason[:120])
