from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt, JSONType
from ringline.ids import new_id

CampaignStatus = Literal["draft", "scheduled", "running", "paused", "completed", "cancelled"]
# The outcomes a campaign may retry: unanswered calls, and calls an answering machine took.
RetryOutcome = Literal["no-answer", "busy", "failed", "voicemail"]
CAMPAIGN_STATUSES: tuple[CampaignStatus, ...] = get_args(CampaignStatus)
# Retried unless a campaign says otherwise; a machine's call only when asked to (the
# agent may have left a message on it).
RETRY_OUTCOMES: tuple[RetryOutcome, ...] = ("no-answer", "busy", "failed")
# Statuses in which a campaign holds its assistant (counts against campaigns_per_assistant).
ACTIVE_STATUSES = ("scheduled", "running", "paused")


class Campaign(CreatedAt, Base):
    """A list of contacts one assistant calls inside calling windows, with pacing and retries."""

    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in CAMPAIGN_STATUSES) + ")", name="status"
        ),
        Index("ix_campaigns_workspace_created", "workspace_id", "created_at"),
        Index("ix_campaigns_status", "status"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("camp"))
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    assistant_id: Mapped[str] = mapped_column(ForeignKey("assistants.id"), index=True)
    # Caller IDs (E.164) the calls go out from, used in turn; empty: the assistant's number.
    from_numbers: Mapped[list[str]] = mapped_column(default=list)
    max_concurrent_calls: Mapped[int] = mapped_column(default=5)
    max_attempts: Mapped[int] = mapped_column(default=3)
    retry_gap_seconds: Mapped[int] = mapped_column(default=3600)
    retry_on: Mapped[list[RetryOutcome]] = mapped_column(
        JSONType, default=lambda: list(RETRY_OUTCOMES)
    )
    # Daily calling window, local "HH:MM" in ``timezone``; both None: all day.
    window_start: Mapped[str | None] = mapped_column(String(5), default=None)
    window_end: Mapped[str | None] = mapped_column(String(5), default=None)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Kolkata")
    status: Mapped[CampaignStatus] = mapped_column(String(16), default="draft")
    # The launch's schedule: dial only between these instants (either may be open).
    schedule_start: Mapped[datetime | None] = mapped_column(default=None)
    schedule_end: Mapped[datetime | None] = mapped_column(default=None)
    contact_count: Mapped[int] = mapped_column(default=0)
    rejected_count: Mapped[int] = mapped_column(default=0)
    # The launch's Idempotency-Key and its answer, replayed when the same key comes again.
    launch_key: Mapped[str | None] = mapped_column(String(255), default=None)
    launch_result: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    launched_at: Mapped[datetime | None] = mapped_column(default=None)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
