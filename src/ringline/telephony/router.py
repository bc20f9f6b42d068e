from fastapi import APIRouter, WebSocket

router = APIRouter(prefix="/carriers", include_in_schema=False)


@router.websocket("/{carrier}/media")
async def media_stream(websocket: WebSocket, carrier: str) -> None:
    """A carrier's bidirectional media stream for one answered call."""
    await websocket.app.state.voice.serve_media(websocket)
