"""First start: an empty database gets a workspace, a sandbox number and an admin key."""

from dataclasses import dataclass

from ringline.auth.scopes import Scope
from ringline.auth.service import create_key
from ringline.config import Settings
from ringline.db import Database
from ringline.numbers.service import register_number
from ringline.workspaces.service import any_workspace_exists, create_workspace

DEFAULT_WORKSPACE = "default"
# The reference's example caller ID, so its example requests work as written.
SANDBOX_NUMBER = "+918001234567"


@dataclass(frozen=True)
class Bootstrapped:
    workspace_id: str
    number: str
    api_key: str | None  # None when the operator gave it, so it is never echoed


async def bootstrap(db: Database, settings: Settings) -> Bootstrapped | None:
    """Seed an empty database; return what was made, or None if it was not empty."""
    async with db.session() as session:
        if await any_workspace_exists(session):
            return None
        workspace = await create_workspace(session, DEFAULT_WORKSPACE)
        await register_number(session, workspace.id, number=SANDBOX_NUMBER, carrier="sandbox")
        given = (
            settings.bootstrap_api_key.get_secret_value() if settings.bootstrap_api_key else None
        )
        _, secret = await create_key(
            session, workspace.id, name="bootstrap admin", scope=Scope.admin, secret=given
        )
        return Bootstrapped(workspace.id, SANDBOX_NUMBER, None if given else secret)


def announce(made: Bootstrapped) -> str:
    key = (
        f"admin API key, shown only now: {made.api_key}"
        if made.api_key
        else "admin API key: the one in RINGLINE_BOOTSTRAP_API_KEY"
    )
    return (
        f"ringline: created workspace '{DEFAULT_WORKSPACE}' ({made.workspace_id}) "
        f"with sandbox number {made.number}\nringline: {key}"
    )


def announce_restart(settings: Settings) -> str:
    """A start on a seeded database: the admin key was shown once, at first start."""
    # Never the URL itself: it may carry a password.
    where = "RINGLINE_DATABASE_URL" if settings.database_url else str(settings.data_dir)
    return (
        f"ringline: using the existing database in {where}; its admin key was printed at "
        "first start\nringline: for a new key: ringline keys create "
        "(see ringline keys create --help)"
    )
