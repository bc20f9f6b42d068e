"""``ringline carriers list|connect|show|remove``: the workspace's carrier accounts."""

import json
from typing import Annotated

import typer

from ringline.cli.client import AsJson, connect, dump, remember_connection, show_fields, show_table
from ringline.sdk import CarrierAccount

app = typer.Typer(
    help="Connect the workspace's Twilio, Plivo or Exotel accounts (docs/telephony.md).",
    no_args_is_help=True,
    callback=remember_connection,
)

FIELDS = ("id", "carrier", "name", "api_base_url", "created_at")


def _show(account: CarrierAccount, as_json: bool) -> None:
    if as_json:
        dump(account)
    else:
        show_fields(account, FIELDS)


def _credentials(text: str) -> dict[str, str | int | bool]:
    try:
        fields = json.loads(text)
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(f"not JSON: {exc}") from None
    scalars = (str, int, bool)
    if not isinstance(fields, dict) or not all(isinstance(v, scalars) for v in fields.values()):
        raise typer.BadParameter(
            'a JSON object of strings, numbers or booleans, e.g. {"auth_token": "..."}'
        )
    return fields


@app.command("list")
def list_accounts(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List the workspace's carrier accounts (never their credentials)."""
    with connect(ctx.obj) as client:
        listing = client.carrier_accounts.list()
    if as_json:
        dump(listing)
    else:
        show_table(listing.carrier_accounts, FIELDS)


@app.command("connect")
def connect_account(
    ctx: typer.Context,
    carrier: Annotated[str, typer.Argument(help="twilio, plivo, exotel or sip")],
    credentials: Annotated[
        str,
        typer.Option(
            envvar="RINGLINE_CARRIER_CREDENTIALS",
            help='JSON, e.g. {"account_sid": "AC...", "auth_token": "..."} (from the '
            "environment keeps it out of the shell's history)",
        ),
    ],
    name: Annotated[str | None, typer.Option(help="A label, e.g. 'US lines'")] = None,
    api_base_url: Annotated[
        str | None, typer.Option(help="The carrier's API, where not its public one")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Connect a carrier account; numbers registered on it then call through it."""
    fields = _credentials(credentials)
    optional = {k: v for k, v in {"name": name, "api_base_url": api_base_url}.items() if v}
    with connect(ctx.obj) as client:
        _show(client.carrier_accounts.create(carrier, fields, **optional), as_json)


@app.command("show")
def show_account(ctx: typer.Context, account_id: str, as_json: AsJson = False) -> None:
    """Show one carrier account."""
    with connect(ctx.obj) as client:
        _show(client.carrier_accounts.get(account_id), as_json)


@app.command("remove")
def remove_account(ctx: typer.Context, account_id: str) -> None:
    """Disconnect an account that no number is on any more."""
    with connect(ctx.obj) as client:
        client.carrier_accounts.delete(account_id)
    typer.echo(f"{account_id}: disconnected")
