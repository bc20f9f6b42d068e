"""calls, their transcript turns, and the sandbox carrier's simulated callees

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
STATUSES = ("initiated", "ringing", "in-progress", "completed", "failed", "no-answer", "busy")


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("assistant_id", sa.String(32), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("carrier", sa.String(16), nullable=False),
        sa.Column("from_number", sa.String(20), nullable=False),
        sa.Column("to_number", sa.String(20), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("first_message", sa.Text(), nullable=False),
        sa.Column("dynamic_variables", JSON, nullable=False),
        sa.Column("webhook_url", sa.String(2048), nullable=True),
        sa.Column("idempotency_key", sa.String(255), nullable=True),
        sa.Column("request_hash", sa.String(64), nullable=True),
        sa.Column("dial_started_at", UTC_DATETIME, nullable=True),
        sa.Column("answered_at", UTC_DATETIME, nullable=True),
        sa.Column("ended_at", UTC_DATETIME, nullable=True),
        sa.Column("end_requested_at", UTC_DATETIME, nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("failure_reason", sa.String(255), nullable=True),
        sa.Column("ended_by", sa.String(16), nullable=True),
        sa.Column("disposition", sa.String(64), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_calls"),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_calls_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assistant_id"], ["assistants.id"], name="fk_calls_assistant_id_assistants"
        ),
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")", name="ck_calls_status"
        ),
        sa.UniqueConstraint(
            "workspace_id", "idempotency_key", name="uq_calls_workspace_idempotency"
        ),
        sa.Index("ix_calls_workspace_created", "workspace_id", "created_at"),
        sa.Index("ix_calls_assistant_id", "assistant_id"),
    )
    op.create_table(
        "call_turns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("call_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_seconds", sa.Double(), nullable=False),
        sa.Column("end_seconds", sa.Double(), nullable=False),
        sa.Column("latency", JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_call_turns"),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name="fk_call_turns_call_id_calls", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("call_id", "seq", name="uq_call_turns_call_seq"),
    )

    op.create_table(
        "sandbox_callees",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("behaviour", JSON, nullable=False),
        sa.Column("persona", JSON, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sandbox_callees"),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_sandbox_callees_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("workspace_id", "number", name="uq_sandbox_callees_number"),
    )


def downgrade() -> None:
    op.drop_table("sandbox_callees")
    op.drop_table("call_turns")
    op.drop_table("calls")
