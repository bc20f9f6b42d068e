from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt
from ringline.ids import new_id


class WebhookEndpoint(CreatedAt, Base):
    """A URL that receives the workspace's events it subscribed to, signed with its secret."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("wh"))
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list[str]] = mapped_column()
    # Kept in the clear, unlike API keys: signing needs the secret itself, not a hash.
    secret: Mapped[str] = mapped_column(String(256))
    # "active", "failing" (many failures in a row, still tried) or "disabled" (answered 410).
    status: Mapped[str] = mapped_column(String(16), default="active")
    consecutive_failures: Mapped[int] = mapped_column(default=0)
