"""knowledge base: documents of a workspace, their embedded chunks, and the documents
each assistant answers from

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def _foreign(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete="CASCADE"
    )


def _documents() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        _foreign("workspace_id", "documents", "workspaces"),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.Index("ix_documents_workspace_id", "workspace_id"),
    )


def _chunks() -> None:
    op.create_table(
        "document_chunks",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=False),
        _foreign("document_id", "document_chunks", "documents"),
        sa.PrimaryKeyConstraint("id", name="pk_document_chunks"),
        sa.Index("ix_document_chunks_document_id", "document_id"),
    )


def _attachments() -> None:
    op.create_table(
        "assistant_documents",
        sa.Column("assistant_id", sa.String(32), nullable=False),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        _foreign("assistant_id", "assistant_documents", "assistants"),
        _foreign("document_id", "assistant_documents", "documents"),
        sa.PrimaryKeyConstraint("assistant_id", "document_id", name="pk_assistant_documents"),
        sa.Index("ix_assistant_documents_document_id", "document_id"),
    )


def upgrade() -> None:
    _documents()
    _chunks()
    _attachments()


def downgrade() -> None:
    op.drop_table("assistant_documents")
    op.drop_table("document_chunks")
    op.drop_table("documents")
