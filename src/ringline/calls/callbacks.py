"""Call backs: a customer who asked to be called back at a time gets that call, placed as
the call that asked for it ends (when its assistant places them), linked both ways."""

from sqlalchemy.ext.asyncio import AsyncSession

from ringline.calls import events
from ringline.calls.lifecycle import when_ended
from ringline.calls.retries import next_call
from ringline.models import Call


@when_ended
async def place_callback(session: AsyncSession, call: Call) -> None:
    """In the transaction of ``call``'s final status: place the call back it asked for."""
    if call.callback_at is None or call.callback_call_id is not None:
        return
    again = next_call(call, scheduled_at=call.callback_at, callback_of=call.id)
    session.add(again)
    await session.flush()
    call.callback_call_id = again.id
    await events.placed(session, again)
