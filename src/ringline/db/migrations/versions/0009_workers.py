"""workers: the processes that answer for live calls, and each call's owner

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


def downgrade() -> None:
    op.drop_column("calls", "owner")
    op.drop_table("workers")
