"""a per-workspace call counter, kept by triggers

The unfiltered call history reports its total; counting a million index entries costs
40 ms, reading this counter well under one. Triggers keep it exact whatever inserts or
deletes calls, in the same transaction.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BACKFILL = (
    "UPDATE workspaces SET call_count = "
    "(SELECT count(*) FROM calls WHERE calls.workspace_id = workspaces.id)"
)

SQLITE_TRIGGERS = [
    """CREATE TRIGGER trg_calls_counted AFTER INSERT ON calls BEGIN
        UPDATE workspaces SET call_count = call_count + 1 WHERE id = NEW.workspace_id;
    END""",
    """CREATE TRIGGER trg_calls_uncounted AFTER DELETE ON calls BEGIN
        UPDATE workspaces SET call_count = call_count - 1 WHERE id = OLD.workspace_id;
    END""",
]

# Statement-level with transition tables: one UPDATE per statement and workspace. A row
# trigger would rewrite the workspace row once per call, and PostgreSQL slows down with
# every version of one row a long transaction piles up (a bulk insert of a million calls).
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION ringline_count_calls() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE workspaces SET call_count = call_count + counted.n
            FROM (SELECT workspace_id, count(*) AS n FROM changed GROUP BY workspace_id) counted
            WHERE workspaces.id = counted.workspace_id;
        ELSE
            UPDATE workspaces SET call_count = call_count - counted.n
            FROM (SELECT workspace_id, count(*) AS n FROM changed GROUP BY workspace_id) counted
            WHERE workspaces.id = counted.workspace_id;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER trg_calls_counted AFTER INSERT ON calls
        REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION ringline_count_calls()""",
    """CREATE TRIGGER trg_calls_uncounted AFTER DELETE ON calls
        REFERENCING OLD TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION ringline_count_calls()""",
]


def upgrade() -> None:
    # A plain ADD COLUMN: batch mode would rebuild the table on SQLite, and dropping the
    # old one would cascade-delete every row that references a workspace.
    op.add_column(
        "workspaces", sa.Column("call_count", sa.Integer(), server_default="0", nullable=False)
    )
    op.execute(BACKFILL)
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for trigger in ("trg_calls_counted", "trg_calls_uncounted"):
        op.execute(f"DROP TRIGGER {trigger} ON calls" if postgres else f"DROP TRIGGER {trigger}")
    if postgres:
        op.execute("DROP FUNCTION ringline_count_calls()")
    op.drop_column("workspaces", "call_count")  # SQLite 3.35+ drops a column in place
