from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base

# Stored states; ``dialing`` covers a contact whose call exists and has not ended.
ContactState = Literal[
    "pending", "dialing", "retrying", "completed", "failed", "no-answer", "busy", "skipped"
]
CONTACT_STATES: tuple[ContactState, ...] = get_args(ContactState)
OPEN_STATES: tuple[ContactState, ...] = ("pending", "dialing", "retrying")


class CampaignContact(Base):
    """One person a campaign calls: their variables, state, attempts and outcome."""

    __tablename__ = "campaign_contacts"
    __table_args__ = (
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s}'" for s in CONTACT_STATES) + ")", name="state"
        ),
        # One contact per number in a campaign; also how a call finds its contact.
        UniqueConstraint("campaign_id", "phone", name="uq_campaign_contacts_phone"),
        Index("ix_campaign_contacts_state", "campaign_id", "state"),
        # The scheduler's one query: the next contacts due. due_at is set only while waiting.
        Index("ix_campaign_contacts_due", "campaign_id", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    row: Mapped[int]
    phone: Mapped[str] = mapped_column(String(20))
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[ContactState] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    last_call_id: Mapped[str | None] = mapped_column(String(32), default=None)
    # The last call's status and disposition.
    outcome: Mapped[str | None] = mapped_column(String(16), default=None)
    disposition: Mapped[str | None] = mapped_column(String(64), default=None)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)
