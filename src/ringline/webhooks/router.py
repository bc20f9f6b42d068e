from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.dependencies import Reader, Session, Writer
from ringline.auth.service import Principal
from ringline.errors import CONFLICT_RESPONSE
from ringline.state import app_state
from ringline.webhooks import service
from ringline.webhooks.schemas import (
    DeliveryList,
    DeliveryRead,
    MessageRead,
    SigningSecretRead,
    WebhookCreate,
    WebhookCreated,
    WebhookList,
    WebhookRead,
)
from ringline.webhooks.signing import workspace_secret

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.get("", response_model=WebhookList)
async def list_webhooks(
    principal: Principal = Reader, session: AsyncSession = Session
) -> WebhookList:
    """List the workspace's webhook endpoints (never their secrets)."""
    endpoints = await service.list_webhooks(session, principal.workspace_id)
    return WebhookList(webhooks=[WebhookRead.model_validate(e) for e in endpoints])


@router.post("", response_model=WebhookCreated, status_code=201)
async def register_webhook(
    body: WebhookCreate,
    request: Request,
    principal: Principal = Writer,
    session: AsyncSession = Session,
) -> WebhookCreated:
    """Register a URL for events; the signing secret is in this response only."""
    allow_private = app_state(request).settings.allow_private_webhooks
    endpoint = await service.create_webhook(
        session, principal.workspace_id, body, allow_private=allow_private
    )
    read = WebhookRead.model_validate(endpoint)
    return WebhookCreated(**read.model_dump(), secret=endpoint.secret)


@router.get("/call-url/secret", response_model=SigningSecretRead)
async def get_signing_secret(request: Request, principal: Principal = Writer) -> SigningSecretRead:
    """The secret that signs events sent to a URL given with a call (its webhook_url)."""
    server_secret = app_state(request).settings.secret_key.get_secret_value()
    return SigningSecretRead(secret=workspace_secret(server_secret, principal.workspace_id))


@router.delete("/{webhook_id}", status_code=204, response_class=Response)
async def delete_webhook(
    webhook_id: str, principal: Principal = Writer, session: AsyncSession = Session
) -> None:
    """Delete a webhook endpoint; messages not yet delivered to it are dropped."""
    await service.delete_webhook(session, principal.workspace_id, webhook_id)


@router.get("/{webhook_id}/deliveries", response_model=DeliveryList)
async def list_deliveries(
    webhook_id: str,
    limit: int = Query(50, ge=1, le=500, description="How many attempts, newest first"),
    principal: Principal = Reader,
    session: AsyncSession = Session,
) -> DeliveryList:
    """The endpoint's delivery attempts: answer, latency and error of each, newest first."""
    attempts = await service.list_deliveries(session, principal.workspace_id, webhook_id, limit)
    return DeliveryList(deliveries=[DeliveryRead.model_validate(a) for a in attempts])


@router.post(
    "/{webhook_id}/deliveries/{message_id}/redeliver",
    response_model=MessageRead,
    status_code=202,
    responses=CONFLICT_RESPONSE,
)
async def redeliver_message(
    webhook_id: str, message_id: str, principal: Principal = Writer, session: AsyncSession = Session
) -> MessageRead:
    """Send a message to the endpoint again now, with a fresh set of retries."""
    message = await service.redeliver(session, principal.workspace_id, webhook_id, message_id)
    return MessageRead.model_validate(message)
