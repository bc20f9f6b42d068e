from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt
from ringline.ids import new_id


class DashboardSession(CreatedAt, Base):
    """An operator signed in to the dashboard with an API key.

    The cookie holds a random secret whose SHA-256 is stored here, never the key: a leaked
    table opens no session and no API. The key's scope is read afresh on each request, so
    revoking the key ends its sessions at once.
    """

    __tablename__ = "dashboard_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("dsn"))
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
