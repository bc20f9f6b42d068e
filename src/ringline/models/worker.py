from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, utcnow


class Worker(Base):
    """A running ringline process that answers for calls; alive while it renews its heartbeat."""

    __tablename__ = "workers"

    # "<host>:<pid>", what ``calls.owner`` names.
    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    host: Mapped[str] = mapped_column(String(96))
    pid: Mapped[int] = mapped_column()
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
