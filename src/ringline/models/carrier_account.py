from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt
from ringline.ids import new_id

CARRIER_KINDS = ("twilio", "plivo", "exotel", "sip")


class CarrierAccount(CreatedAt, Base):
    """A workspace's own account at a phone carrier: the numbers on it dial through it."""

    __tablename__ = "carrier_accounts"
    __table_args__ = (
        CheckConstraint(
            "carrier IN (" + ", ".join(f"'{k}'" for k in CARRIER_KINDS) + ")", name="carrier"
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("cacc"))
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    carrier: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(64), default=None)
    # The carrier's REST API: its public one unless a regional endpoint (or a test) needs
    # another; for a SIP trunk, its proxy as a SIP URI.
    api_base_url: Mapped[str] = mapped_column(String(2048))
    # A JSON object of the carrier's credential fields, encrypted with the server's secret
    # key (providers.crypto); never returned by the API.
    credentials_encrypted: Mapped[str] = mapped_column(Text)
