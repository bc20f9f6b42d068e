"""``ringline campaigns ...``: create campaigns, launch them from a CSV or JSON file, watch
their progress, pause, resume or cancel them, and list their contacts.

``launch`` sends the file's contacts in chunks (a progress bar counts them), then starts
the campaign; rejected rows are listed with their row in the file. ``status --watch``
follows the campaign until it ends.
"""

import csv
import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ringline.cli.client import (
    AsJson,
    connect,
    console,
    dump,
    given,
    print_json,
    remember_connection,
    show_fields,
    show_table,
)
from ringline.sdk import Campaign, CampaignStatus, Ringline

app = typer.Typer(
    help="Contact lists called inside calling windows: create, launch, watch, control.",
    no_args_is_help=True,
    callback=remember_connection,
)

LIST_COLUMNS = ("id", "name", "status", "assistant_id", "total_contacts", "created_at")
FIELDS = (
    "id",
    "name",
    "status",
    "assistant_id",
    "from_numbers",
    "max_concurrent_calls",
    "retry",
    "calling_window",
    "timezone",
    "schedule",
    "total_contacts",
    "rejected_contacts",
    "created_at",
    "launched_at",
    "started_at",
    "finished_at",
)
STATUS_FIELDS = (
    "campaign_id",
    "name",
    "status",
    "total_contacts",
    "rejected_contacts",
    "started_at",
    "finished_at",
    "estimated_finish_at",
    "next_window_at",
)
CONTACT_COLUMNS = ("row", "phone", "name", "state", "attempts", "outcome", "disposition")
ENDED = {"completed", "cancelled"}
WATCH_SECONDS = 2.0
CHUNK = 5000
FIELDS_OF_A_CONTACT = ("phone", "name", "email")


@app.command("list")
def list_campaigns(ctx: typer.Context, as_json: AsJson = False) -> None:
    """The workspace's campaigns."""
    with connect(ctx.obj) as client:
        listed = client.campaigns.list()
    if as_json:
        dump(listed)
    else:
        show_table(listed.campaigns, LIST_COLUMNS, wrap="name")


def _window(value: str | None) -> dict[str, str] | None:
    if value is None:
        return None
    start, dash, end = value.partition("-")
    if not dash:
        raise typer.BadParameter(
            f"'{value}' is not START-END like 10:00-19:00", param_hint="--window"
        )
    return {"start": start.strip(), "end": end.strip()}


@app.command("create")
def create_campaign(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="A name people recognise")],
    assistant: Annotated[str, typer.Option(help="The assistant that talks")],
    from_number: Annotated[
        list[str] | None,
        typer.Option("--from", help="A caller ID (repeat for a pool; default: the assistant's)"),
    ] = None,
    max_concurrent: Annotated[int | None, typer.Option(help="Most calls at once")] = None,
    attempts: Annotated[int | None, typer.Option(help="Calls per contact at most")] = None,
    retry_gap: Annotated[int | None, typer.Option(help="Seconds before a retry")] = None,
    retry_on: Annotated[
        list[str] | None, typer.Option(help="An outcome to retry: no-answer, busy, failed")
    ] = None,
    window: Annotated[str | None, typer.Option(help="Daily local hours, like 10:00-19:00")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA time zone (Asia/Kolkata)")] = None,
    as_json: AsJson = False,
) -> None:
    """Create a draft campaign."""
    retry = given(max_attempts=attempts, gap_seconds=retry_gap, retry_on=retry_on)
    options = given(
        from_numbers=from_number or None,
        max_concurrent_calls=max_concurrent,
        retry=retry or None,
        calling_window=_window(window),
        timezone=timezone,
    )
    with connect(ctx.obj) as client:
        campaign = client.campaigns.create(name, assistant, **options)
    _show_campaign(campaign, as_json)


def _show_campaign(campaign: Campaign, as_json: bool) -> None:
    if as_json:
        dump(campaign)
    else:
        show_fields(campaign, FIELDS)


@app.command("get")
def get_campaign(ctx: typer.Context, campaign_id: str, as_json: AsJson = False) -> None:
    """One campaign's settings."""
    with connect(ctx.obj) as client:
        _show_campaign(client.campaigns.get(campaign_id), as_json)


def read_contacts(path: Path) -> list[dict[str, Any]]:
    """Contacts from a JSON list (or ``{"contacts": [...]}``) or a CSV file with a header
    row; CSV columns other than phone, name and email become custom fields."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc}", param_hint="FILE") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            raise typer.BadParameter(f"{path} is not JSON: {exc}", param_hint="FILE") from None
        contacts = data.get("contacts") if isinstance(data, dict) else data
        if not isinstance(contacts, list):
            raise typer.BadParameter("a JSON file holds a list of contacts", param_hint="FILE")
        return contacts
    rows = csv.DictReader(content.splitlines())
    contacts = []
    for row in rows:
        cells = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        contact: dict[str, Any] = {k: cells[k] for k in FIELDS_OF_A_CONTACT if cells.get(k)}
        custom = {k: v for k, v in cells.items() if k and v and k not in FIELDS_OF_A_CONTACT}
        if custom:
            contact["custom_fields"] = custom
        contacts.append(contact)
    return contacts


def _upload(client: Ringline, campaign_id: str, contacts: list[dict[str, Any]]) -> dict[str, Any]:
    """Send the contacts in chunks with a progress bar; rows renumbered to the file's."""
    accepted, rejected = 0, []
    columns = (TextColumn("contacts"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console(stderr=True), transient=True) as progress:
        task = progress.add_task("upload", total=len(contacts))
        for start in range(0, len(contacts), CHUNK):
            chunk = contacts[start : start + CHUNK]
            added = client.campaigns.add_contacts(campaign_id, chunk)
            accepted += added.accepted or 0
            for row in added.rejected:
                rejected.append(row.model_dump(mode="json") | {"row": (row.row or 0) + start})
            progress.advance(task, len(chunk))
    return {"accepted": accepted, "rejected": rejected}


@app.command("launch")
def launch_campaign(
    ctx: typer.Context,
    campaign_id: str,
    file: Annotated[Path, typer.Argument(help="Contacts: a .csv or .json file")],
    start: Annotated[str | None, typer.Option(help="ISO 8601 start (default: now)")] = None,
    end: Annotated[str | None, typer.Option(help="ISO 8601 end (default: none)")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA time zone of the schedule")] = None,
    as_json: AsJson = False,
) -> None:
    """Upload a file of contacts and start the campaign."""
    contacts = read_contacts(file)
    schedule = given(start_time=start, end_time=end, timezone=timezone)
    with connect(ctx.obj) as client:
        uploaded = _upload(client, campaign_id, contacts)
        launched = client.campaigns.launch(campaign_id, [], **given(schedule=schedule or None))
    result = launched.model_dump(mode="json") | uploaded
    if as_json:
        print_json(result)
        return
    out = console()
    out.print(
        f"{campaign_id}: {launched.status}; {uploaded['accepted']} contacts accepted, "
        f"{len(uploaded['rejected'])} rejected, {launched.total_contacts} to call"
    )
    if uploaded["rejected"]:
        table = Table("row", "phone", "reason")
        for row in uploaded["rejected"]:
            table.add_row(Text(str(row["row"])), Text(row["phone"] or ""), Text(row["reason"]))
        out.print(table)


def _show_status(status: CampaignStatus) -> None:
    out = console()
    show_fields(status, STATUS_FIELDS, out)
    out.print(f"progress  {status.progress or 0:.1%}")
    counts = Table("state", "contacts")
    for state, count in status.counts.items():
        counts.add_row(state, str(count))
    out.print(counts)
    if status.dispositions:
        labels = Table("disposition", "calls")
        for label, count in status.dispositions.items():
            labels.add_row(Text(label), str(count))
        out.print(labels)


def _watch(client: Ringline, campaign_id: str) -> CampaignStatus:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console(stderr=True)) as progress:
        task = progress.add_task(campaign_id, total=None)
        while True:
            status = client.campaigns.status(campaign_id)
            done = round((status.progress or 0) * (status.total_contacts or 0))
            progress.update(
                task,
                total=status.total_contacts,
                completed=done,
                description=f"{campaign_id} {status.status}",
            )
            if status.status in ENDED:
                return status
            time.sleep(WATCH_SECONDS)


@app.command("status")
def campaign_status(
    ctx: typer.Context,
    campaign_id: str,
    watch: Annotated[bool, typer.Option(help="Follow the campaign until it ends")] = False,
    as_json: AsJson = False,
) -> None:
    """Contacts per state, progress, dispositions and the estimated finish."""
    with connect(ctx.obj) as client:
        try:
            status = _watch(client, campaign_id) if watch else client.campaigns.status(campaign_id)
        except KeyboardInterrupt:
            typer.echo("\nstopped watching; the campaign goes on", err=True)
            raise typer.Exit(130) from None
    if as_json:
        dump(status)
    else:
        _show_status(status)


def _control(ctx: typer.Context, campaign_id: str, action: str, as_json: bool) -> None:
    with connect(ctx.obj) as client:
        campaign = getattr(client.campaigns, action)(campaign_id)
    if as_json:
        dump(campaign)
    else:
        console().print(f"{campaign.id}: {campaign.status}")


@app.command("pause")
def pause_campaign(ctx: typer.Context, campaign_id: str, as_json: AsJson = False) -> None:
    """Stop placing new calls; calls under way finish."""
    _control(ctx, campaign_id, "pause", as_json)


@app.command("resume")
def resume_campaign(ctx: typer.Context, campaign_id: str, as_json: AsJson = False) -> None:
    """Place calls again after a pause."""
    _control(ctx, campaign_id, "resume", as_json)


@app.command("cancel")
def cancel_campaign(ctx: typer.Context, campaign_id: str, as_json: AsJson = False) -> None:
    """End the campaign: contacts not called yet are skipped."""
    _control(ctx, campaign_id, "cancel", as_json)


@app.command("contacts")
def list_contacts(
    ctx: typer.Context,
    campaign_id: str,
    state: Annotated[str | None, typer.Option(help="Only contacts in this state")] = None,
    limit: Annotated[int, typer.Option(help="Contacts per page, at most 1000")] = 50,
    offset: Annotated[int, typer.Option(help="Contacts to skip")] = 0,
    as_json: AsJson = False,
) -> None:
    """A page of the campaign's contacts, with attempts and outcome."""
    with connect(ctx.obj) as client:
        page = client.campaigns.contacts(
            campaign_id, limit=limit, offset=offset, **given(state=state)
        )
    if as_json:
        dump(page)
    else:
        show_table(page.contacts, CONTACT_COLUMNS, wrap="name")
        console().print(f"{offset + len(page.contacts)} of {page.total}")


@app.command("settings")
def campaign_settings(
    ctx: typer.Context,
    per_assistant: Annotated[
        int | None,
        typer.Option("--campaigns-per-assistant", help="Campaigns one assistant may run at once"),
    ] = None,
    quiet_hours: Annotated[
        str | None,
        typer.Option(help='Local hours with no campaign calls, e.g. 21:00-09:00, or "off"'),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Show the workspace's campaign rules, or change them (admin key)."""
    changes = given(campaigns_per_assistant=per_assistant)
    if quiet_hours is not None:
        changes["quiet_hours"] = _quiet_hours(quiet_hours)
    with connect(ctx.obj) as client:
        rules = (
            client.campaigns.update_settings(**changes) if changes else client.campaigns.settings()
        )
    if as_json:
        dump(rules)
    else:
        show_fields(rules, ("campaigns_per_assistant", "quiet_hours"))


def _quiet_hours(text: str) -> dict[str, str] | None:
    if text == "off":
        return None
    start, dash, end = text.partition("-")
    if not dash:
        raise typer.BadParameter(
            "write START-END, e.g. 21:00-09:00, or off", param_hint="--quiet-hours"
        )
    return {"start": start.strip(), "end": end.strip()}
