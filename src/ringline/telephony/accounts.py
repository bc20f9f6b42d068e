"""The carrier account behind a call, shared by the carriers that use workspace accounts."""

from urllib.parse import urlencode

import httpx

from ringline.carrier_accounts.service import CarrierCredentials, credentials_of_number
from ringline.config import Settings
from ringline.db import Database
from ringline.telephony.carrier import CallLine, CallLines, Carrier

# Spoken to a caller turned away because every line of the workspace is in use.
BUSY_MESSAGE = "Sorry, all our lines are busy right now. Please call again later."


async def account_of(
    db: Database, settings: Settings, carrier: str, number: str, workspace_id: str | None = None
) -> CarrierCredentials | None:
    """The ``carrier`` account ``number`` is on (in ``workspace_id`` where given)."""
    secret = settings.secret_key.get_secret_value()
    async with db.session(read_only=True) as session:
        account = await credentials_of_number(session, number, secret)
    if account is None or account.carrier != carrier:
        return None
    if workspace_id is not None and account.workspace_id != workspace_id:
        return None
    return account


def own_number(line: CallLine) -> str:
    """Ringline's end of the call: the number dialed from, or the number called."""
    return line.from_number if line.direction == "outbound" else line.to_number


def public_url(settings: Settings, path: str, query: str) -> str:
    """The URL a carrier requested, as it signed it: ringline's public address, not the
    one a proxy in front of it forwarded to."""
    return settings.resolved_public_url + path + (f"?{query}" if query else "")


class AccountCarrier(Carrier):
    """A carrier reached through each workspace's own account, found through the number a
    call is on (Twilio, Plivo, Exotel): one HTTP client for its REST API, and the URLs it is
    given for its callbacks and media."""

    def __init__(self, db: Database, settings: Settings, lines: CallLines) -> None:
        self.db = db
        self.settings = settings
        self.lines = lines
        self.client = httpx.AsyncClient()

    async def stop(self) -> None:
        await self.client.aclose()

    async def _account(
        self, number: str, workspace_id: str | None = None
    ) -> CarrierCredentials | None:
        return await account_of(self.db, self.settings, self.name, number, workspace_id)

    async def _call_on_account(self, call_id: str) -> tuple[CallLine, CarrierCredentials] | None:
        """The call, if it is on this carrier, and the account of its number."""
        line = await self.lines.line(call_id)
        if line is None or line.carrier != self.name:
            return None
        account = await self._account(own_number(line), line.workspace_id)
        return None if account is None else (line, account)

    def _callback_url(self, **query: str) -> str:
        base = self.settings.resolved_public_url
        return f"{base}/carriers/{self.name}/callback?{urlencode(query)}"

    def _media_url(self) -> str:
        return f"{self.settings.resolved_media_url}/carriers/{self.name}/media"
