"""``ringline sandbox list|set|delete``: the simulated callees of the sandbox carrier."""

import json
from typing import Annotated, Any

import typer

from ringline.cli.client import (
    AsJson,
    connect,
    dump,
    print_json,
    remember_connection,
    show_fields,
    show_table,
)

app = typer.Typer(
    help="Bind numbers to simulated callees (behaviour and persona) for sandbox calls.",
    no_args_is_help=True,
    callback=remember_connection,
)

FIELDS = ("number", "behaviour", "persona", "created_at")


@app.command("list")
def list_callees(ctx: typer.Context, as_json: AsJson = False) -> None:
    """The numbers bound to a simulated callee (any other number gets the default one)."""
    with connect(ctx.obj) as client:
        listing = client.sandbox.list_callees()
    if as_json:
        dump(listing)
    else:
        show_table(listing.callees, FIELDS, wrap="persona")


@app.command("set")
def set_callee(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="E.164, e.g. +919876543210")],
    reply: Annotated[
        list[str] | None, typer.Option("--reply", help="What the callee says, in order (repeat)")
    ] = None,
    behaviour: Annotated[
        str | None, typer.Option(help='JSON, e.g. \'{"answer": "busy"}\' or \'{"rings": 3}\'')
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Bind NUMBER to a simulated callee, replacing any before."""
    fields: dict[str, Any] = {}
    if reply:
        fields["persona"] = {"replies": reply}
    if behaviour:
        fields["behaviour"] = _json_object(behaviour)
    with connect(ctx.obj) as client:
        callee = client.sandbox.set_callee(number, **fields)
    if as_json:
        dump(callee)
    else:
        show_fields(callee, FIELDS)


@app.command("delete")
def delete_callee(ctx: typer.Context, number: str, as_json: AsJson = False) -> None:
    """Forget NUMBER's callee: the default callee answers it again."""
    with connect(ctx.obj) as client:
        client.sandbox.delete_callee(number)
    if as_json:
        print_json({"number": number, "deleted": True})
    else:
        typer.echo(f"deleted the callee of {number}")


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(f"not JSON: {exc}", param_hint="--behaviour") from None
    if not isinstance(value, dict):
        raise typer.BadParameter("must be a JSON object", param_hint="--behaviour")
    return value
