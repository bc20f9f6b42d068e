from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt
from ringline.ids import new_id


class PhoneNumber(CreatedAt, Base):
    """A number the workspace calls from (and answers on), reached through one carrier."""

    __tablename__ = "phone_numbers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("num"))
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    # Unique across workspaces: a carrier routes an incoming call by number alone.
    number: Mapped[str] = mapped_column(String(20), unique=True)
    carrier: Mapped[str] = mapped_column(String(16))
    # The workspace's account at that carrier (none for the sandbox): how its calls are placed.
    carrier_account_id: Mapped[str | None] = mapped_column(
        ForeignKey("carrier_accounts.id"), index=True, default=None
    )
    assistant_id: Mapped[str | None] = mapped_column(
        ForeignKey("assistants.id", ondelete="SET NULL"), index=True, default=None
    )
    # Calls this number may carry at once (a carrier's channels per number); None: no limit.
    concurrent_call_limit: Mapped[int | None] = mapped_column(default=None)
