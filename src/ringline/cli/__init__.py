"""The ``ringline`` command.

Server-side commands work on the server's own database: ``serve``, ``worker``,
``migrate``, ``keys``. Client commands talk to a running server through the SDK
(``--base-url``/``--api-key`` or ``RINGLINE_BASE_URL``/``RINGLINE_API_KEY``):
``assistants``, ``numbers``, ``carriers``, ``documents``, ``providers``, ``sandbox``,
``call``, ``calls``, ``campaigns``, ``analytics``, ``webhooks``. Exit codes: 0 ok, 1 API
error, 2 usage error.
"""

import typer

from ringline.cli import (  # _quiet first: it quiets Pipecat before the others load it
    _quiet,  # noqa: F401
    analytics,
    assistants,
    calls,
    campaigns,
    carriers,
    documents,
    keys,
    numbers,
    providers,
    sandbox,
    server,
    webhooks,
)

app = typer.Typer(help="ringline: self-hosted voice-AI calling platform", no_args_is_help=True)
app.command()(server.serve)
app.command()(server.worker)
app.command()(server.migrate)
app.add_typer(keys.app, name="keys")
app.add_typer(assistants.app, name="assistants")
app.add_typer(numbers.app, name="numbers")
app.add_typer(carriers.app, name="carriers")
app.add_typer(documents.app, name="documents")
app.add_typer(providers.app, name="providers")
app.add_typer(sandbox.app, name="sandbox")
app.command("call")(calls.place_call)
app.add_typer(calls.app, name="calls")
app.command("analytics")(analytics.show_analytics)
app.add_typer(campaigns.app, name="campaigns")
app.add_typer(webhooks.app, name="webhooks")


def main() -> None:
    app()
