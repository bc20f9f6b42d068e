"""carrier accounts per workspace, the account each number is on, and the carrier's own
ID of each call

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _create_accounts() -> None:
    op.create_table(
        "carrier_accounts",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("carrier", sa.String(16), nullable=False),
        sa.Column("name", sa.String(64), nullable=True),
        sa.Column("api_base_url", sa.String(2048), nullable=False),
        sa.Column("credentials_encrypted", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "carrier IN ('twilio', 'plivo', 'exotel')", name="ck_carrier_accounts_carrier"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_carrier_accounts_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_carrier_accounts"),
    )
    op.create_index("ix_carrier_accounts_workspace_id", "carrier_accounts", ["workspace_id"])


def _add_number_account() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.add_column(
            "phone_numbers", sa.Column("carrier_account_id", sa.String(32), nullable=True)
        )
        op.create_foreign_key(
            "fk_phone_numbers_carrier_account_id_carrier_accounts",
            "phone_numbers",
            "carrier_accounts",
            ["carrier_account_id"],
            ["id"],
        )
    else:
        # SQLite adds a column-level foreign key in place (no ALTER ... ADD CONSTRAINT).
        op.execute(
            "ALTER TABLE phone_numbers ADD COLUMN carrier_account_id VARCHAR(32) CONSTRAINT "
            "fk_phone_numbers_carrier_account_id_carrier_accounts "
            "REFERENCES carrier_accounts (id)"
        )
    op.create_index("ix_phone_numbers_carrier_account_id", "phone_numbers", ["carrier_account_id"])


def upgrade() -> None:
    _create_accounts()
    # Plain ADD COLUMNs: batch mode would rebuild the tables (see 0006).
    _add_number_account()
    op.add_column("calls", sa.Column("carrier_call_id", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("calls", "carrier_call_id")
    op.drop_index("ix_phone_numbers_carrier_account_id", "phone_numbers")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(
            "fk_phone_numbers_carrier_account_id_carrier_accounts",
            "phone_numbers",
            type_="foreignkey",
        )
    op.drop_column("phone_numbers", "carrier_account_id")  # SQLite 3.35+ drops in place
    op.drop_index("ix_carrier_accounts_workspace_id", "carrier_accounts")
    op.drop_table("carrier_accounts")
