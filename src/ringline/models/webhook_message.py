from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt
from ringline.ids import new_id

# SQLite numbers rows itself only for a column declared exactly INTEGER PRIMARY KEY.
SEQUENCE = BigInteger().with_variant(Integer(), "sqlite")


class WebhookMessage(CreatedAt, Base):
    """One event for one destination: the outbox row a dispatcher claims, sends and retries.

    ``endpoint_id`` is null for a destination given with the event (a call's own
    ``webhook_url``). ``seq`` orders the messages that share an ``ordering_key``.
    """

    __tablename__ = "webhook_messages"
    __table_args__ = (Index("ix_webhook_messages_due", "status", "next_attempt_at"),)

    seq: Mapped[int] = mapped_column(SEQUENCE, primary_key=True, autoincrement=True)
    # Sent as the ``webhook-id`` header, the same on every retry, so receivers can deduplicate.
    id: Mapped[str] = mapped_column(String(32), unique=True, default=lambda: new_id("msg"))
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    endpoint_id: Mapped[str | None] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True, default=None
    )
    url: Mapped[str] = mapped_column(String(2048))
    event: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column()
    # The caller's own headers for this destination (a call's ``webhook_headers``).
    headers: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    ordering_key: Mapped[str | None] = mapped_column(String(128), index=True, default=None)
    # "pending" (waiting, leased or between retries), "delivered" or "failed".
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column()
    # Set while a dispatcher holds the message; past it, any dispatcher may claim it again.
    lease_expires_at: Mapped[datetime | None] = mapped_column(default=None)
