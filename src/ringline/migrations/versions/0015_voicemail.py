"""answering machines: what an assistant's outbound calls do when one answers

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # {} is no detection: the assistants made before it keep talking to whoever answers.
    op.add_column("assistants", sa.Column("voicemail", JSON, server_default="{}", nullable=False))


def downgrade() -> None:
    op.drop_column("assistants", "voicemail")
