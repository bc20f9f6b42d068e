"""``ringline providers list|set|remove``: hosted services for the workspace's calls."""

from typing import Annotated

import typer

from ringline.cli.client import AsJson, connect, dump, remember_connection, show_fields, show_table

app = typer.Typer(
    help="Choose hosted LLM, speech-to-text and text-to-speech services for new calls.",
    no_args_is_help=True,
    callback=remember_connection,
)

FIELDS = ("stage", "protocol", "base_url", "model", "voice", "updated_at")
Stage = Annotated[str, typer.Argument(help="llm, stt or tts")]


@app.command("list")
def list_providers(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List the stages served by hosted services (the others use the bundled models)."""
    with connect(ctx.obj) as client:
        listing = client.providers.list()
    if as_json:
        dump(listing)
    else:
        show_table(listing.providers, FIELDS)


@app.command("set")
def set_provider(
    ctx: typer.Context,
    stage: Stage,
    base_url: Annotated[str, typer.Option(help="e.g. https://api.openai.com/v1")],
    model: Annotated[str, typer.Option(help="The provider's model name")],
    api_key: Annotated[str, typer.Option(envvar="RINGLINE_PROVIDER_API_KEY", help="Its key")],
    voice: Annotated[str | None, typer.Option(help="tts only: e.g. nova")] = None,
    as_json: AsJson = False,
) -> None:
    """Serve one stage of new calls with an OpenAI-compatible hosted service."""
    optional = {"voice": voice} if voice else {}
    with connect(ctx.obj) as client:
        provider = client.providers.set(stage, base_url, model, api_key, **optional)
    if as_json:
        dump(provider)
    else:
        show_fields(provider, FIELDS)


@app.command("remove")
def remove_provider(ctx: typer.Context, stage: Stage) -> None:
    """Go back to the bundled model for one stage."""
    with connect(ctx.obj) as client:
        client.providers.remove(stage)
    typer.echo(f"{stage}: back to the bundled model")
