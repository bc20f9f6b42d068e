from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth.dependencies import Reader, Session, Writer
from ringline.auth.service import Principal
from ringline.errors import CONFLICT_RESPONSE
from ringline.numbers import service
from ringline.numbers.schemas import NumberAssign, NumberCreate, NumberList, NumberRead

router = APIRouter(prefix="/numbers", tags=["numbers"])


@router.get("", response_model=NumberList)
async def list_numbers(
    principal: Principal = Reader, session: AsyncSession = Session
) -> NumberList:
    """List the workspace's phone numbers."""
    numbers = await service.list_numbers(session, principal.workspace_id)
    return NumberList(numbers=[NumberRead.model_validate(n) for n in numbers])


@router.post("", response_model=NumberRead, status_code=201, responses=CONFLICT_RESPONSE)
async def register_number(
    body: NumberCreate, principal: Principal = Writer, session: AsyncSession = Session
) -> NumberRead:
    """Register a phone number on a carrier: the sandbox, or one of the carrier accounts."""
    number = await service.register_number(
        session,
        principal.workspace_id,
        number=body.number,
        carrier=body.carrier if "carrier" in body.model_fields_set else None,
        carrier_account_id=body.carrier_account_id,
        assistant_id=body.assistant_id,
        concurrent_call_limit=body.concurrent_call_limit,
    )
    return NumberRead.model_validate(number)


@router.post("/{number_id}/assign", response_model=NumberRead)
async def assign_number(
    number_id: str,
    body: NumberAssign,
    principal: Principal = Writer,
    session: AsyncSession = Session,
) -> NumberRead:
    """Assign the number to an assistant, which then answers calls to it."""
    number = await service.assign_number(
        session, principal.workspace_id, number_id, body.assistant_id
    )
    return NumberRead.model_validate(number)
