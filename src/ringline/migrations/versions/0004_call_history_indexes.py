"""indexes for the call history and analytics of a workspace with millions of calls

Every history and analytics query filters on the workspace and a created_at window,
newest first with the id breaking ties. The first index holds the outcome columns too,
so an unfiltered page, its count and a month of analytics read the index alone; the
others lead with the column a history filter names, so a rare status or disposition is
found without walking the workspace's other calls. The older (workspace_id, created_at)
index is a prefix of the first and goes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_calls_workspace_history": (
        "workspace_id",
        "created_at",
        "id",
        "status",
        "disposition",
        "duration_seconds",
        "assistant_id",
    ),
    "ix_calls_workspace_status": ("workspace_id", "status", "created_at", "id"),
    "ix_calls_workspace_assistant": ("workspace_id", "assistant_id", "created_at", "id"),
    "ix_calls_workspace_disposition": ("workspace_id", "disposition", "created_at", "id"),
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "calls", list(columns))
    op.drop_index("ix_calls_workspace_created", table_name="calls")


def downgrade() -> None:
    op.create_index("ix_calls_workspace_created", "calls", ["workspace_id", "created_at"])
    for name in INDEXES:
        op.drop_index(name, table_name="calls")
