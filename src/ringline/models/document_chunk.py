from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base
from ringline.ids import new_id


class DocumentChunk(Base):
    """A passage of a document with its embedding: float32 bytes, searched in memory (a
    plain column that SQLite and PostgreSQL both store, docs/architecture.md)."""

    __tablename__ = "document_chunks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("chk"))
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column()  # its order in the document
    text: Mapped[str] = mapped_column(Text)
    embedding: Mapped[bytes] = mapped_column(LargeBinary)
