"""``ringline assistants list|get|create|update``: the workspace's voice assistants."""

from typing import Annotated

import typer

from ringline.cli.client import (
    AsJson,
    connect,
    dump,
    given,
    remember_connection,
    show_fields,
    show_table,
)
from ringline.sdk import Assistant

app = typer.Typer(
    help="List, show, create and update assistants.",
    no_args_is_help=True,
    callback=remember_connection,
)

Language = Annotated[str | None, typer.Option(help="Language code, e.g. en or en-hi")]
Voice = Annotated[str | None, typer.Option(help="A voice name from the server's catalogue")]
FirstMessage = Annotated[str | None, typer.Option(help="What the assistant says first")]

FIELDS = (
    "id",
    "name",
    "status",
    "language",
    "voice",
    "first_message",
    "prompt",
    "created_at",
    "updated_at",
)


def _show(assistant: Assistant, as_json: bool) -> None:
    if as_json:
        dump(assistant)
    else:
        show_fields(assistant, FIELDS)


@app.command("list")
def list_assistants(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List the workspace's assistants."""
    with connect(ctx.obj) as client:
        listing = client.assistants.list()
    if as_json:
        dump(listing)
        return
    columns = ("id", "name", "language", "voice", "status", "created_at")
    show_table(listing.assistants, columns, wrap="name")


@app.command("get")
def get_assistant(ctx: typer.Context, assistant_id: str, as_json: AsJson = False) -> None:
    """Show one assistant, prompt included."""
    with connect(ctx.obj) as client:
        _show(client.assistants.get(assistant_id), as_json)


@app.command("create")
def create_assistant(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="A name to recognise it by")],
    prompt: Annotated[str, typer.Option(help="Its instructions; {{variables}} allowed")],
    language: Language = None,
    voice: Voice = None,
    first_message: FirstMessage = None,
    as_json: AsJson = False,
) -> None:
    """Create an assistant."""
    optional = given(language=language, voice=voice, first_message=first_message)
    with connect(ctx.obj) as client:
        _show(client.assistants.create(name=name, prompt=prompt, **optional), as_json)


@app.command("update")
def update_assistant(
    ctx: typer.Context,
    assistant_id: str,
    name: Annotated[str | None, typer.Option(help="A new name")] = None,
    prompt: Annotated[str | None, typer.Option(help="New instructions")] = None,
    language: Language = None,
    voice: Voice = None,
    first_message: FirstMessage = None,
    as_json: AsJson = False,
) -> None:
    """Change the options given; the others stay as they are."""
    changes = given(
        name=name, prompt=prompt, language=language, voice=voice, first_message=first_message
    )
    if not changes:
        raise typer.BadParameter("give at least one of the options to change")
    with connect(ctx.obj) as client:
        _show(client.assistants.update(assistant_id, **changes), as_json)
