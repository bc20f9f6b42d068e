"""The token route (under /v1), and the public side: the widget, the demo page, the socket."""

from importlib.resources import files

from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.dependencies import Session, Writer
from ringline.auth.service import Principal
from ringline.state import app_state
from ringline.webcall import service, socket
from ringline.webcall.schemas import WebcallTokenCreate, WebcallTokenRead

router = APIRouter(prefix="/webcall", tags=["webcall"])
public_router = APIRouter(include_in_schema=False)
STATIC = files("ringline.webcall") / "static"


@router.post("/token", response_model=WebcallTokenRead, status_code=201)
async def create_webcall_token(
    body: WebcallTokenCreate,
    request: Request,
    principal: Principal = Writer,
    session: AsyncSession = Session,
) -> WebcallTokenRead:
    """A short-lived token for the JavaScript embed widget: it opens one web call."""
    settings = app_state(request).settings
    row, token = await service.create_token(
        session,
        principal.workspace_id,
        body,
        settings.secret_key.get_secret_value(),
        settings.webcall_token_seconds,
    )
    return WebcallTokenRead(token=token, expires_at=row.expires_at, assistant_id=row.assistant_id)


@public_router.get("/widget.js")
async def widget() -> Response:
    """The embeddable call button; any page may load it, tokens decide who may call."""
    body = (STATIC / "widget.js").read_text()
    headers = {"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"}
    return Response(body, media_type="text/javascript", headers=headers)


@public_router.get("/demo")
async def demo() -> HTMLResponse:
    """Talk to an assistant of this server from the browser."""
    return HTMLResponse((STATIC / "demo.html").read_text())


@public_router.websocket("/webcall/ws")
async def webcall_socket(websocket: WebSocket) -> None:
    """The widget's call: a token first, then audio both ways."""
    await socket.serve(websocket)
