"""workers: the processes that answer for live calls, each call's owner, and an index
of the live calls (a partial index: a handful of rows among millions of ended calls)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
# As models/call.py writes it: queries must repeat the condition literally to use the index.
LIVE = sa.text("status IN ('initiated', 'ringing', 'in-progress')")


def upgrade() -> None:
    op.create_table(
        "workers",
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("host", sa.String(96), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", UTC_DATETIME, nullable=False),
        sa.Column("heartbeat_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_workers"),
    )
    # Plain add_column: batch mode would rebuild the calls table.
    op.add_column("calls", sa.Column("owner", sa.String(128), nullable=True))
    op.create_index(
        "ix_calls_live",
        "calls",
        ["workspace_id", "from_number"],
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index("ix_calls_live", table_name="calls")
    op.drop_column("calls", "owner")
    op.drop_table("workers")
