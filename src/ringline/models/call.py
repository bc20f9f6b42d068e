from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt
from ringline.ids import new_id

CallStatus = Literal[
    "initiated", "ringing", "in-progress", "completed", "failed", "no-answer", "busy"
]
CallSource = Literal["phone", "web"]  # a carrier's line, or the browser widget
Direction = Literal["outbound", "inbound"]
CALL_STATUSES: tuple[CallStatus, ...] = get_args(CallStatus)
LIVE_STATUSES: tuple[CallStatus, ...] = ("initiated", "ringing", "in-progress")
# The live calls, as the partial index below and every query served by it write them: a
# planner matches a query to a partial index only through literally the same condition.
LIVE_CONDITION = "status IN (" + ", ".join(f"'{s}'" for s in LIVE_STATUSES) + ")"


class Call(CreatedAt, Base):
    """One phone or web call: who, from where, its lifecycle and its outcome."""

    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in CALL_STATUSES) + ")", name="status"
        ),
        UniqueConstraint("workspace_id", "idempotency_key", name="uq_calls_workspace_idempotency"),
        # The call history and analytics (migration 0004 says why these columns).
        Index(
            "ix_calls_workspace_history",
            "workspace_id",
            "created_at",
            "id",
            "status",
            "disposition",
            "duration_seconds",
            "assistant_id",
        ),
        Index("ix_calls_workspace_status", "workspace_id", "status", "created_at", "id"),
        # The few live calls among millions ended: what the dialer, the scheduler and the
        # process leases look at every second stays small.
        Index(
            "ix_calls_live",
            "workspace_id",
            "from_number",
            sqlite_where=text(LIVE_CONDITION),
            postgresql_where=text(LIVE_CONDITION),
        ),
        Index("ix_calls_workspace_assistant", "workspace_id", "assistant_id", "created_at", "id"),
        Index("ix_calls_workspace_disposition", "workspace_id", "disposition", "created_at", "id"),
        Index("ix_calls_workspace_campaign", "workspace_id", "campaign_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("call"))
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    assistant_id: Mapped[str] = mapped_column(ForeignKey("assistants.id"), index=True)
    campaign_id: Mapped[str | None] = mapped_column(
        ForeignKey("campaigns.id"), index=True, default=None
    )
    direction: Mapped[Direction] = mapped_column(String(16), default="outbound")
    carrier: Mapped[str] = mapped_column(String(16))
    # The carrier's own ID of the call (Twilio's CallSid), once the carrier has given one.
    carrier_call_id: Mapped[str | None] = mapped_column(String(64), default=None)
    from_number: Mapped[str] = mapped_column(String(20))
    to_number: Mapped[str] = mapped_column(String(20))
    status: Mapped[CallStatus] = mapped_column(String(16), default="initiated")
    language: Mapped[str] = mapped_column(String(16))
    # The assistant's texts with the call's variables filled in, fixed when the call is made.
    prompt: Mapped[str] = mapped_column(Text)
    first_message: Mapped[str] = mapped_column(Text, default="")
    dynamic_variables: Mapped[dict[str, Any]] = mapped_column(default=dict)
    webhook_url: Mapped[str | None] = mapped_column(String(2048), default=None)
    idempotency_key: Mapped[str | None] = mapped_column(String(255), default=None)
    request_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    # Set, and committed, before the carrier is asked to dial: a restart never dials twice.
    dial_started_at: Mapped[datetime | None] = mapped_column(default=None)
    # The process that answers for the live call (``workers.name``): the one dialing it,
    # then the one carrying its audio. If it dies, another process fails the call.
    owner: Mapped[str | None] = mapped_column(String(128), default=None)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    end_requested_at: Mapped[datetime | None] = mapped_column(default=None)
    duration_seconds: Mapped[int | None] = mapped_column(default=None)
    failure_reason: Mapped[str | None] = mapped_column(String(255), default=None)
    # Who ended a connected call: customer, agent, request, silence, max_duration, error,
    # voicemail (an answering machine took it).
    ended_by: Mapped[str | None] = mapped_column(String(16), default=None)
    disposition: Mapped[str | None] = mapped_column(String(64), default=None)
    summary: Mapped[str | None] = mapped_column(Text, default=None)
    # Per-call options of an outbound call (none: the assistant's and the server's).
    scheduled_at: Mapped[datetime | None] = mapped_column(default=None)  # not dialed before
    max_duration_seconds: Mapped[int | None] = mapped_column(default=None)
    idle_timeout_seconds: Mapped[int | None] = mapped_column(default=None)
    # Retries: a busy or unanswered call (the statuses in ``retry_on``, space-separated)
    # with retries left is placed again, as a new call, ``retry_delay_seconds`` later.
    retries_left: Mapped[int | None] = mapped_column(default=None)
    retry_delay_seconds: Mapped[int | None] = mapped_column(default=None)
    retry_on: Mapped[str | None] = mapped_column(String(32), default=None)
    attempt: Mapped[int | None] = mapped_column(default=None)  # 1 for the first, when retried
    retry_of: Mapped[str | None] = mapped_column(String(32), default=None)  # the attempt before
    retried_by: Mapped[str | None] = mapped_column(String(32), default=None)  # the one after
    # Sent with every event to ``webhook_url`` (never to the workspace's endpoints).
    webhook_headers: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    # Where the call came from: "phone" (a carrier's line) or "web" (the browser widget).
    source: Mapped[CallSource] = mapped_column(String(8), default="phone", server_default="phone")
    # Every tool the agent called, in order: name, arguments, result or error, duration.
    tool_calls: Mapped[list[dict[str, Any]]] = mapped_column(default=list, server_default="[]")
    # A call back the customer asked for: their words, the moment they were read as (moved
    # out of the quiet hours), and the call placed for it (when its assistant places them).
    callback_requested: Mapped[str | None] = mapped_column(String(200), default=None)
    callback_at: Mapped[datetime | None] = mapped_column(default=None)
    callback_call_id: Mapped[str | None] = mapped_column(String(32), default=None)
    callback_of: Mapped[str | None] = mapped_column(String(32), default=None)  # the call asking
    # The values its assistant's extraction found in the finished call, each valid.
    extracted: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")

    @hybrid_property
    def voicemail_detected(self) -> bool:
        """An answering machine took the call (and the agent ended it, as set to)."""
        return self.ended_by == "voicemail"

    @voicemail_detected.inplace.expression
    @classmethod
    def _voicemail_detected(cls) -> ColumnElement[bool]:
        return func.coalesce(cls.ended_by == "voicemail", false()).label("voicemail_detected")
