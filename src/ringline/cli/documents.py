"""``ringline documents add|list|get|delete|search|attach``: the knowledge base."""

from pathlib import Path
from typing import Annotated

import typer

from ringline.cli.client import AsJson, connect, dump, remember_connection, show_fields, show_table
from ringline.sdk import NOT_GIVEN, Document

app = typer.Typer(
    help="Add, list, delete and search the documents assistants answer from.",
    no_args_is_help=True,
    callback=remember_connection,
)

FIELDS = ("id", "name", "format", "size_bytes", "chunk_count", "created_at")


def _show(document: Document, as_json: bool) -> None:
    if as_json:
        dump(document)
    else:
        show_fields(document, FIELDS)


@app.command("add")
def add_document(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="A .txt, .md, .html or .pdf file", exists=True, dir_okay=False)
    ],
    name: Annotated[str | None, typer.Option(help="Its name (default: the file's)")] = None,
    as_json: AsJson = False,
) -> None:
    """Upload a document: its text is extracted, chunked and embedded."""
    with connect(ctx.obj) as client:
        document = client.documents.upload(path.read_bytes(), path.name, name=name or NOT_GIVEN)
        _show(document, as_json)


@app.command("list")
def list_documents(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List the workspace's documents."""
    with connect(ctx.obj) as client:
        listing = client.documents.list()
    if as_json:
        dump(listing)
    else:
        show_table(listing.documents, FIELDS)


@app.command("get")
def get_document(ctx: typer.Context, document_id: str, as_json: AsJson = False) -> None:
    """Show one document."""
    with connect(ctx.obj) as client:
        _show(client.documents.get(document_id), as_json)


@app.command("delete")
def delete_document(ctx: typer.Context, document_id: str) -> None:
    """Delete a document: assistants no longer answer from it."""
    with connect(ctx.obj) as client:
        client.documents.delete(document_id)
    typer.echo(f"deleted {document_id}")


@app.command("search")
def search_documents(
    ctx: typer.Context,
    query: str,
    assistant: Annotated[
        str | None, typer.Option(help="Only the documents attached to this assistant")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=50)] = 5,
    as_json: AsJson = False,
) -> None:
    """The passages closest to a question, best first."""
    with connect(ctx.obj) as client:
        found = client.documents.search(query, assistant_id=assistant or NOT_GIVEN, limit=limit)
    if as_json:
        dump(found)
    else:
        show_table(found.results, ("score", "document_name", "text"), wrap="text")


@app.command("attach")
def attach_documents(
    ctx: typer.Context,
    assistant_id: str,
    document_ids: Annotated[list[str] | None, typer.Argument(help="None: detach all")] = None,
    as_json: AsJson = False,
) -> None:
    """Set the documents an assistant answers from (replacing those before)."""
    with connect(ctx.obj) as client:
        attached = client.documents.attach(assistant_id, document_ids or [])
    if as_json:
        dump(attached)
    else:
        show_table(attached.documents, FIELDS)
