"""webhooks: endpoints, the outbox of messages, delivery attempts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
SEQUENCE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _reference(table: str, column: str, target: str, nullable: bool = False) -> list[Any]:
    """A cascading foreign key with its index, named as ``db.base.NAMING_CONVENTION`` names it."""
    return [
        sa.Column(column, sa.String(32), nullable=nullable),
        sa.ForeignKeyConstraint(
            [column],
            [f"{target}.id"],
            name=f"fk_{table}_{column}_{target}",
            ondelete="CASCADE",
        ),
        sa.Index(f"ix_{table}_{column}", column),
    ]


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.String(32), nullable=False),
        *_reference("webhook_endpoints", "workspace_id", "workspaces"),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("events", JSON, nullable=False),
        sa.Column("secret", sa.String(256), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_endpoints"),
    )
    op.create_table(
        "webhook_messages",
        sa.Column("seq", SEQUENCE, autoincrement=True, nullable=False),
        sa.Column("id", sa.String(32), nullable=False),
        *_reference("webhook_messages", "workspace_id", "workspaces"),
        *_reference("webhook_messages", "endpoint_id", "webhook_endpoints", nullable=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("ordering_key", sa.String(128), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC_DATETIME, nullable=False),
        sa.Column("lease_expires_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_webhook_messages"),
        sa.UniqueConstraint("id", name="uq_webhook_messages_id"),
        sa.Index("ix_webhook_messages_ordering_key", "ordering_key"),
        sa.Index("ix_webhook_messages_due", "status", "next_attempt_at"),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.String(32), nullable=False),
        *_reference("webhook_deliveries", "workspace_id", "workspaces"),
        *_reference("webhook_deliveries", "endpoint_id", "webhook_endpoints", nullable=True),
        *_reference("webhook_deliveries", "message_id", "webhook_messages"),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("attempted_at", UTC_DATETIME, nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_deliveries"),
    )


def downgrade() -> None:
    for table in ("webhook_deliveries", "webhook_messages", "webhook_endpoints"):
        op.drop_table(table)
