from typing import Any, Literal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base

Speaker = Literal["agent", "customer"]


class CallTurn(Base):
    """One utterance of a call's transcript, in the order it was spoken."""

    __tablename__ = "call_turns"
    __table_args__ = (UniqueConstraint("call_id", "seq", name="uq_call_turns_call_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    seq: Mapped[int]
    role: Mapped[Speaker] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    start_seconds: Mapped[float]
    end_seconds: Mapped[float]
    # Agent replies: seconds from the customer's silence to first audio, per stage.
    latency: Mapped[dict[str, Any] | None] = mapped_column(default=None)
