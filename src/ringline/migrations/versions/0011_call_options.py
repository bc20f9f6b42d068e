"""per-call options: a scheduled start, its own time limits, retries when busy or
unanswered, and headers for the call's own webhook

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

COLUMNS: list[tuple[str, sa.types.TypeEngine[Any]]] = [
    ("scheduled_at", sa.DateTime(timezone=True)),
    ("max_duration_seconds", sa.Integer()),
    ("idle_timeout_seconds", sa.Integer()),
    ("retries_left", sa.Integer()),
    ("retry_delay_seconds", sa.Integer()),
    ("retry_on", sa.String(32)),
    ("attempt", sa.Integer()),
    ("retry_of", sa.String(32)),
    ("retried_by", sa.String(32)),
    ("webhook_headers", JSON),
]


def upgrade() -> None:
    # Plain ADD COLUMNs, all nullable: batch mode would rebuild the table (see 0006).
    for name, type_ in COLUMNS:
        op.add_column("calls", sa.Column(name, type_, nullable=True))
    op.add_column("webhook_messages", sa.Column("headers", JSON, nullable=True))


def downgrade() -> None:
    op.drop_column("webhook_messages", "headers")
    for name, _ in reversed(COLUMNS):
        op.drop_column("calls", name)  # SQLite 3.35+ drops in place
