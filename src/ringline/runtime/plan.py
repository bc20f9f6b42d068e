"""The plan builder: a call, its assistant and its workspace's providers in, what the
engine needs out (the session's plan, the services it talks through, its analyzer)."""

import asyncio
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants.schemas import VoicemailSettings
from ringline.calls import variables
from ringline.config import Settings
from ringline.db import Database
from ringline.knowledge.service import attached_ids, documents_index
from ringline.models import Assistant, Call
from ringline.outcomes import BundledAnalyzer, CallAnalyzer, ChatAnalyzer
from ringline.providers.service import hosted_services
from ringline.tools.http import HttpToolBox
from ringline.tools.schemas import HttpTool
from ringline.voice.dialogue.documents import DocumentIndex
from ringline.voice.llm_server import MODEL_ALIAS, BundledLLMServer
from ringline.voice.services import BUNDLED_DIALOGUE, LLMEndpoint, VoiceServices
from ringline.voice.session import DEFAULT_IDLE_SECONDS, CallPlan
from ringline.voice.voicemail import VoicemailPlan
from ringline.voice.warmup import warm_speech_models
from ringline.webhooks.signing import workspace_secret


@dataclass(frozen=True)
class Plan:
    session: CallPlan
    services: VoiceServices
    analyzer: CallAnalyzer
    labels: list[str]


class DocumentIndexes:
    """The document indexes of recent calls, shared: a campaign's calls to one assistant
    hold one matrix between them, not one each (15 MB at 10,000 chunks)."""

    def __init__(self, kept: int = 8) -> None:
        self._kept: OrderedDict[tuple[str, ...], DocumentIndex] = OrderedDict()
        self._most = kept

    async def of(
        self, session: AsyncSession, workspace_id: str, assistant_id: str
    ) -> DocumentIndex | None:
        """The assistant's chunks in memory; None when it has no documents."""
        ids = await attached_ids(session, workspace_id, assistant_id)
        if not ids:
            return None
        if (index := self._kept.get(ids)) is None:
            index = await documents_index(session, workspace_id, ids)
            self._kept[ids] = index
        self._kept.move_to_end(ids)
        while len(self._kept) > self._most:
            self._kept.popitem(last=False)
        return index


class PlanBuilder:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.bundled_llm = BundledLLMServer(settings.data_dir / "logs" / "llm.log")
        self.documents = DocumentIndexes()
        self.analyzer: CallAnalyzer = (
            ChatAnalyzer(
                settings.llm_base_url, settings.llm_model, settings.llm_api_key.get_secret_value()
            )
            if settings.llm_base_url
            else BundledAnalyzer()
        )

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

    async def warm_up(self) -> dict[str, float]:
        """Load the bundled models now rather than in the first call: seconds each took."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        speech = asyncio.to_thread(warm_speech_models)
        if self.settings.llm_base_url:
            return await speech
        took, _ = await asyncio.gather(speech, self.bundled_llm.warm())
        return took | {"llm (all together)": loop.time() - began}

    async def plan(self, call: Call, assistant: Assistant) -> Plan:
        """What ``call`` talks and is analysed through: the workspace's hosted services
        where it set them, the server's elsewhere (``UnreadableKey`` if a key is lost)."""
        secret = self.settings.secret_key.get_secret_value()
        async with self.db.session(read_only=True) as session:
            hosted = await hosted_services(session, call.workspace_id, secret)
            documents = await self.documents.of(session, call.workspace_id, assistant.id)
        stt, tts, llm = hosted.get("stt"), hosted.get("tts"), hosted.get("llm")
        analyzer = self.analyzer
        if llm is None:
            # Calls on the bundled models talk through the dialogue layer, not the small LLM
            # (which still plays the sandbox's goal-driven callees: default_llm).
            endpoint = await self.default_llm() if self.settings.llm_base_url else BUNDLED_DIALOGUE
        else:
            endpoint = LLMEndpoint(llm.base_url, llm.model, llm.api_key)
            analyzer = ChatAnalyzer(llm.base_url, llm.model, llm.api_key)
        session_plan = CallPlan(
            call_id=call.id,
            prompt=call.prompt,
            first_message=call.first_message,
            max_duration_seconds=call.max_duration_seconds or assistant.max_call_duration_seconds,
            silence_timeout_seconds=call.idle_timeout_seconds or DEFAULT_IDLE_SECONDS,
            direction=call.direction,
            variables=dict(call.dynamic_variables or {}),
            voicemail=voicemail_plan(call, assistant),
            documents=documents,
            tools=self._tools(call, assistant),
            # A web visitor has no number to be called back on.
            schedule_callbacks=assistant.schedule_callbacks and call.source == "phone",
        )
        services = VoiceServices(endpoint, stt, tts)
        return Plan(session_plan, services, analyzer, list(assistant.dispositions))

    def _tools(self, call: Call, assistant: Assistant) -> HttpToolBox | None:
        """The assistant's HTTP tools, signed with the secret of the call's own webhooks."""
        if not assistant.tools:
            return None
        return HttpToolBox(
            [HttpTool.model_validate(tool) for tool in assistant.tools],
            call_id=call.id,
            variables=dict(call.dynamic_variables or {}),
            secret=workspace_secret(self.settings.secret_key.get_secret_value(), call.workspace_id),
            allow_private=self.settings.allow_private_webhooks,
        )

    async def stop(self) -> None:
        await self.bundled_llm.stop()


def voicemail_plan(call: Call, assistant: Assistant) -> VoicemailPlan | None:
    """How ``call`` answers a machine: only outbound phone calls listen for one."""
    settings = VoicemailSettings.model_validate(assistant.voicemail)
    if not settings.detect or call.direction != "outbound" or call.source != "phone":
        return None
    given = call.dynamic_variables or {}
    values = variables.resolve([settings.message], given, assistant.variable_defaults)
    return VoicemailPlan(settings.action, variables.render(settings.message, values))
