import subprocess
import sys

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

import ringline.models  # noqa: F401  (every table on the metadata)
from ringline.db import Base, Database
from ringline.migrations import alembic_config
from tests.fixtures.database import create_postgres_database, drop_postgres_database
from tests.fixtures.server import ringline_env


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _differences(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


async def test_migrated_schema_matches_the_models(db: Database):
    async with db.engine.connect() as connection:
        differences = await connection.run_sync(_differences)

    assert differences == []


async def test_downgrade_to_empty_and_upgrade_again(db: Database):
    scratch = Database(db.url)
    try:
        async with scratch.engine.begin() as connection:
            await connection.run_sync(lambda c: command.downgrade(alembic_config(c), "base"))
            tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
            assert set(tables) <= {"alembic_version"}
            await connection.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert set(Base.metadata.tables) <= tables
    finally:
        await scratch.dispose()


async def test_migrations_keep_existing_rows_and_count_them(db: Database):
    scratch = Database(db.url)
    rows = {
        "workspaces": "INSERT INTO workspaces (id, name, plan, concurrent_call_limit, created_at) "
        "VALUES ('ws_m', 'migrated', 'standard', 10, CURRENT_TIMESTAMP)",
        "assistants": "INSERT INTO assistants (id, workspace_id, name, language, status, prompt, "
        "voice, first_message, variable_defaults, dispositions, max_call_duration_seconds, "
        "created_at, updated_at) VALUES ('asst_m', 'ws_m', 'a', 'en', 'active', 'p', 'male-1', "
        "'', '{}', '[]', 600, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        "calls": "INSERT INTO calls (id, workspace_id, assistant_id, direction, carrier, "
        "from_number, to_number, status, language, prompt, first_message, dynamic_variables, "
        "created_at) VALUES ('call_m', 'ws_m', 'asst_m', 'outbound', 'sandbox', '+918001234567', "
        "'+919876543210', 'completed', 'en', 'p', '', '{}', CURRENT_TIMESTAMP)",
    }

    def count(c, table):
        return c.execute(text(f"SELECT count(*) FROM {table}")).scalar()

    try:
        async with scratch.engine.begin() as connection:
            await connection.run_sync(lambda c: command.downgrade(alembic_config(c), "0004"))
            for statement in rows.values():
                await connection.execute(text(statement))
            await connection.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
            counted = (await connection.execute(text("SELECT call_count FROM workspaces"))).all()
            kept = await connection.run_sync(lambda c: [count(c, t) for t in rows])
            await connection.run_sync(lambda c: command.downgrade(alembic_config(c), "0004"))
            still = await connection.run_sync(lambda c: [count(c, t) for t in rows])
            await connection.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
            for table in reversed(list(rows)):
                await connection.execute(text(f"DELETE FROM {table}"))
    finally:
        await scratch.dispose()

    assert counted == [(1,)]
    assert kept == still == [1, 1, 1]


async def test_sip_trunks_migrate_with_the_numbers_on_accounts_kept(db: Database):
    """0012 rebuilds carrier_accounts on SQLite under the numbers that reference it."""
    scratch = Database(db.url)
    account = (
        "INSERT INTO carrier_accounts (id, workspace_id, carrier, name, api_base_url, "
        "credentials_encrypted, created_at) VALUES ('{id}', 'ws_t', '{carrier}', NULL, 'x', "
        "'e', CURRENT_TIMESTAMP)"
    )
    number = (
        "INSERT INTO phone_numbers (id, workspace_id, number, carrier, carrier_account_id, "
        "created_at) VALUES ('{id}', 'ws_t', '{number}', '{carrier}', '{account}', "
        "CURRENT_TIMESTAMP)"
    )

    async def rows(connection, query):
        return sorted(tuple(row) for row in (await connection.execute(text(query))).all())

    try:
        async with scratch.engine.begin() as connection:
            await connection.run_sync(lambda c: command.downgrade(alembic_config(c), "0010"))
            await connection.execute(
                text(
                    "INSERT INTO workspaces (id, name, plan, concurrent_call_limit, created_at) "
                    "VALUES ('ws_t', 't', 'standard', 10, CURRENT_TIMESTAMP)"
                )
            )
            await connection.execute(text(account.format(id="cacc_tw", carrier="twilio")))
            await connection.execute(
                text(number.format(id="num_tw", number="+1", carrier="twilio", account="cacc_tw"))
            )
            await connection.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
            await connection.execute(text(account.format(id="cacc_sip", carrier="sip")))
            await connection.execute(
                text(number.format(id="num_sip", number="+2", carrier="sip", account="cacc_sip"))
            )
            upgraded = await rows(connection, "SELECT id, carrier_account_id FROM phone_numbers")
            await connection.run_sync(lambda c: command.downgrade(alembic_config(c), "0010"))
            downgraded = await rows(connection, "SELECT id, carrier_account_id FROM phone_numbers")
            accounts = await rows(connection, "SELECT id FROM carrier_accounts")
            await connection.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
            for table in ("phone_numbers", "carrier_accounts", "workspaces"):
                await connection.execute(text(f"DELETE FROM {table}"))
    finally:
        await scratch.dispose()

    assert upgraded == [("num_sip", "cacc_sip"), ("num_tw", "cacc_tw")]
    assert downgraded == [("num_sip", None), ("num_tw", "cacc_tw")]
    assert accounts == [("cacc_tw",)]


async def test_processes_starting_together_migrate_one_after_another(tmp_path):
    """Several ``serve``/``worker`` processes of one deployment start at once on PostgreSQL
    (SQLite is the one-process embedded mode)."""
    url = await create_postgres_database()
    try:
        starting = [
            subprocess.Popen(
                [sys.executable, "-m", "ringline", "migrate"],
                env=ringline_env(tmp_path / str(n), RINGLINE_DATABASE_URL=url),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for n in range(4)
        ]
        outputs = [process.communicate(timeout=120)[0] for process in starting]
        database = Database(url)
        async with database.engine.connect() as connection:
            version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        await database.dispose()
    finally:
        await drop_postgres_database(url)

    assert [process.returncode for process in starting] == [0, 0, 0, 0], outputs
    assert version == head_revision()
