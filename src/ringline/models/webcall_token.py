from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt
from ringline.ids import new_id


class WebcallToken(CreatedAt, Base):
    """A token the browser widget opens one web call with: usable once, until it expires."""

    __tablename__ = "webcall_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("wct"))
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    assistant_id: Mapped[str] = mapped_column(ForeignKey("assistants.id", ondelete="CASCADE"))
    visitor_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    expires_at: Mapped[datetime]
    # Set by the compare-and-set UPDATE that claims the token: a second use finds it set.
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    call_id: Mapped[str | None] = mapped_column(String(32), default=None)
