"""``ringline numbers list|register|assign``: the workspace's phone numbers."""

from typing import Annotated

import typer

from ringline.cli.client import AsJson, connect, dump, remember_connection, show_fields, show_table
from ringline.sdk import NOT_GIVEN, PhoneNumber

app = typer.Typer(
    help="List, register and assign phone numbers.",
    no_args_is_help=True,
    callback=remember_connection,
)

FIELDS = ("id", "number", "carrier", "carrier_account_id", "assistant_id", "created_at")


def _show(number: PhoneNumber, as_json: bool) -> None:
    if as_json:
        dump(number)
    else:
        show_fields(number, FIELDS)


@app.command("list")
def list_numbers(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List the workspace's numbers and the assistants they belong to."""
    with connect(ctx.obj) as client:
        listing = client.numbers.list()
    if as_json:
        dump(listing)
    else:
        show_table(listing.numbers, FIELDS)


@app.command("register")
def register_number(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="E.164, e.g. +918001234567")],
    carrier: Annotated[str | None, typer.Option(help="The carrier that serves it")] = None,
    carrier_account: Annotated[
        str | None, typer.Option(help="The carrier account it is on (ringline carriers list)")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Register a number the workspace can call from."""
    with connect(ctx.obj) as client:
        registered = client.numbers.register(
            number,
            carrier=carrier or NOT_GIVEN,
            carrier_account_id=carrier_account or NOT_GIVEN,
        )
        _show(registered, as_json)


@app.command("assign")
def assign_number(
    ctx: typer.Context, number_id: str, assistant_id: str, as_json: AsJson = False
) -> None:
    """Make an assistant the one that calls from (and answers) a number."""
    with connect(ctx.obj) as client:
        _show(client.numbers.assign(number_id, assistant_id), as_json)
