"""SIP trunks as carrier accounts: the carrier check admits 'sip'

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

CONSTRAINT = "ck_carrier_accounts_carrier"


def _allow(kinds: tuple[str, ...]) -> None:
    condition = "carrier IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(CONSTRAINT, "carrier_accounts", type_="check")
        op.create_check_constraint(CONSTRAINT, "carrier_accounts", condition)
        return
    # SQLite changes a constraint by rebuilding the table (batch mode), and dropping the
    # old table fails while numbers reference it (foreign keys cannot be switched off in
    # a transaction; deferred, they still count the drop's orphans at commit). So the
    # numbers let go of their accounts for the rebuild, and take them back after it.
    op.execute(
        "CREATE TEMPORARY TABLE number_accounts AS SELECT id, carrier_account_id "
        "FROM phone_numbers WHERE carrier_account_id IS NOT NULL"
    )
    op.execute("UPDATE phone_numbers SET carrier_account_id = NULL")
    with op.batch_alter_table("carrier_accounts", recreate="always") as batch:
        batch.drop_constraint(CONSTRAINT, type_="check")
        batch.create_check_constraint(CONSTRAINT, sa.text(condition))
    op.execute(
        "UPDATE phone_numbers SET carrier_account_id = (SELECT carrier_account_id FROM "
        "number_accounts WHERE number_accounts.id = phone_numbers.id) "
        "WHERE id IN (SELECT id FROM number_accounts)"
    )
    op.execute("DROP TABLE number_accounts")


def upgrade() -> None:
    _allow(("twilio", "plivo", "exotel", "sip"))


def downgrade() -> None:
    # The trunks go; their numbers stay, on no account (as before 0010 linked them).
    op.execute(
        "UPDATE phone_numbers SET carrier_account_id = NULL WHERE carrier_account_id IN "
        "(SELECT id FROM carrier_accounts WHERE carrier = 'sip')"
    )
    op.execute("DELETE FROM carrier_accounts WHERE carrier = 'sip'")
    _allow(("twilio", "plivo", "exotel"))
