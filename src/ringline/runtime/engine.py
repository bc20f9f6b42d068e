"""The engine: runs the conversations of the calls whose audio reached this process.

A conversation needs a call ID and a Pipecat transport, nothing carrier- or
channel-specific: the media door (phone carriers) and the web call socket both hand
theirs over here. From answer to outcome: take the call's lease, build its plan, run the
session, store its transcript, analyse it (extracting its assistant's fields) and record
how it ended.
"""

import logging
from dataclasses import asdict
from datetime import datetime

from pipecat.transports.base_transport import BaseTransport

from ringline.calls import events
from ringline.calls.live import live_call
from ringline.calls.recordings import recording_path
from ringline.config import Settings
from ringline.db import Database
from ringline.db.base import utcnow
from ringline.models import Assistant, Call
from ringline.operations.metrics import LIVE_CALLS, REPLY_STAGES
from ringline.outcomes import CallAnalysis, CallAnalyzer, Extraction, Utterance
from ringline.outcomes.extraction import extract
from ringline.outcomes.types import fallback_label
from ringline.phone import local_zone
from ringline.providers.crypto import UnreadableKey
from ringline.runtime.callbacks import callback_moment, calling_windows
from ringline.runtime.leases import ProcessLease
from ringline.runtime.plan import PlanBuilder
from ringline.runtime.transcripts import TranscriptWriter
from ringline.voice.codec import PHONE_RATE
from ringline.voice.session import CallSession, SessionResult, SpokenTurn, TurnSink

logger = logging.getLogger(__name__)

# Why a stream was sent away without a conversation: the WebSocket close code to give it.
NOT_LIVE = 1008  # no such answered call: policy
ENDED = 1000  # ended while its audio was connecting: a normal close
BROKEN = 1011  # the call cannot run here (its provider settings): server error


class CallEngine:
    def __init__(
        self, db: Database, settings: Settings, lease: ProcessLease, plans: PlanBuilder
    ) -> None:
        self.db = db
        self.settings = settings
        self.lease = lease
        self.plans = plans
        self.live: dict[str, CallSession] = {}

    async def converse(
        self,
        call_id: str,
        transport: BaseTransport,
        *,
        sample_rate: int = PHONE_RATE,
        show: TurnSink | None = None,
    ) -> int | None:
        """Hold the call's conversation from answer to its recorded outcome. Returns
        None once it ran, else the close code for a stream sent away at once."""
        async with self.db.session(read_only=True) as db_session:  # no write lock to wait for
            live = await live_call(db_session, call_id)
        if live is None:
            return NOT_LIVE
        call, assistant = live
        await self.lease.take(call_id)  # its audio is here now: so is the call's fate
        if call.end_requested_at is not None:
            nothing_said = SessionResult("request", 0.0, None)
            labels = list(assistant.dispositions)
            await self._wrap_up(call_id, nothing_said, utcnow(), self.plans.analyzer, labels)
            return ENDED
        try:
            plan = await self.plans.plan(call, assistant)
        except UnreadableKey as exc:
            await events.failed(self.db, call_id, f"voice provider settings: {exc}")
            return BROKEN
        writer = TranscriptWriter(self.db, call_id)

        async def on_turn(turn: SpokenTurn) -> None:
            for stage, seconds in (turn.latency or {}).items():
                REPLY_STAGES.labels(stage).observe(seconds)
            await writer.add(turn)
            if show is not None:
                await show(turn)

        session = CallSession(
            plan.session,
            transport,
            plan.services,
            on_turn,
            recording_path(self.settings, call_id),
            sample_rate=sample_rate,
        )
        self.live[call_id] = session
        LIVE_CALLS.inc()
        try:
            result = await session.run()
        except Exception:
            logger.exception("the conversation of %s failed", call_id)
            await writer.close()
            await events.failed(self.db, call_id, "the voice engine failed during the call")
            return None
        finally:
            self.live.pop(call_id, None)
            LIVE_CALLS.dec()
        ended_at = utcnow()
        await writer.close()
        callbacks = plan.session.schedule_callbacks
        extraction = extraction_of(call, assistant, ended_at)
        await self._wrap_up(
            call_id, result, ended_at, plan.analyzer, plan.labels, callbacks, extraction
        )
        return None

    async def _wrap_up(
        self,
        call_id: str,
        result: SessionResult,
        ended_at: datetime,
        analyzer: CallAnalyzer,
        labels: list[str],
        schedule_callbacks: bool = False,
        extraction: Extraction | None = None,
    ) -> None:
        analysis = await _analysis(call_id, result, analyzer, labels, extraction)
        callback_at = None
        if schedule_callbacks and result.callback is not None:
            callback_at = await self._callback_at(call_id, result.callback, ended_at)
        await events.finished(
            self.db,
            call_id,
            ended_at=ended_at,
            ended_by=result.ended_by,
            disposition=analysis.disposition,
            summary=analysis.summary,
            tool_calls=[asdict(called) for called in result.tool_calls],
            callback_requested=result.callback[:200] if result.callback is not None else None,
            callback_at=callback_at,
            extracted=analysis.extracted,
        )

    async def _callback_at(self, call_id: str, asked: str, now: datetime) -> datetime | None:
        async with self.db.session(read_only=True) as session:
            call = await session.get(Call, call_id)
            if call is None:
                return None
            windows = await calling_windows(session, call, self.settings.default_timezone)
        return callback_moment(asked, now, windows)

    async def hang_up(self, call_id: str, reason: str = "request") -> bool:
        """Hang up a live call of this process; False if it is not live here."""
        session = self.live.get(call_id)
        if session is None:
            return False
        await session.hang_up(reason)
        return True

    async def stop(self) -> None:
        for call_id in list(self.live):
            await self.hang_up(call_id, "shutdown")


def extraction_of(call: Call, assistant: Assistant, ended_at: datetime) -> Extraction | None:
    """What to extract from the call, if its assistant asks for anything: its fields, and
    its end on the customer's clock (the zone of the customer's number, if it has one)."""
    if not assistant.extraction:
        return None
    customer = call.to_number if call.direction == "outbound" else call.from_number
    return Extraction(assistant.extraction, ended_at.astimezone(local_zone(customer)))


async def _analysis(
    call_id: str,
    result: SessionResult,
    analyzer: CallAnalyzer,
    labels: list[str],
    extraction: Extraction | None,
) -> CallAnalysis:
    if result.ended_by == "voicemail":  # a machine's greeting is nothing to analyse
        return CallAnalysis("An answering machine took the call.", "voicemail")
    said = [Utterance(t.role, t.text) for t in result.turns]
    try:
        if extraction is None:
            return await analyzer.analyze(said, labels)
        return await analyzer.analyze(said, labels, extraction)
    except Exception:
        # The call still ends: an outcome nobody decided beats a call stuck live, and the
        # offline extraction still reads what the customer said.
        logger.exception("the analysis of %s failed", call_id)
        extracted = extract(said, extraction.schema, extraction.now) if extraction else {}
        return CallAnalysis("No summary: the analysis failed.", fallback_label(labels), extracted)
