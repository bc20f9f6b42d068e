"""Phone numbers of a workspace: every query here is filtered by the workspace."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants.service import get_assistant
from ringline.carrier_accounts.service import get_account
from ringline.db.tenancy import get_owned, list_owned
from ringline.errors import BadRequest, Conflict
from ringline.models import PhoneNumber
from ringline.models.carrier_account import CARRIER_KINDS as ACCOUNT_CARRIERS
from ringline.telephony.registry import can_dial


async def list_numbers(session: AsyncSession, workspace_id: str) -> list[PhoneNumber]:
    return await list_owned(session, PhoneNumber, workspace_id)


async def get_number(session: AsyncSession, workspace_id: str, number_id: str) -> PhoneNumber:
    return await get_owned(session, PhoneNumber, workspace_id, number_id, "number")


async def number_called(session: AsyncSession, number: str) -> PhoneNumber | None:
    """The number a carrier routes a call to, in whichever workspace has it: the one
    lookup not filtered by workspace, as a carrier names only the number."""
    return await session.scalar(select(PhoneNumber).where(PhoneNumber.number == number))


async def numbers_named(
    session: AsyncSession, workspace_id: str, numbers: list[str]
) -> list[PhoneNumber]:
    """The workspace's numbers among ``numbers`` (E.164), in no particular order."""
    query = select(PhoneNumber).where(
        PhoneNumber.workspace_id == workspace_id, PhoneNumber.number.in_(numbers)
    )
    return list(await session.scalars(query))


async def register_number(
    session: AsyncSession,
    workspace_id: str,
    *,
    number: str,
    carrier: str | None = None,
    carrier_account_id: str | None = None,
    assistant_id: str | None = None,
    concurrent_call_limit: int | None = None,
) -> PhoneNumber:
    """A number on ``carrier``, or on the carrier of ``carrier_account_id`` (the sandbox
    where neither is given)."""
    if carrier_account_id is not None:
        carrier = await _account_carrier(session, workspace_id, carrier_account_id, carrier)
    if assistant_id is not None:
        await get_assistant(session, workspace_id, assistant_id)
    if await session.scalar(select(PhoneNumber.id).where(PhoneNumber.number == number)):
        raise Conflict(f"{number} is already registered", {"field": "number"})
    phone_number = PhoneNumber(
        workspace_id=workspace_id,
        number=number,
        carrier=carrier or "sandbox",
        carrier_account_id=carrier_account_id,
        assistant_id=assistant_id,
        concurrent_call_limit=concurrent_call_limit,
    )
    session.add(phone_number)
    await session.flush()
    return phone_number


async def _account_carrier(
    session: AsyncSession, workspace_id: str, account_id: str, carrier: str | None
) -> str:
    account = await get_account(session, workspace_id, account_id)
    if carrier is not None and carrier != account.carrier:
        raise BadRequest(
            f"carrier account {account_id} is a {account.carrier} account, not {carrier}",
            {"field": "carrier"},
        )
    return account.carrier


async def assign_number(
    session: AsyncSession, workspace_id: str, number_id: str, assistant_id: str | None
) -> PhoneNumber:
    number = await get_number(session, workspace_id, number_id)
    if assistant_id is not None:
        await get_assistant(session, workspace_id, assistant_id)
    number.assistant_id = assistant_id
    await session.flush()
    return number


async def caller_ids(
    session: AsyncSession,
    workspace_id: str,
    assistant_id: str,
    wanted: list[str],
    field: str = "from_number",
) -> list[PhoneNumber]:
    """The numbers a call of ``assistant_id`` goes out from: ``wanted`` (all of them the
    workspace's), else the first number assigned to the assistant; 400 saying which to
    use where none fits, or where no carrier of this build dials from one."""
    query = select(PhoneNumber).where(PhoneNumber.workspace_id == workspace_id)
    if wanted:
        found = {n.number: n for n in await session.scalars(query)}
        if missing := [number for number in wanted if number not in found]:
            raise BadRequest(
                f"not numbers of this workspace (GET /v1/numbers): {', '.join(missing)}",
                {"field": field, "missing": missing},
            )
        rows = [found[number] for number in wanted]
    else:
        own = query.where(PhoneNumber.assistant_id == assistant_id)
        first = await session.scalar(own.order_by(PhoneNumber.created_at))
        if first is None:
            raise BadRequest(
                "from_number is required: the assistant has no number assigned",
                {"field": "from_number"},
            )
        rows = [first]
    if unlinked := [n for n in rows if n.carrier in ACCOUNT_CARRIERS and not n.carrier_account_id]:
        raise BadRequest(
            f"{', '.join(n.number for n in unlinked)} (carrier "
            f"{', '.join(sorted({n.carrier for n in unlinked}))}) is on no carrier account: "
            "register it naming its carrier_account_id (POST /v1/carrier-accounts)",
            {"field": field, "numbers": [n.number for n in unlinked]},
        )
    if off := [n.number for n in rows if not can_dial(n.carrier, n.number)]:
        carriers = sorted({n.carrier for n in rows if n.number in off})
        raise BadRequest(
            f"no configured carrier can dial from {', '.join(off)} "
            f"(carrier {', '.join(carriers)} is not set up in this server)",
            {"field": field, "numbers": off},
        )
    return rows


def check_reachable(number: PhoneNumber, to_number: str) -> None:
    """400 unless ``number``'s carrier can dial ``to_number``."""
    if to_number == number.number:
        raise BadRequest("to_number must differ from from_number", {"field": "to_number"})
    if not can_dial(number.carrier, to_number):
        raise BadRequest(
            f"carrier {number.carrier} cannot dial {to_number}",
            {"field": "to_number", "carrier": number.carrier},
        )
