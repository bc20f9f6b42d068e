"""``ringline keys create|list|revoke``: manage API keys straight in the database."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

import typer
from rich.box import SIMPLE_HEAD
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.auth import service
from ringline.auth.schemas import ApiKeyList, ApiKeyRead
from ringline.auth.scopes import Scope
from ringline.config import get_settings
from ringline.db import Database
from ringline.db.base import utcnow
from ringline.errors import ApiError
from ringline.migrations import migrate
from ringline.models import ApiKey
from ringline.workspaces.service import create_workspace, find_by_name

app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
T = TypeVar("T")


def _in_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one committed transaction on a migrated database."""
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    async def run() -> T:
        db = Database(settings.resolved_database_url)
        try:
            await migrate(db)
            async with db.session() as session:
                return await work(session)
        finally:
            await db.dispose()

    try:
        return asyncio.run(run())
    except ApiError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from exc


async def _workspace_id(session: AsyncSession, name: str, create: bool) -> str:
    workspace = await find_by_name(session, name)
    if workspace is None and not create:
        typer.echo(f"error: no workspace named '{name}'", err=True)
        raise typer.Exit(1)
    if workspace is None:
        workspace = await create_workspace(session, name)
        typer.echo(f"created workspace '{name}' ({workspace.id})", err=True)
    return workspace.id


def _day(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d}" if moment else ""


@app.command("create")
def create_key(
    workspace: str = typer.Option("default", help="Workspace name (created if missing)"),
    scope: Scope = typer.Option(Scope.write, help="What the key may do"),
    name: str = typer.Option("cli key", help="A label to recognise the key by"),
    expires_in_days: int = typer.Option(None, min=1, help="Expire after this many days"),
) -> None:
    """Create an API key and print its secret (shown only this once)."""
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None

    async def work(session: AsyncSession) -> str:
        workspace_id = await _workspace_id(session, workspace, create=True)
        _, secret = await service.create_key(
            session, workspace_id, name=name, scope=scope, expires_at=expires_at
        )
        return secret

    typer.echo(_in_session(work))


@app.command("list")
def list_keys(
    workspace: str = typer.Option("default", help="Workspace name"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts"),
) -> None:
    """List a workspace's keys (never their secrets)."""

    async def work(session: AsyncSession) -> list[ApiKey]:
        return await service.list_keys(session, await _workspace_id(session, workspace, False))

    keys = _in_session(work)
    if as_json:
        listing = ApiKeyList(keys=[ApiKeyRead.model_validate(key) for key in keys])
        typer.echo(listing.model_dump_json(indent=2))
        return
    table = Table("id", "scope", "prefix", "created", "expires", "revoked", "name", box=SIMPLE_HEAD)
    for column in table.columns[:-1]:
        column.no_wrap = True
    for key in keys:
        table.add_row(
            key.id,
            key.scope,
            key.prefix,
            _day(key.created_at),
            _day(key.expires_at) or "never",
            _day(key.revoked_at),
            key.name,
        )
    Console().print(table)


@app.command("revoke")
def revoke_key(
    key_id: str, workspace: str = typer.Option("default", help="Workspace name")
) -> None:
    """Revoke a key: requests with it are refused from now on."""

    async def work(session: AsyncSession) -> ApiKey:
        workspace_id = await _workspace_id(session, workspace, False)
        return await service.revoke_key(session, workspace_id, key_id)

    key = _in_session(work)
    typer.echo(f"revoked {key.id} ({key.name})")
