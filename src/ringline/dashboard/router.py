"""The dashboard's routes under /dashboard: sign-in and sign-out here, pages in their modules."""

import secrets
from importlib.resources import files
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.dependencies import Session
from ringline.dashboard import assistants, calls, campaigns, overview, settings
from ringline.dashboard.access import COOKIE, Operator, Refused, SignInNeeded, Viewer
from ringline.dashboard.render import page
from ringline.dashboard.sessions import LIFETIME, csrf_matches, sign_in, sign_out
from ringline.errors import Unauthorized

PREFIX = "/dashboard"
SIGN_IN_COOKIE = "ringline_sign_in"  # the sign-in form's CSRF token, before any session
STATIC = files("ringline.dashboard") / "static"
STATIC_TYPES = {"css": "text/css", "js": "text/javascript"}

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Back to the page asked for, only ever a dashboard page of this server."""
    if target and target.startswith(PREFIX + "/") and not target.startswith("//"):
        return target
    return PREFIX + "/"


def _cookie(response: Response, request: Request, name: str, value: str, seconds: int) -> None:
    secure = request.url.scheme == "https"
    response.set_cookie(
        name, value, max_age=seconds, path=PREFIX, httponly=True, samesite="strict", secure=secure
    )


@router.get("/sign-in")
async def sign_in_form(request: Request, next: str | None = None) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = page(request, "sign_in.html", None, next=_safe_next(next), sign_in_token=token)
    _cookie(response, request, SIGN_IN_COOKIE, token, 3600)
    return response


@router.post("/sign-in")
async def sign_in_post(
    request: Request,
    api_key: str = Form("", max_length=200),
    csrf_token: str = Form(""),
    next: str = Form(PREFIX + "/"),
    session: AsyncSession = Session,
) -> Response:
    if not csrf_matches(request.cookies.get(SIGN_IN_COOKIE, ""), csrf_token or None):
        raise Refused("The sign-in form has expired. Reload the page and try again.")
    try:
        _, secret = await sign_in(session, api_key.strip())
    except Unauthorized as exc:
        token = request.cookies.get(SIGN_IN_COOKIE, "")
        context = {"next": _safe_next(next), "sign_in_token": token, "error": exc.message}
        return page(request, "sign_in.html", None, status_code=401, **context)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _cookie(response, request, COOKIE, secret, int(LIFETIME.total_seconds()))
    response.delete_cookie(SIGN_IN_COOKIE, path=PREFIX)
    return response


@router.post("/sign-out")
async def sign_out_post(
    request: Request,
    csrf_token: str = Form(""),
    who: Operator = Viewer,
    session: AsyncSession = Session,
) -> Response:
    """Ends the session, for read-only keys too (a cross-site post cannot: the token is
    checked)."""
    if not csrf_matches(who.csrf_token, csrf_token or None):
        raise Refused("This form has expired. Reload the page and try again.")
    await sign_out(session, request.cookies[COOKIE])
    response = RedirectResponse(PREFIX + "/sign-in", status_code=303)
    response.delete_cookie(COOKIE, path=PREFIX)
    return response


@router.get("/static/{name}")
async def static(name: str) -> Response:
    kind = STATIC_TYPES.get(name.rsplit(".", 1)[-1])
    asset = STATIC / name
    if kind is None or "/" in name or not asset.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    headers = {"Cache-Control": "public, max-age=3600"}
    return Response(asset.read_text(), media_type=kind, headers=headers)


PAGES = (overview, calls, assistants, campaigns, settings)
for pages in PAGES:
    router.include_router(pages.router)


async def _to_sign_in(request: Request, _: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = PREFIX + "/"
    query = f"?next={quote(target)}" if target != PREFIX + "/" else ""
    return RedirectResponse(f"{PREFIX}/sign-in{query}", status_code=303)


async def _refused(request: Request, exc: Exception) -> Response:
    reason = exc.reason if isinstance(exc, Refused) else "Refused."
    return page(request, "refused.html", None, status_code=403, reason=reason)


def install(app: FastAPI) -> None:
    """Mount the pages and turn their refusals into a redirect or a 403 page."""
    app.include_router(router)
    app.add_exception_handler(SignInNeeded, _to_sign_in)
    app.add_exception_handler(Refused, _refused)
