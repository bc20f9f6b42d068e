"""Runs the conversations of the calls whose media streams connect to this process."""

import asyncio
import contextlib
import json
import logging
from datetime import datetime

from fastapi import WebSocket, WebSocketDisconnect
from pipecat.serializers.twilio import TwilioFrameSerializer
from pipecat.transports.websocket.fastapi import FastAPIWebsocketParams, FastAPIWebsocketTransport
from sqlalchemy import select
from starlette.websockets import WebSocketState

from ringline.calls import events
from ringline.calls.leases import ProcessLease
from ringline.calls.recordings import recording_path
from ringline.calls.service import live_call
from ringline.calls.transcripts import TranscriptWriter
from ringline.config import Settings
from ringline.db import Database
from ringline.db.base import utcnow
from ringline.models import Call
from ringline.providers.crypto import UnreadableKey
from ringline.providers.service import hosted_services
from ringline.telephony.codec import PHONE_RATE
from ringline.telephony.media_tokens import valid_media_token
from ringline.telephony.twilio_stream import BadStream, StreamStart, read_start
from ringline.voice.analysis import (
    BundledAnalyzer,
    CallAnalysis,
    CallAnalyzer,
    ChatAnalyzer,
    Turn,
)
from ringline.voice.analysis.types import fallback_label
from ringline.voice.llm_server import MODEL_ALIAS, BundledLLMServer
from ringline.voice.services import LLMEndpoint, VoiceServices
from ringline.voice.session import CallPlan, CallSession, SessionResult, SpokenTurn, TurnSink
from ringline.webcall.serializer import WEB_RATE, BrowserFrameSerializer

logger = logging.getLogger(__name__)
# How soon a call ends after POST /end reached another process (one second promised).
END_REQUEST_POLL_SECONDS = 0.4


class VoiceEngine:
    def __init__(self, db: Database, settings: Settings, lease: ProcessLease) -> None:
        self.db = db
        self.settings = settings
        self.lease = lease
        self.bundled_llm = BundledLLMServer(settings.data_dir / "logs" / "llm.log")
        self.analyzer: CallAnalyzer = (
            ChatAnalyzer(
                settings.llm_base_url, settings.llm_model, settings.llm_api_key.get_secret_value()
            )
            if settings.llm_base_url
            else BundledAnalyzer()
        )
        self.live: dict[str, CallSession] = {}
        self._watch: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._watch = asyncio.create_task(self._watch_end_requests(), name="end-requests")

    async def default_llm(self) -> LLMEndpoint:
        """The server's LLM: the one its settings name, else the bundled SmolLM2."""
        if self.settings.llm_base_url:
            return LLMEndpoint(
                base_url=self.settings.llm_base_url,
                model=self.settings.llm_model,
                api_key=self.settings.llm_api_key.get_secret_value(),
            )
        # The bundled 135M model cannot call tools reliably: calls end by other means.
        return LLMEndpoint(await self.bundled_llm.url(), MODEL_ALIAS, supports_tools=False)

    async def services_for(self, workspace_id: str) -> tuple[VoiceServices, CallAnalyzer]:
        """What a call talks and is analysed through: the workspace's hosted services
        where it set them, the server's elsewhere."""
        secret = self.settings.secret_key.get_secret_value()
        async with self.db.session(read_only=True) as session:
            hosted = await hosted_services(session, workspace_id, secret)
        stt, tts, llm = hosted.get("stt"), hosted.get("tts"), hosted.get("llm")
        if llm is None:
            return VoiceServices(await self.default_llm(), stt, tts), self.analyzer
        endpoint = LLMEndpoint(llm.base_url, llm.model, llm.api_key)
        return VoiceServices(endpoint, stt, tts), ChatAnalyzer(llm.base_url, llm.model, llm.api_key)

    async def serve_media(self, websocket: WebSocket) -> None:
        """One carrier media stream: check it, hold the conversation, record the outcome."""
        await websocket.accept()
        try:
            start = await read_start(websocket)
        except (BadStream, WebSocketDisconnect, json.JSONDecodeError) as exc:
            logger.warning("refused a media stream: %s", exc)
            await _close(websocket, 1008)
            return
        call_id = start.parameters.get("call_id", "")
        if not valid_media_token(
            self.settings.secret_key.get_secret_value(), call_id, start.parameters.get("token", "")
        ):
            logger.warning("refused a media stream with a bad token for %r", call_id)
            await _close(websocket, 1008)
            return
        await self._converse(websocket, call_id, _transport(websocket, start))

    async def serve_browser(self, websocket: WebSocket, call_id: str) -> None:
        """A web call's audio over the widget's socket (accepted, its call answered)."""

        async def show(turn: SpokenTurn) -> None:
            if websocket.application_state != WebSocketState.CONNECTED:
                return
            line = {"type": "transcript", "role": turn.role, "text": turn.text}
            with contextlib.suppress(RuntimeError, WebSocketDisconnect, OSError):
                await websocket.send_text(json.dumps(line))

        await self._converse(
            websocket, call_id, browser_transport(websocket), out_rate=WEB_RATE, show=show
        )

    async def _converse(
        self,
        websocket: WebSocket,
        call_id: str,
        transport: FastAPIWebsocketTransport,
        *,
        out_rate: int = PHONE_RATE,
        show: TurnSink | None = None,
    ) -> None:
        """One conversation, phone or web alike, from answer to its recorded outcome."""
        async with self.db.session() as session:
            live = await live_call(session, call_id)
        if live is None:
            await _close(websocket, 1008)
            return
        call, assistant = live
        await self.lease.take(call_id)  # its audio is here now: so is the call's fate
        if call.end_requested_at is not None:  # ended while its audio was connecting
            await _close(websocket, 1000)
            nothing_said = SessionResult("request", 0.0, None)
            await self._wrap_up(call_id, nothing_said, utcnow(), assistant.dispositions)
            return
        plan = CallPlan(
            call_id=call.id,
            prompt=call.prompt,
            first_message=call.first_message,
            max_duration_seconds=assistant.max_call_duration_seconds,
        )
        try:
            services, analyzer = await self.services_for(call.workspace_id)
        except UnreadableKey as exc:
            await _close(websocket, 1011)
            await events.failed(self.db, call_id, f"voice provider settings: {exc}")
            return
        writer = TranscriptWriter(self.db, call_id)

        async def on_turn(turn: SpokenTurn) -> None:
            await writer.add(turn)
            if show is not None:
                await show(turn)

        session = CallSession(
            plan,
            transport,
            services,
            on_turn,
            recording_path(self.settings, call_id),
            audio_out_sample_rate=out_rate,
        )
        self.live[call_id] = session
        try:
            result = await session.run()
        except Exception:
            logger.exception("the conversation of %s failed", call_id)
            await writer.close()
            await events.failed(self.db, call_id, "the voice engine failed during the call")
            return
        finally:
            self.live.pop(call_id, None)
        ended_at = utcnow()
        await writer.close()
        await self._wrap_up(call_id, result, ended_at, assistant.dispositions, analyzer)

    async def _wrap_up(
        self,
        call_id: str,
        result: SessionResult,
        ended_at: datetime,
        labels: list[str],
        analyzer: CallAnalyzer | None = None,
    ) -> None:
        turns = [Turn(t.role, t.text) for t in result.turns]
        try:
            analysis = await (analyzer or self.analyzer).analyze(turns, labels)
        except Exception:
            # The call still ends: an outcome nobody decided beats a call stuck live.
            logger.exception("the analysis of %s failed", call_id)
            analysis = CallAnalysis("No summary: the analysis failed.", fallback_label(labels))
        await events.finished(
            self.db,
            call_id,
            ended_at=ended_at,
            ended_by=result.ended_by,
            disposition=analysis.disposition,
            summary=analysis.summary,
        )

    async def hang_up(self, call_id: str) -> bool:
        """Hang up a live call of this process; False if it is not live here."""
        session = self.live.get(call_id)
        if session is None:
            return False
        await session.hang_up("request")
        return True

    async def _watch_end_requests(self) -> None:
        """Hang up live calls whose end was asked for through another process's API."""
        while True:
            await asyncio.sleep(END_REQUEST_POLL_SECONDS)
            if not self.live:
                continue
            try:
                async with self.db.session(read_only=True) as session:
                    ended = await session.scalars(
                        select(Call.id).where(
                            Call.id.in_(list(self.live)), Call.end_requested_at.is_not(None)
                        )
                    )
                    call_ids = list(ended)
                for call_id in call_ids:
                    await self.hang_up(call_id)
            except Exception:
                logger.exception("checking for end requests failed")

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        for session in list(self.live.values()):
            await session.hang_up("shutdown")
        await self.bundled_llm.stop()


def _transport(websocket: WebSocket, start: StreamStart) -> FastAPIWebsocketTransport:
    serializer = TwilioFrameSerializer(
        stream_sid=start.stream_sid,
        call_sid=start.call_sid,
        params=TwilioFrameSerializer.InputParams(auto_hang_up=False),
    )
    params = FastAPIWebsocketParams(
        audio_in_enabled=True, audio_out_enabled=True, add_wav_header=False, serializer=serializer
    )
    return FastAPIWebsocketTransport(websocket=websocket, params=params)


def browser_transport(websocket: WebSocket) -> FastAPIWebsocketTransport:
    params = FastAPIWebsocketParams(
        audio_in_enabled=True,
        audio_out_enabled=True,
        add_wav_header=False,
        serializer=BrowserFrameSerializer(),
    )
    return FastAPIWebsocketTransport(websocket=websocket, params=params)


async def _close(websocket: WebSocket, code: int) -> None:
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await websocket.close(code=code)
