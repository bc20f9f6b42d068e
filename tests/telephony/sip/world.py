"""A SIP carrier in this process over a scratch database, its conversations held by a
small Pipecat pipeline (what the line heard, and what it should say) instead of the
voice models: for the SIP tests and the SIP bench, whose far ends are real SIPp and
baresip processes."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipecat.frames.frames import (
    Frame,
    InputAudioRawFrame,
    InputDTMFFrame,
    OutputAudioRawFrame,
)
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.worker import PipelineParams, PipelineWorker
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor
from pipecat.transports.base_transport import BaseTransport
from pipecat.workers.runner import WorkerRunner
from sqlalchemy import select

from ringline.carrier_accounts.schemas import SipTrunkCreate
from ringline.carrier_accounts.service import create_account
from ringline.config import Settings
from ringline.db import Database
from ringline.models import Call, PhoneNumber
from ringline.runtime.dialer import Reports
from ringline.runtime.leases import ProcessLease
from ringline.runtime.lines import Lines
from ringline.telephony.carrier import CarrierContext, DialRequest
from ringline.telephony.sip.carrier import SipCarrier
from tests.conftest import make_settings
from tests.fixtures.rows import call_row, workspace_with_assistant
from tests.fixtures.scratch import scratch_database

OUR_NUMBER = "+14155550100"
CALLEE = "+14155550142"


class Ears(FrameProcessor):
    """Keeps what the line heard (audio and DTMF keys), passing everything on."""

    def __init__(self, heard: "Conversation") -> None:
        super().__init__()
        self._heard = heard

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, InputAudioRawFrame):
            self._heard.audio += frame.audio
        elif isinstance(frame, InputDTMFFrame):
            self._heard.digits += str(frame.button.value)
        await self.push_frame(frame, direction)


@dataclass
class Conversation:
    call_id: str
    audio: bytearray = field(default_factory=bytearray)
    digits: str = ""
    hung_up: bool = False  # the far end ended it
    done: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class Agent:
    """Holds each answered call: says ``speech`` (8 kHz PCM), keeps what it heard, and
    ends the call itself after ``hold_seconds`` (None: only when the far end does)."""

    speech: bytes = b""
    hold_seconds: float | None = None
    calls: dict[str, Conversation] = field(default_factory=dict)

    async def converse(self, call_id: str, transport: BaseTransport) -> None:
        heard = self.calls[call_id] = Conversation(call_id)
        pipeline = Pipeline([transport.input(), Ears(heard), transport.output()])
        worker = PipelineWorker(
            pipeline,
            params=PipelineParams(audio_in_sample_rate=8000, audio_out_sample_rate=8000),
            idle_timeout_secs=None,
            enable_rtvi=False,
        )

        @transport.event_handler("on_client_connected")
        async def _connected(*_args: object) -> None:
            if self.speech:
                await worker.queue_frame(OutputAudioRawFrame(self.speech, 8000, 1))

        @transport.event_handler("on_client_disconnected")
        async def _gone(*_args: object) -> None:
            heard.hung_up = True
            await worker.cancel()

        runner = WorkerRunner(handle_sigint=False)
        await runner.add_workers(worker)
        try:
            await asyncio.wait_for(runner.run(), self.hold_seconds)
        except TimeoutError:
            await worker.cancel()
        finally:
            heard.done.set()


@dataclass
class SipWorld:
    db: Database
    settings: Settings
    carrier: SipCarrier
    agent: Agent
    reports: Reports
    workspace_id: str
    assistant_id: str

    async def trunk(
        self, port: int, *, number: str = OUR_NUMBER, assistant: bool = True, **fields: object
    ) -> str:
        """A trunk to 127.0.0.1:``port`` with ``number`` on it; its account ID."""
        secret = self.settings.secret_key.get_secret_value()
        values = {"carrier": "sip", "host": "127.0.0.1", "port": port} | fields
        async with self.db.session() as session:
            account = await create_account(
                session, self.workspace_id, SipTrunkCreate.model_validate(values), secret
            )
            session.add(
                PhoneNumber(
                    workspace_id=self.workspace_id,
                    number=number,
                    carrier="sip",
                    carrier_account_id=account.id,
                    assistant_id=self.assistant_id if assistant else None,
                )
            )
        return account.id

    async def call(self, to_number: str = CALLEE) -> DialRequest:
        async with self.db.session() as session:
            row = call_row(
                self.workspace_id, self.assistant_id, carrier="sip", from_number=OUR_NUMBER,
                to_number=to_number, status="initiated",
            )  # fmt: skip
            session.add(row)
            await session.flush()
        return DialRequest(row.id, self.workspace_id, "sip", OUR_NUMBER, to_number, "", {})

    async def status(self, call_id: str) -> Call:
        async with self.db.session(read_only=True) as session:
            call = await session.scalar(select(Call).where(Call.id == call_id))
        assert call is not None
        return call

    async def until_status(self, call_id: str, status: str, timeout: float = 120.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while (await self.status(call_id)).status != status:
            assert asyncio.get_running_loop().time() < deadline, f"{call_id} never {status}"
            await asyncio.sleep(0.1)

    async def inbound(self) -> Conversation:
        """The first inbound call's conversation, once it has begun."""
        for _ in range(1200):
            if self.agent.calls:
                return next(iter(self.agent.calls.values()))
            await asyncio.sleep(0.1)
        raise AssertionError("no inbound call reached the agent")

    @property
    def address(self) -> str:
        host, port = self.carrier.endpoint.local
        return f"{host}:{port}"


@asynccontextmanager
async def sip_world(tmp_path: Path, **settings: Any) -> AsyncIterator[SipWorld]:
    """A started SIP carrier listening on loopback over a scratch SQLite database, with a
    workspace and its assistant (the benches use it too)."""
    values = {"sip_listen": "127.0.0.1:0"} | settings
    config = make_settings(tmp_path, **values)
    async for db in scratch_database("sqlite", tmp_path):
        async with db.session() as session:
            workspace, assistant = await workspace_with_assistant(
                session, "acme", concurrent_call_limit=1000
            )
        agent = Agent()

        async def no_llm() -> Any:  # the conversations here never reach a model
            raise AssertionError("no LLM in the SIP tests")

        lines = Lines(db, config, ProcessLease(db, config))
        carrier = SipCarrier(CarrierContext(db, config, no_llm, lines, agent.converse))
        await carrier.start()
        try:
            yield SipWorld(db, config, carrier, agent, Reports(db), workspace.id, assistant.id)
        finally:
            await carrier.stop()
