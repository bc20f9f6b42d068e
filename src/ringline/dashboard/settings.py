"""Numbers and their assistants; webhook endpoints, their delivery log and redelivery."""

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants.service import list_assistants
from ringline.auth.dependencies import Session
from ringline.dashboard.access import Operator, Viewer, Writer
from ringline.dashboard.render import page
from ringline.errors import ApiError, NotFound
from ringline.numbers.service import assign_number, list_numbers
from ringline.webhooks.service import get_webhook, list_deliveries, list_webhooks, redeliver

router = APIRouter()
DELIVERIES_SHOWN = 100


@router.get("/numbers")
async def numbers_page(
    request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    assistants = await list_assistants(session, who.workspace_id)
    rows = await list_numbers(session, who.workspace_id)
    return page(request, "numbers.html", who, numbers=rows, assistants=assistants)


@router.post("/numbers/{number_id}/assistant")
async def answer_with(
    number_id: str,
    request: Request,
    assistant_id: str = Form("", max_length=64),
    who: Operator = Writer,
    session: AsyncSession = Session,
) -> Response:
    """Which assistant answers the number, as ``POST /v1/numbers/{id}/assign``."""
    try:
        await assign_number(session, who.workspace_id, number_id, assistant_id or None)
    except ApiError as exc:
        return page(request, "refused.html", who, exc.status_code, reason=exc.message)
    return RedirectResponse("/dashboard/numbers", 303)


@router.get("/webhooks")
async def webhooks_page(
    request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    rows = await list_webhooks(session, who.workspace_id)
    return page(request, "webhooks.html", who, webhooks=rows)


@router.get("/webhooks/{webhook_id}")
async def webhook_page(
    webhook_id: str, request: Request, who: Operator = Viewer, session: AsyncSession = Session
) -> HTMLResponse:
    try:
        endpoint = await get_webhook(session, who.workspace_id, webhook_id)
    except NotFound:
        return page(request, "missing.html", who, 404, what=f"webhook {webhook_id}")
    log = await list_deliveries(session, who.workspace_id, webhook_id, DELIVERIES_SHOWN)
    return page(request, "webhook.html", who, endpoint=endpoint, deliveries=log)


@router.post("/webhooks/{webhook_id}/redeliver")
async def redeliver_message(
    webhook_id: str,
    request: Request,
    message_id: str = Form(max_length=64),
    who: Operator = Writer,
    session: AsyncSession = Session,
) -> Response:
    """Send a message again now, as ``POST /v1/webhooks/{id}/messages/{id}/redeliver``."""
    try:
        await redeliver(session, who.workspace_id, webhook_id, message_id)
    except ApiError as exc:
        return page(request, "refused.html", who, exc.status_code, reason=exc.message)
    return RedirectResponse(f"/dashboard/webhooks/{webhook_id}?queued={message_id}", 303)
