"""``ringline webhooks list|create|delete|deliveries|redeliver|call-url-secret``: where the
server sends call and campaign events, and how sending them went."""

from typing import Annotated

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
    help="List, create and delete webhooks; see and retry their deliveries.",
    no_args_is_help=True,
    callback=remember_connection,
)


@app.command("list")
def list_webhooks(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List the workspace's webhooks."""
    with connect(ctx.obj) as client:
        listing = client.webhooks.list()
    if as_json:
        dump(listing)
    else:
        show_table(listing.webhooks, ("id", "url", "events", "status", "created_at"), wrap="events")


@app.command("create")
def create_webhook(
    ctx: typer.Context,
    url: str,
    events: Annotated[
        list[str], typer.Option("--event", help="An event to send, e.g. call.completed (repeat)")
    ],
    secret: Annotated[str | None, typer.Option(help="Sign deliveries with this secret")] = None,
    as_json: AsJson = False,
) -> None:
    """Send the given events to URL."""
    with connect(ctx.obj) as client:
        webhook = client.webhooks.create(url, events, secret)
    if as_json:
        dump(webhook)
    else:
        show_fields(webhook, ("id", "url", "events", "secret", "status", "created_at"))


@app.command("delete")
def delete_webhook(ctx: typer.Context, webhook_id: str, as_json: AsJson = False) -> None:
    """Stop sending events to a webhook."""
    with connect(ctx.obj) as client:
        client.webhooks.delete(webhook_id)
    # The API answers 204 with no body: scripts get the id that is gone.
    if as_json:
        print_json({"id": webhook_id, "deleted": True})
    else:
        typer.echo(f"deleted {webhook_id}")


@app.command("deliveries")
def list_deliveries(
    ctx: typer.Context,
    webhook_id: str,
    limit: Annotated[int, typer.Option(help="How many attempts, newest first")] = 50,
    as_json: AsJson = False,
) -> None:
    """Each attempt to deliver to a webhook: when, the answer, latency and error."""
    with connect(ctx.obj) as client:
        listing = client.webhooks.deliveries(webhook_id, limit=limit)
    if as_json:
        dump(listing)
    else:
        columns = ("attempted_at", "event", "message_id", "status_code", "latency_ms", "error")
        show_table(listing.deliveries, columns, wrap="error")


@app.command("redeliver")
def redeliver(
    ctx: typer.Context, webhook_id: str, message_id: str, as_json: AsJson = False
) -> None:
    """Send a message (its webhook-id) to the webhook again now."""
    with connect(ctx.obj) as client:
        message = client.webhooks.redeliver(webhook_id, message_id)
    if as_json:
        dump(message)
    else:
        show_fields(message, ("id", "event", "status", "attempts", "next_attempt_at"))


@app.command("call-url-secret")
def call_url_secret(ctx: typer.Context, as_json: AsJson = False) -> None:
    """The secret that signs events sent to a call's own webhook_url."""
    with connect(ctx.obj) as client:
        secret = client.webhooks.call_url_secret()
    if as_json:
        dump(secret)
    else:
        typer.echo(secret.secret)
