"""The carriers' doors into this process: one media route and one callback route, each
dispatching to the carrier the path names (``/carriers/{carrier}/...``)."""

import contextlib
import logging

from fastapi import APIRouter, Depends, Request, Response, WebSocket, WebSocketDisconnect

from ringline.errors import NotFound
from ringline.runtime.deps import runtime_of
from ringline.runtime.process import Runtime
from ringline.telephony.carrier import BadStream, Carrier, Unsupported
from ringline.telephony.media_tokens import valid_media_token

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/carriers", include_in_schema=False)
CurrentRuntime = Depends(runtime_of)


@router.websocket("/{carrier}/media")
async def media_stream(
    websocket: WebSocket, carrier: str, runtime: Runtime = CurrentRuntime
) -> None:
    """A carrier's bidirectional media stream for one answered call."""
    await websocket.accept()
    found = runtime.carriers.get(carrier)
    if found is None:
        logger.warning("refused a media stream for unknown carrier %r", carrier)
        return await _close(websocket, 1008)
    try:
        stream = await found.accept_media(websocket)
    except (BadStream, WebSocketDisconnect) as exc:
        logger.warning("refused a %s media stream: %s", carrier, exc)
        return await _close(websocket, 1008)
    secret = runtime.settings.secret_key.get_secret_value()
    if not valid_media_token(secret, stream.call_id, stream.token):
        logger.warning("refused a media stream with a bad token for %r", stream.call_id)
        return await _close(websocket, 1008)
    # A carrier streams a call's audio only once it is answered, whatever order its
    # status callback arrives in; a repeated report changes nothing.
    await runtime.reports.answered(stream.call_id)
    code = await runtime.engine.converse(
        stream.call_id, stream.transport, sample_rate=stream.sample_rate
    )
    if code is not None:
        await _close(websocket, code)
    # The conversation is over, or never ran (the call ended while its audio connected):
    # either way the phone call ends at the carrier too.
    await found.hang_up(stream.call_id)


@router.post("/{carrier}/callback")
async def carrier_callback(
    request: Request, carrier: str, runtime: Runtime = CurrentRuntime
) -> Response:
    """A carrier's status callback; the carrier checks its signature first."""
    found = _carrier(runtime, carrier)
    try:
        return await found.callback(request, runtime.reports)
    except Unsupported as exc:
        raise NotFound(str(exc), {"carrier": carrier}) from None


@router.api_route("/{carrier}/inbound", methods=["GET", "POST"])
async def inbound_call(
    request: Request, carrier: str, runtime: Runtime = CurrentRuntime
) -> Response:
    """A carrier asking how to answer a call to one of its numbers."""
    found = _carrier(runtime, carrier)
    try:
        return await found.answer_inbound(request)
    except Unsupported as exc:
        raise NotFound(str(exc), {"carrier": carrier}) from None


def _carrier(runtime: Runtime, name: str) -> Carrier:
    found = runtime.carriers.get(name)
    if found is None:
        raise NotFound(f"no carrier {name!r} in this server", {"carrier": name})
    return found


async def _close(websocket: WebSocket, code: int) -> None:
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await websocket.close(code=code)
