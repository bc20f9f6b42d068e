"""What carriers read and record of their calls (``telephony.carrier.CallLines``),
through the domains' services: a carrier sits below them and never imports them."""

from sqlalchemy import update

from ringline.assistants.service import check_active
from ringline.calls import events
from ringline.calls.live import room_for_calls
from ringline.calls.service import answer_inbound
from ringline.config import Settings
from ringline.db import Database
from ringline.errors import ApiError
from ringline.models import Assistant, Call
from ringline.numbers.service import number_called
from ringline.runtime.leases import ProcessLease
from ringline.telephony.carrier import Admission, CallLine
from ringline.telephony.media_tokens import media_token


class Lines:
    def __init__(self, db: Database, settings: Settings, lease: ProcessLease) -> None:
        self.db = db
        self.settings = settings
        self.lease = lease

    async def line(self, call_id: str) -> CallLine | None:
        async with self.db.session(read_only=True) as session:
            call = await session.get(Call, call_id)
        if call is None or call.source != "phone":
            return None
        return CallLine(
            call_id=call.id,
            workspace_id=call.workspace_id,
            carrier=call.carrier,
            direction=call.direction,
            from_number=call.from_number,
            to_number=call.to_number,
            status=call.status,
            carrier_call_id=call.carrier_call_id,
        )

    async def identified(self, call_id: str, carrier_call_id: str) -> None:
        """Set once: a later report naming another ID leaves the first one."""
        async with self.db.session() as session:
            await session.execute(
                update(Call)
                .where(Call.id == call_id, Call.carrier_call_id.is_(None))
                .values(carrier_call_id=carrier_call_id)
            )

    async def admit(
        self, carrier: str, to_number: str, from_number: str, carrier_call_id: str
    ) -> Admission:
        async with self.db.session() as session:
            number = await number_called(session, to_number)
            if number is None or number.carrier != carrier:
                return Admission(refusal="unknown")
            assistant = await session.get(Assistant, number.assistant_id or "")
            if assistant is None or not _active(assistant):
                return Admission(refusal="unassigned")
            room = await room_for_calls(session, number.workspace_id)
            if room.get(number.workspace_id, 0) <= 0:
                return Admission(refusal="busy")
            call = await answer_inbound(
                session,
                assistant=assistant,
                number=number,
                from_number=from_number,
                carrier_call_id=carrier_call_id,
                owner=self.lease.name,
            )
        await events.answered(self.db, call.id)
        secret = self.settings.secret_key.get_secret_value()
        token = media_token(secret, call.id)
        return Admission(call_id=call.id, media_parameters={"call_id": call.id, "token": token})


def _active(assistant: Assistant) -> bool:
    try:
        check_active(assistant, "answer calls")
    except ApiError:
        return False
    return True
