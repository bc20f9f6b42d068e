"""A workspace's carrier accounts; every query here is filtered by the workspace, except
the lookup by number a carrier's own request starts from (numbers are unique)."""

import json
from dataclasses import dataclass

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.carrier_accounts.schemas import (
    CarrierAccountCreate,
    ExotelAccountCreate,
    SipTrunkCreate,
)
from ringline.db.tenancy import get_owned, list_owned
from ringline.errors import Conflict
from ringline.models import CarrierAccount, PhoneNumber
from ringline.providers import crypto

PUBLIC_API = {"twilio": "https://api.twilio.com", "plivo": "https://api.plivo.com"}


@dataclass(frozen=True)
class CarrierCredentials:
    """What a carrier needs to act for one account, its credentials decrypted."""

    account_id: str
    workspace_id: str
    carrier: str
    api_base_url: str
    fields: dict[str, str]


async def list_accounts(session: AsyncSession, workspace_id: str) -> list[CarrierAccount]:
    return await list_owned(session, CarrierAccount, workspace_id)


async def get_account(session: AsyncSession, workspace_id: str, account_id: str) -> CarrierAccount:
    return await get_owned(session, CarrierAccount, workspace_id, account_id, "carrier_account")


async def create_account(
    session: AsyncSession, workspace_id: str, data: CarrierAccountCreate, server_secret: str
) -> CarrierAccount:
    account = CarrierAccount(
        workspace_id=workspace_id,
        carrier=data.carrier,
        name=data.name,
        api_base_url=_api_base_url(data),
        credentials_encrypted=crypto.encrypt(server_secret, json.dumps(_credentials(data))),
    )
    session.add(account)
    await session.flush()
    return account


async def delete_account(session: AsyncSession, workspace_id: str, account_id: str) -> None:
    """Remove an account no number is on any more (409 naming them otherwise)."""
    account = await get_account(session, workspace_id, account_id)
    query = select(PhoneNumber.number).where(PhoneNumber.carrier_account_id == account.id)
    if numbers := list(await session.scalars(query)):
        raise Conflict(
            f"numbers are on this account: {', '.join(numbers)}; move or remove them first",
            {"numbers": numbers},
        )
    await session.delete(account)
    await session.flush()


async def credentials_of_number(
    session: AsyncSession, number: str, server_secret: str
) -> CarrierCredentials | None:
    """The account the number (E.164) is on, in whichever workspace has it; None if none."""
    query = (
        select(CarrierAccount)
        .join(PhoneNumber, PhoneNumber.carrier_account_id == CarrierAccount.id)
        .where(PhoneNumber.number == number)
    )
    account = await session.scalar(query)
    return None if account is None else _decrypted(account, server_secret)


def _decrypted(account: CarrierAccount, server_secret: str) -> CarrierCredentials:
    return CarrierCredentials(
        account_id=account.id,
        workspace_id=account.workspace_id,
        carrier=account.carrier,
        api_base_url=account.api_base_url,
        fields=json.loads(crypto.decrypt(server_secret, account.credentials_encrypted)),
    )


def _api_base_url(data: CarrierAccountCreate) -> str:
    if isinstance(data, SipTrunkCreate):
        parameters = "" if data.transport == "udp" else f";transport={data.transport}"
        return f"sip:{data.host}:{data.port}{parameters}"
    if data.api_base_url is not None:
        return str(data.api_base_url).rstrip("/")
    if isinstance(data, ExotelAccountCreate):
        return f"https://{data.subdomain}"
    return PUBLIC_API[data.carrier]


def _credentials(data: CarrierAccountCreate) -> dict[str, str]:
    """Every credential field, secrets revealed, for the encrypted column only."""
    fields = data.model_dump(exclude={"carrier", "name", "api_base_url"})
    return {k: v.get_secret_value() if isinstance(v, SecretStr) else v for k, v in fields.items()}


async def credentials_of_carrier(
    session: AsyncSession, carrier: str, server_secret: str
) -> list[CarrierCredentials]:
    """Every workspace's accounts at ``carrier``, decrypted (SIP trunks that register)."""
    query = select(CarrierAccount).where(CarrierAccount.carrier == carrier)
    return [_decrypted(account, server_secret) for account in await session.scalars(query)]
