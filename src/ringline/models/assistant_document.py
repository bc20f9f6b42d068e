from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ringline.db.base import Base, CreatedAt


class AssistantDocument(CreatedAt, Base):
    """A document an assistant answers from (both of one workspace)."""

    __tablename__ = "assistant_documents"

    assistant_id: Mapped[str] = mapped_column(
        ForeignKey("assistants.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )
