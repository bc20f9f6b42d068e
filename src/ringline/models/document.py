from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt
from ringline.ids import new_id


class Document(CreatedAt, Base):
    """A workspace's reference text (a price list, a policy, an FAQ) that assistants answer
    from: kept as its extracted text, searched through its chunks."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("doc"))
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # What it was read as: text, markdown, html or pdf.
    format: Mapped[str] = mapped_column(String(16))
    size_bytes: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
    chunk_count: Mapped[int] = mapped_column()
