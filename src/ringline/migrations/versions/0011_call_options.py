"""per-call options: a scheduled start, its own time limits, and retries when busy or
unanswered

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

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
]


def upgrade() -> None:
    # Plain ADD COLUMNs, all nullable: batch mode would rebuild the table (see 0006).
    for name, type_ in COLUMNS:
        op.add_column("calls", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    for name, _ in reversed(COLUMNS):
        op.drop_column("calls", name)  # SQLite 3.35+ drops in place
