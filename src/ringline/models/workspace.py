from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt
from ringline.ids import new_id


class Workspace(CreatedAt, Base):
    """A tenant: every other row belongs to exactly one workspace."""

    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("ws"))
    name: Mapped[str] = mapped_column(String(100), unique=True)
    plan: Mapped[str] = mapped_column(String(32), default="standard")
    concurrent_call_limit: Mapped[int] = mapped_column(default=10)
    monthly_minute_limit: Mapped[int | None] = mapped_column(default=None)
    # Kept by database triggers on every insert and delete of a call (migration 0005),
    # so the unfiltered call history knows its total without counting a million rows.
    call_count: Mapped[int] = mapped_column(default=0, server_default="0")
