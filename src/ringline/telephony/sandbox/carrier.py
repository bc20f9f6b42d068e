"""The sandbox carrier: dials simulated callees on this machine, no phone network.

An answered callee connects to the media WebSocket like a real carrier would and talks
with the agent over 8 kHz mu-law frames paced in real time.
"""

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import WebSocket

from ringline.callees.schemas import BehaviourSettings, PersonaSettings, SandboxCalleeCreate
from ringline.callees.service import find_callee
from ringline.db import Database
from ringline.simulation import Behaviour, LLMPersona, ScriptedPersona, SimulatedCallee
from ringline.telephony import sandbox
from ringline.telephony.carrier import CallReports, Carrier, DialRequest, MediaStream
from ringline.telephony.twilio_stream import accept_twilio_stream
from ringline.voice.services import LLMEndpoint

logger = logging.getLogger(__name__)
LLMProvider = Callable[[], Awaitable[LLMEndpoint]]


class SandboxCarrier(Carrier):
    name = sandbox.NAME

    def __init__(
        self,
        db: Database,
        llm: LLMProvider,
        reports_dir: Path,
        ring_seconds: float = 3.0,
        ring_timeout_seconds: float = 30.0,
    ) -> None:
        self.db = db
        self.reports_dir = reports_dir
        self.llm = llm
        self.ring_seconds = ring_seconds
        self.ring_timeout_seconds = ring_timeout_seconds
        self._calls: dict[str, asyncio.Task[None]] = {}

    def reaches(self, number: str) -> bool:
        return sandbox.reaches(number)

    async def accept_media(self, websocket: WebSocket) -> MediaStream:
        # Simulated callees speak Twilio's Media Streams protocol, as a real line would.
        return await accept_twilio_stream(websocket)

    async def dial(self, request: DialRequest, reports: CallReports) -> None:
        callee = await self._callee(request)
        plan = callee.ring_plan(self.ring_timeout_seconds, self.ring_seconds)
        if plan.ringing:
            await reports.ringing(request.call_id)
        self._calls[request.call_id] = asyncio.current_task()  # type: ignore[assignment]
        try:
            await asyncio.sleep(plan.after_seconds)
        finally:
            self._calls.pop(request.call_id, None)
        if plan.status != "in-progress":
            await reports.unanswered(request.call_id, plan.status, _reason(plan.status))
            return
        await reports.answered(request.call_id)
        talk = self._talk(callee, request, reports)
        self._calls[request.call_id] = asyncio.create_task(talk)

    async def _talk(
        self, callee: SimulatedCallee, request: DialRequest, reports: CallReports
    ) -> None:
        start = {
            "streamSid": f"MZ{uuid.uuid4().hex}",
            "accountSid": "sandbox",
            "callSid": request.call_id,
            "tracks": ["inbound"],
            "customParameters": request.media_parameters,
            "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
        }
        try:
            report = await callee.converse(request.media_url, start)
        except Exception:
            logger.exception("the simulated callee of %s failed", request.call_id)
            # Harmless if the engine already finished the call: the lifecycle refuses it.
            await reports.failed(request.call_id, "the simulated callee's line failed")
            return
        finally:
            self._calls.pop(request.call_id, None)
        # What the callee heard and measured: for tests, benchmarks and debugging.
        path = self.reports_dir / f"{request.call_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report.summary(), indent=2))

    async def cancel(self, call_id: str) -> None:
        task = self._calls.pop(call_id, None)
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def stop(self) -> None:
        for call_id in list(self._calls):
            await self.cancel(call_id)

    async def _callee(self, request: DialRequest) -> SimulatedCallee:
        async with self.db.session() as session:
            row = await find_callee(session, request.workspace_id, request.to_number)
        config = (
            SandboxCalleeCreate.model_validate(
                {"number": row.number, "behaviour": row.behaviour, "persona": row.persona}
            )
            if row
            else SandboxCalleeCreate(number=request.to_number)
        )
        persona = config.persona
        return SimulatedCallee(
            _behaviour(config.behaviour), await self._persona(persona), opening=persona.opening
        )

    async def _persona(self, persona: PersonaSettings) -> ScriptedPersona | LLMPersona:
        if persona.replies is not None:
            return ScriptedPersona(persona.replies)
        endpoint = await self.llm()
        return LLMPersona(
            goal=persona.goal or "",
            base_url=endpoint.base_url,
            model=endpoint.model,
            api_key=endpoint.api_key,
            max_turns=persona.max_turns,
        )


def _behaviour(behaviour: BehaviourSettings) -> Behaviour:
    return Behaviour(**behaviour.model_dump())


def _reason(status: str) -> str:
    return {
        "busy": "the line was busy",
        "no-answer": "nobody answered",
        "failed": "the call failed",
    }[status]
