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
    # Campaigns one assistant may run at once, and the local hours no campaign dials in
    # (in each campaign's time zone; None for both: no quiet hours).
    campaigns_per_assistant: Mapped[int] = mapped_column(default=1, server_default="1")
    quiet_hours_start: Mapped[str | None] = mapped_column(
        String(5), default="21:00", server_default="21:00"
    )
    quiet_hours_end: Mapped[str | None] = mapped_column(
        String(5), default="09:00", server_default="09:00"
    )
