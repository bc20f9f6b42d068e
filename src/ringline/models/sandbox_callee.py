from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt
from ringline.ids import new_id


class SandboxCallee(CreatedAt, Base):
    """How the simulated person at one number behaves when the sandbox carrier calls it."""

    __tablename__ = "sandbox_callees"
    __table_args__ = (UniqueConstraint("workspace_id", "number", name="uq_sandbox_callees_number"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("sbx"))
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(20))
    behaviour: Mapped[dict[str, Any]] = mapped_column(default=dict)
    persona: Mapped[dict[str, Any]] = mapped_column(default=dict)
