"""Assistants: the list, the create and edit forms, and a web call to talk to one."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants.catalog import VOICES
from ringline.assistants.schemas import AssistantCreate, AssistantUpdate
from ringline.assistants.service import (
    create_assistant,
    get_assistant,
    list_assistants,
    update_assistant,
)
from ringline.auth.dependencies import Session
from ringline.dashboard.access import Operator, Viewer, Writer
from ringline.dashboard.render import page
from ringline.errors import ApiError, NotFound
from ringline.models import Assistant
from ringline.state import AppState, State
from ringline.webcall.schemas import WebcallTokenCreate
from ringline.webcall.service import create_token

router = APIRouter()
TEXT_FIELDS = ("name", "prompt", "first_message", "voice", "language", "status")


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]


def _variables(text: str) -> dict[str, str]:
    """``name=value`` per line, as the form shows an assistant's variable defaults."""
    pairs = (line.partition("=") for line in text.splitlines() if line.strip())
    return {name.strip(): value.strip() for name, _, value in pairs}


async def _submitted(request: Request) -> dict[str, Any]:
    form = await request.form()
    fields: dict[str, Any] = {name: str(form.get(name, "")) for name in TEXT_FIELDS}
    fields["dispositions"] = _lines(str(form.get("dispositions", "")))
    fields["variable_defaults"] = _variables(str(form.get("variables", "")))
    return fields


def _problems(error: ValidationError) -> list[str]:
    return [f"{'.'.join(map(str, e['loc'])) or 'form'}: {e['msg']}" for e in error.errors()]


def _form(request: Request, who: Operator, assistant: Any, errors: list[str]) -> HTMLResponse:
    context = {"assistant": assistant, "errors": errors, "voices": sorted(VOICES)}
    return page(request, "assistant.html", who, 400 if errors else 200, **context)


@router.get("/assistants")
async def assistants_page(
    request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    rows = await list_assistants(session, who.workspace_id)
    return page(request, "assistants.html", who, assistants=rows)


@router.get("/assistants/new")
async def new_assistant(request: Request, who: Operator = Viewer) -> HTMLResponse:
    return _form(request, who, None, [])


@router.post("/assistants/new")
async def create(
    request: Request,
    who: Operator = Writer,
    session: AsyncSession = Session,
    state: AppState = State,
) -> Response:
    fields = await _submitted(request)
    try:
        data = AssistantCreate(**{name: value for name, value in fields.items() if value})
    except ValidationError as exc:
        return _form(request, who, fields, _problems(exc))
    allow_private = state.settings.allow_private_webhooks
    made = await create_assistant(session, who.workspace_id, data, allow_private=allow_private)
    return RedirectResponse(f"/dashboard/assistants/{made.id}", status_code=303)


async def _assistant_or_none(session: AsyncSession, who: Operator, assistant_id: str) -> Any:
    try:
        return await get_assistant(session, who.workspace_id, assistant_id)
    except NotFound:
        return None


@router.get("/assistants/{assistant_id}")
async def assistant_page(
    assistant_id: str, request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    assistant = await _assistant_or_none(session, who, assistant_id)
    if assistant is None:
        return page(request, "missing.html", who, 404, what=f"assistant {assistant_id}")
    return _form(request, who, assistant, [])


@router.post("/assistants/{assistant_id}")
async def edit(
    assistant_id: str,
    request: Request,
    who: Operator = Writer,
    session: AsyncSession = Session,
    state: AppState = State,
) -> Response:
    assistant: Assistant = await get_assistant(session, who.workspace_id, assistant_id)
    fields = await _submitted(request)
    try:
        data = AssistantUpdate(**{name: value for name, value in fields.items() if value != ""})
    except ValidationError as exc:
        return _form(request, who, fields | {"id": assistant.id}, _problems(exc))
    allow_private = state.settings.allow_private_webhooks
    await update_assistant(
        session, who.workspace_id, assistant.id, data, allow_private=allow_private
    )
    return RedirectResponse(f"/dashboard/assistants/{assistant.id}?saved=1", status_code=303)


@router.post("/assistants/{assistant_id}/webcall-token")
async def webcall_token(
    assistant_id: str,
    who: Operator = Writer,
    session: AsyncSession = Session,
    state: AppState = State,
) -> JSONResponse:
    """A one-time token for the widget on the assistant's page (the API key stays put)."""
    body = WebcallTokenCreate(assistant_id=assistant_id, visitor_info={"name": "Operator"})
    secret = state.settings.secret_key.get_secret_value()
    try:
        _, token = await create_token(
            session, who.workspace_id, body, secret, state.settings.webcall_token_seconds
        )
    except ApiError as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status_code)
    return JSONResponse({"token": token})
