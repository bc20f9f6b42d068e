"""extraction: the fields an assistant extracts from its calls, and what each call gave

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # {} is no extraction: the assistants and calls made before it extract nothing.
    op.add_column("assistants", sa.Column("extraction", JSON, server_default="{}", nullable=False))
    op.add_column("calls", sa.Column("extracted", JSON, server_default="{}", nullable=False))


def downgrade() -> None:
    op.drop_column("calls", "extracted")
    op.drop_column("assistants", "extraction")
