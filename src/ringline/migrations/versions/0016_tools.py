"""tools: the HTTP endpoints an assistant's calls may call, and what each call called

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("assistants", sa.Column("tools", JSON, server_default="[]", nullable=False))
    op.add_column("calls", sa.Column("tool_calls", JSON, server_default="[]", nullable=False))


def downgrade() -> None:
    op.drop_column("calls", "tool_calls")
    op.drop_column("assistants", "tools")
