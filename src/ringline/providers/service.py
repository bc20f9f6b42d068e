"""Which hosted services a workspace's calls use, and their keys (encrypted at rest)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.errors import BadRequest, not_found
from ringline.models import VoiceProvider
from ringline.providers import crypto
from ringline.providers.schemas import OPENAI_VOICES, ProviderSet, Stage
from ringline.voice.services import HostedService


async def list_providers(session: AsyncSession, workspace_id: str) -> list[VoiceProvider]:
    rows = await session.scalars(
        select(VoiceProvider)
        .where(VoiceProvider.workspace_id == workspace_id)
        .order_by(VoiceProvider.stage)
    )
    return list(rows)


async def set_provider(
    session: AsyncSession, workspace_id: str, stage: Stage, data: ProviderSet, server_secret: str
) -> VoiceProvider:
    _check_voice(stage, data.voice)
    provider = await session.get(VoiceProvider, (workspace_id, stage))
    if provider is None:
        provider = VoiceProvider(workspace_id=workspace_id, stage=stage)
        session.add(provider)
    provider.protocol = data.protocol
    provider.base_url = str(data.base_url).rstrip("/")
    provider.model = data.model
    provider.voice = data.voice
    provider.api_key_encrypted = crypto.encrypt(server_secret, data.api_key.get_secret_value())
    await session.flush()
    await session.refresh(provider)
    return provider


async def remove_provider(session: AsyncSession, workspace_id: str, stage: Stage) -> None:
    provider = await session.get(VoiceProvider, (workspace_id, stage))
    if provider is None:
        raise not_found("provider", stage)
    await session.delete(provider)
    await session.flush()


async def hosted_services(
    session: AsyncSession, workspace_id: str, server_secret: str
) -> dict[str, HostedService]:
    """The workspace's hosted services by stage, keys decrypted, for a call about to start."""
    return {
        p.stage: HostedService(
            base_url=p.base_url,
            model=p.model,
            api_key=crypto.decrypt(server_secret, p.api_key_encrypted),
            voice=p.voice,
        )
        for p in await list_providers(session, workspace_id)
    }


def _check_voice(stage: Stage, voice: str | None) -> None:
    if stage == "tts" and voice is None:
        raise BadRequest(
            f"a tts provider needs a voice, one of: {', '.join(OPENAI_VOICES)}",
            {"field": "voice"},
        )
    if stage != "tts" and voice is not None:
        raise BadRequest("only a tts provider takes a voice", {"field": "voice"})
