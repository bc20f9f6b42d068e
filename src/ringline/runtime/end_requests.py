"""Hang up live calls of this process whose end was asked for through another process.

``POST /v1/calls/{id}/end`` received here hangs up at once; received by another API
process, it only stores ``end_requested_at``, which this pass finds.
"""

from ringline.calls.live import end_requested
from ringline.db import Database
from ringline.jobs import Pass
from ringline.runtime.engine import CallEngine

# How soon a call ends after POST /end reached another process (one second promised).
POLL_SECONDS = 0.4


def end_requests_pass(db: Database, engine: CallEngine) -> Pass:
    async def run() -> None:
        if not engine.live:
            return
        async with db.session(read_only=True) as session:
            call_ids = await end_requested(session, list(engine.live))
        for call_id in call_ids:
            await engine.hang_up(call_id)

    return Pass("runtime.end_requests", run, POLL_SECONDS)
