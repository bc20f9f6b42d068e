"""Phone numbers of a workspace: every query here is filtered by the workspace."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants.service import get_assistant
from ringline.db.tenancy import get_owned, list_owned
from ringline.errors import Conflict
from ringline.models import PhoneNumber


async def list_numbers(session: AsyncSession, workspace_id: str) -> list[PhoneNumber]:
    return await list_owned(session, PhoneNumber, workspace_id)


async def get_number(session: AsyncSession, workspace_id: str, number_id: str) -> PhoneNumber:
    return await get_owned(session, PhoneNumber, workspace_id, number_id, "number")


async def register_number(
    session: AsyncSession,
    workspace_id: str,
    *,
    number: str,
    carrier: str,
    assistant_id: str | None = None,
    concurrent_call_limit: int | None = None,
) -> PhoneNumber:
    if assistant_id is not None:
        await get_assistant(session, workspace_id, assistant_id)
    if await session.scalar(select(PhoneNumber.id).where(PhoneNumber.number == number)):
        raise Conflict(f"{number} is already registered", {"field": "number"})
    phone_number = PhoneNumber(
        workspace_id=workspace_id,
        number=number,
        carrier=carrier,
        assistant_id=assistant_id,
        concurrent_call_limit=concurrent_call_limit,
    )
    session.add(phone_number)
    await session.flush()
    return phone_number


async def assign_number(
    session: AsyncSession, workspace_id: str, number_id: str, assistant_id: str | None
) -> PhoneNumber:
    number = await get_number(session, workspace_id, number_id)
    if assistant_id is not None:
        await get_assistant(session, workspace_id, assistant_id)
    number.assistant_id = assistant_id
    await session.flush()
    return number
