from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.dependencies import Admin, Reader, Session
from ringline.auth.service import Principal
from ringline.carrier_accounts import service
from ringline.carrier_accounts.schemas import (
    CarrierAccountCreate,
    CarrierAccountList,
    CarrierAccountRead,
)
from ringline.errors import CONFLICT_RESPONSE
from ringline.state import app_state

router = APIRouter(prefix="/carrier-accounts", tags=["carrier accounts"])


@router.get("", response_model=CarrierAccountList)
async def list_carrier_accounts(
    principal: Principal = Reader, session: AsyncSession = Session
) -> CarrierAccountList:
    """The workspace's carrier accounts (never their credentials)."""
    accounts = await service.list_accounts(session, principal.workspace_id)
    return CarrierAccountList(
        carrier_accounts=[CarrierAccountRead.model_validate(a) for a in accounts]
    )


@router.post("", response_model=CarrierAccountRead, status_code=201)
async def create_carrier_account(
    body: CarrierAccountCreate,
    request: Request,
    principal: Principal = Admin,
    session: AsyncSession = Session,
) -> CarrierAccountRead:
    """Connect a Twilio, Plivo or Exotel account; its numbers then dial through it."""
    secret = app_state(request).settings.secret_key.get_secret_value()
    account = await service.create_account(session, principal.workspace_id, body, secret)
    return CarrierAccountRead.model_validate(account)


@router.get("/{account_id}", response_model=CarrierAccountRead)
async def get_carrier_account(
    account_id: str, principal: Principal = Reader, session: AsyncSession = Session
) -> CarrierAccountRead:
    """One carrier account (never its credentials)."""
    account = await service.get_account(session, principal.workspace_id, account_id)
    return CarrierAccountRead.model_validate(account)


@router.delete(
    "/{account_id}", status_code=204, response_class=Response, responses=CONFLICT_RESPONSE
)
async def delete_carrier_account(
    account_id: str, principal: Principal = Admin, session: AsyncSession = Session
) -> None:
    """Disconnect a carrier account that no number is on any more."""
    await service.delete_account(session, principal.workspace_id, account_id)
