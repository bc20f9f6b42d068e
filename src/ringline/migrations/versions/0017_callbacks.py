"""callbacks: a customer's "call me back tomorrow at 5" kept on the call, and the call
placed for it

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

COLUMNS: list[tuple[str, sa.types.TypeEngine[Any]]] = [
    ("callback_requested", sa.String(200)),  # the customer's words: "tomorrow at 5 pm"
    ("callback_at", sa.DateTime(timezone=True)),  # what they were read as
    ("callback_call_id", sa.String(32)),  # the call placed for it
    ("callback_of", sa.String(32)),  # on that call: the call that asked for it
]


def upgrade() -> None:
    # Off for the assistants made before it: none of them promised to place a new call.
    op.add_column(
        "assistants",
        sa.Column("schedule_callbacks", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    # Plain ADD COLUMNs, all nullable: batch mode would rebuild the table (see 0006).
    for name, type_ in COLUMNS:
        op.add_column("calls", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    for name, _ in reversed(COLUMNS):
        op.drop_column("calls", name)
    op.drop_column("assistants", "schedule_callbacks")
