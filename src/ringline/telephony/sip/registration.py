"""REGISTER with the trunks that ask for it, refreshed at half the expiry they grant."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from aiosipua import SipResponse
from aiosipua.auth import answer_challenge
from aiosipua.utils import generate_call_id, generate_tag

from ringline.carrier_accounts.service import credentials_of_carrier
from ringline.db import Database
from ringline.telephony.sip import dialog
from ringline.telephony.sip.agent import SipEndpoint
from ringline.telephony.sip.network import resolve
from ringline.telephony.sip.streams import Address
from ringline.telephony.sip.trunk import Trunk

logger = logging.getLogger(__name__)

REGISTER_EXPIRES = 300
CHECK_SECONDS = 30.0  # how often the trunks are read again (new ones, and failures)


class Registrar:
    def __init__(
        self,
        db: Database,
        secret: str,
        endpoint: SipEndpoint,
        host_towards: Callable[[Address], str],
        opened: Callable[[], Awaitable[None]],
    ) -> None:
        self.db = db
        self.secret = secret
        self.endpoint = endpoint
        self.host_towards = host_towards
        self.opened = opened
        self.due: dict[str, float] = {}  # account ID -> when to register again

    async def keep_registered(self) -> None:
        while True:
            try:
                await self.register_due()
            except Exception:
                logger.exception("registering the SIP trunks failed")
            await asyncio.sleep(CHECK_SECONDS)

    async def register_due(self) -> None:
        async with self.db.session(read_only=True) as session:
            accounts = await credentials_of_carrier(session, "sip", self.secret)
        now = asyncio.get_running_loop().time()
        for account in accounts:
            trunk = Trunk.of(account.account_id, account.fields)
            if trunk.register and self.due.get(trunk.account_id, 0.0) <= now:
                expires = await self.register(trunk)
                self.due[trunk.account_id] = now + (expires / 2 if expires else CHECK_SECONDS)

    async def register(self, trunk: Trunk) -> int:
        """REGISTER ringline's contact with ``trunk``: the seconds granted (0: refused)."""
        await self.opened()
        address = await resolve(trunk.host, trunk.port)
        await self.endpoint.link(address, trunk.transport, trunk.tls_context(), trunk.host)
        host = self.host_towards(address)
        sent_by = f"{host}:{self.endpoint.port_towards(address, trunk.transport)}"
        user = trunk.username or "ringline"
        aor = f"<sip:{user}@{trunk.domain}>"
        headers = [
            ("From", f"{aor};tag={generate_tag()}"),
            ("To", aor),
            ("Call-ID", generate_call_id(host)),
            ("CSeq", "1 REGISTER"),
            ("Contact", f"<sip:{user}@{sent_by}{trunk.uri_parameters}>"),
            ("Expires", str(REGISTER_EXPIRES)),
        ]
        uri = f"sip:{trunk.domain}{trunk.uri_parameters}"
        request = dialog.new_request("REGISTER", uri, sent_by, headers, transport=trunk.transport)
        response = await self.endpoint.ask(request, address)
        if response.status_code in (401, 407) and trunk.auth is not None:
            code = response.status_code
            credentials = answer_challenge(trunk.auth, response, code, "REGISTER", request.uri)
            if credentials is not None:
                retry = dialog.with_credentials(request, *credentials)
                response = await self.endpoint.ask(retry, address)
        if not 200 <= response.status_code < 300:
            logger.warning(
                "the trunk %s refused REGISTER: %d %s",
                trunk.domain,
                response.status_code,
                response.reason_phrase,
            )
            return 0
        return granted(response)


def granted(response: SipResponse) -> int:
    """The expiry a registrar granted: in its Contact, else its Expires header."""
    for contact in response.get_header_values("Contact"):
        if ";expires=" in contact:
            with contextlib.suppress(ValueError):
                return int(contact.split(";expires=")[1].split(";")[0])
    with contextlib.suppress(ValueError, TypeError):
        return int(response.get_header("Expires") or REGISTER_EXPIRES)
    return REGISTER_EXPIRES
