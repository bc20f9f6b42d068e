"""campaigns and their contacts, the campaign of each call, campaign settings per workspace

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
CAMPAIGN_STATUSES = ("draft", "scheduled", "running", "paused", "completed", "cancelled")
CONTACT_STATES = (
    "pending",
    "dialing",
    "retrying",
    "completed",
    "failed",
    "no-answer",
    "busy",
    "skipped",
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _create_campaigns() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("assistant_id", sa.String(32), nullable=False),
        sa.Column("from_numbers", JSON, nullable=False),
        sa.Column("max_concurrent_calls", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("retry_gap_seconds", sa.Integer(), nullable=False),
        sa.Column("retry_on", JSON, nullable=False),
        sa.Column("window_start", sa.String(5), nullable=True),
        sa.Column("window_end", sa.String(5), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("schedule_start", UTC_DATETIME, nullable=True),
        sa.Column("schedule_end", UTC_DATETIME, nullable=True),
        sa.Column("contact_count", sa.Integer(), nullable=False),
        sa.Column("rejected_count", sa.Integer(), nullable=False),
        sa.Column("launch_key", sa.String(255), nullable=True),
        sa.Column("launch_result", JSON, nullable=True),
        sa.Column("launched_at", UTC_DATETIME, nullable=True),
        sa.Column("started_at", UTC_DATETIME, nullable=True),
        sa.Column("finished_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_campaigns"),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_campaigns_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assistant_id"], ["assistants.id"], name="fk_campaigns_assistant_id_assistants"
        ),
        sa.CheckConstraint(_one_of("status", CAMPAIGN_STATUSES), name="ck_campaigns_status"),
        sa.Index("ix_campaigns_workspace_created", "workspace_id", "created_at"),
        sa.Index("ix_campaigns_status", "status"),
        sa.Index("ix_campaigns_assistant_id", "assistant_id"),
    )


def _create_contacts() -> None:
    op.create_table(
        "campaign_contacts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("campaign_id", sa.String(32), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("custom_fields", JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", UTC_DATETIME, nullable=True),
        sa.Column("last_call_id", sa.String(32), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("disposition", sa.String(64), nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_campaign_contacts"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name="fk_campaign_contacts_campaign_id_campaigns",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(_one_of("state", CONTACT_STATES), name="ck_campaign_contacts_state"),
        sa.UniqueConstraint("campaign_id", "phone", name="uq_campaign_contacts_phone"),
        sa.Index("ix_campaign_contacts_state", "campaign_id", "state"),
        sa.Index("ix_campaign_contacts_due", "campaign_id", "due_at"),
    )


def _add_call_campaign() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.add_column("calls", sa.Column("campaign_id", sa.String(32), nullable=True))
        op.create_foreign_key(
            "fk_calls_campaign_id_campaigns",
            "calls",
            "campaigns",
            ["campaign_id"],
            ["id"],
        )
    else:
        # SQLite adds a column-level foreign key in place (no ALTER ... ADD CONSTRAINT).
        op.execute(
            "ALTER TABLE calls ADD COLUMN campaign_id VARCHAR(32) CONSTRAINT "
            "fk_calls_campaign_id_campaigns "
            "REFERENCES campaigns (id)"
        )


def upgrade() -> None:
    _create_campaigns()
    _create_contacts()
    # Plain ADD COLUMNs: batch mode would rebuild the tables on SQLite, and dropping the old
    # workspaces or calls table would cascade-delete every row that references it.
    _add_call_campaign()
    op.create_index("ix_calls_campaign_id", "calls", ["campaign_id"])
    op.create_index(
        "ix_calls_workspace_campaign", "calls", ["workspace_id", "campaign_id", "created_at", "id"]
    )
    op.add_column(
        "workspaces",
        sa.Column("campaigns_per_assistant", sa.Integer(), server_default="1", nullable=False),
    )
    op.add_column(
        "workspaces",
        sa.Column("quiet_hours_start", sa.String(5), server_default="21:00", nullable=True),
    )
    op.add_column(
        "workspaces",
        sa.Column("quiet_hours_end", sa.String(5), server_default="09:00", nullable=True),
    )
    op.add_column("phone_numbers", sa.Column("concurrent_call_limit", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("phone_numbers", "concurrent_call_limit")
    for column in ("quiet_hours_end", "quiet_hours_start", "campaigns_per_assistant"):
        op.drop_column("workspaces", column)
    op.drop_index("ix_calls_workspace_campaign", "calls")
    op.drop_index("ix_calls_campaign_id", "calls")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_calls_campaign_id_campaigns", "calls", type_="foreignkey")
    op.drop_column("calls", "campaign_id")  # SQLite 3.35+ drops a column in place
    op.drop_table("campaign_contacts")
    op.drop_table("campaigns")
