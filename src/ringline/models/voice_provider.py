from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, utcnow


class VoiceProvider(Base):
    """A hosted service a workspace's calls use for one stage instead of the bundled model."""

    __tablename__ = "voice_providers"
    __table_args__ = (CheckConstraint("stage IN ('llm', 'stt', 'tts')", name="stage"),)

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    stage: Mapped[str] = mapped_column(String(8), primary_key=True)
    # The wire protocol the service speaks; "openai" covers every OpenAI-compatible API.
    protocol: Mapped[str] = mapped_column(String(16))
    base_url: Mapped[str] = mapped_column(String(2048))
    model: Mapped[str] = mapped_column(String(128))
    voice: Mapped[str | None] = mapped_column(String(64))
    # Encrypted with the server's secret key (providers.crypto); never returned by the API.
    api_key_encrypted: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
