"""foundation: workspaces, API keys, assistants, phone numbers

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(32), nullable=False)


def _workspace_id(table: str) -> list[Any]:
    return [
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=f"fk_{table}_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.Index(f"ix_{table}_workspace_id", "workspace_id"),
    ]


def upgrade() -> None:
    op.create_table(
        "workspaces",
        _id(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("plan", sa.String(32), nullable=False),
        sa.Column("concurrent_call_limit", sa.Integer(), nullable=False),
        sa.Column("monthly_minute_limit", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workspaces"),
        sa.UniqueConstraint("name", name="uq_workspaces_name"),
    )
    op.create_table(
        "api_keys",
        _id(),
        *_workspace_id("api_keys"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=True),
        sa.Column("revoked_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("secret_hash", name="uq_api_keys_secret_hash"),
    )
    op.create_table(
        "assistants",
        _id(),
        *_workspace_id("assistants"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("voice", sa.String(64), nullable=False),
        sa.Column("first_message", sa.Text(), nullable=False),
        sa.Column("variable_defaults", JSON, nullable=False),
        sa.Column("dispositions", JSON, nullable=False),
        sa.Column("max_call_duration_seconds", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assistants"),
    )
    op.create_table(
        "phone_numbers",
        _id(),
        *_workspace_id("phone_numbers"),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("carrier", sa.String(16), nullable=False),
        sa.Column("assistant_id", sa.String(32), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["assistant_id"],
            ["assistants.id"],
            name="fk_phone_numbers_assistant_id_assistants",
            ondelete="SET NULL",
        ),
        sa.Index("ix_phone_numbers_assistant_id", "assistant_id"),
        sa.PrimaryKeyConstraint("id", name="pk_phone_numbers"),
        sa.UniqueConstraint("number", name="uq_phone_numbers_number"),
    )


def downgrade() -> None:
    for table in ("phone_numbers", "assistants", "api_keys", "workspaces"):
        op.drop_table(table)
