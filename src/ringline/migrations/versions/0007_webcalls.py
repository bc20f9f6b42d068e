"""web calls: one-time widget tokens, where a call came from, and the sites an assistant
may be embedded in

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Plain ADD COLUMNs with server defaults: existing rows are phone calls, and
    # assistants embeddable only in ringline's own pages. No batch mode (see 0005).
    op.add_column(
        "calls", sa.Column("source", sa.String(8), server_default="phone", nullable=False)
    )
    op.add_column(
        "assistants", sa.Column("allowed_origins", JSON, server_default="[]", nullable=False)
    )
    op.create_table(
        "webcall_tokens",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("assistant_id", sa.String(32), nullable=False),
        sa.Column("visitor_info", JSON, nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.Column("used_at", UTC_DATETIME, nullable=True),
        sa.Column("call_id", sa.String(32), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webcall_tokens"),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_webcall_tokens_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assistant_id"],
            ["assistants.id"],
            name="fk_webcall_tokens_assistant_id_assistants",
            ondelete="CASCADE",
        ),
        sa.Index("ix_webcall_tokens_workspace_id", "workspace_id"),
    )


def downgrade() -> None:
    op.drop_table("webcall_tokens")
    op.drop_column("assistants", "allowed_origins")  # SQLite 3.35+ drops a column in place
    op.drop_column("calls", "source")
