from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt, utcnow
from ringline.ids import new_id

AssistantStatus = Literal["active", "inactive"]


class Assistant(CreatedAt, Base):
    """A voice agent: what it says, how it sounds and which models run it."""

    __tablename__ = "assistants"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("asst"))
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(16))
    status: Mapped[AssistantStatus] = mapped_column(String(16), default="active")
    prompt: Mapped[str] = mapped_column(Text)
    voice: Mapped[str] = mapped_column(String(64))
    first_message: Mapped[str] = mapped_column(Text, default="")
    # Kept as JSON documents: they are read whole when a call starts.
    variable_defaults: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dispositions: Mapped[list[str]] = mapped_column(default=list)
    max_call_duration_seconds: Mapped[int] = mapped_column(default=600)
    # Sites (scheme://host[:port]) whose pages may open web calls to this assistant.
    allowed_origins: Mapped[list[str]] = mapped_column(default=list, server_default="[]")
    # What outbound calls do when a machine answers (assistants.schemas.VoicemailSettings);
    # {}: no detection.
    voicemail: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    # HTTP endpoints its calls may call mid-conversation (assistants.schemas.HttpTool).
    tools: Mapped[list[dict[str, Any]]] = mapped_column(default=list, server_default="[]")
    # Whether a customer's "call me back tomorrow" places that call (migration 0017).
    schedule_callbacks: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The JSON schema of the fields extracted from each finished call; {}: none.
    extraction: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
