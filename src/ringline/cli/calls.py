"""``ringline call`` places a call; ``ringline calls ...`` looks at calls and ends them.

``ringline call --wait`` follows the call until it ends and exits 0 only when it was
completed (1 when it failed, was not answered or was busy), so a script can branch on it.
"""

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from ringline.cli.client import (
    ApiKey,
    AsJson,
    BaseUrl,
    Connection,
    connect,
    console,
    dump,
    given,
    print_json,
    remember_connection,
    served,
    show_fields,
    show_table,
)
from ringline.sdk import (
    DEFAULT_BASE_URL,
    APIConnectionError,
    APITimeoutError,
    CallHistory,
    CallStatus,
    InternalServerError,
    RateLimitError,
    Ringline,
    TranscriptTurn,
)

T = TypeVar("T")

app = typer.Typer(
    help="Look at calls: status, transcript, recording, history; end a live one.",
    no_args_is_help=True,
    callback=remember_connection,
)

ENDED = {"completed", "failed", "no-answer", "busy"}
# 30 status requests a minute: half the default limit of 60, leaving room for the rest.
POLL_SECONDS = 2.0
FAILURES_TOLERATED = 5  # failed polls in a row before --wait gives up
STATUS_FIELDS = (
    "call_id",
    "status",
    "to_number",
    "from_number",
    "assistant_id",
    "created_at",
    "answered_at",
    "ended_at",
    "duration_seconds",
    "disposition",
    "summary",
    "failure_reason",
    "ended_by",
)
OUTCOME_FIELDS = (
    "call_id",
    "status",
    "duration_seconds",
    "disposition",
    "summary",
    "failure_reason",
)
HISTORY_COLUMNS = (
    "call_id",
    "created_at",
    "to_number",
    "status",
    "duration_seconds",
    "disposition",
    "assistant_id",
)


def _variables(pairs: list[str]) -> dict[str, str]:
    """``--var name=value`` options as the call's dynamic variables."""
    variables = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise typer.BadParameter(f"'{pair}' is not name=value", param_hint="--var")
        variables[name] = value
    return variables


def _patiently(request: Callable[[], T], live: Console) -> T:
    """``request()``, waiting out a 429 as its ``Retry-After`` asks and retrying a failed
    request a few times, saying each time why it waits."""
    failures = 0
    while True:
        try:
            return request()
        except RateLimitError as exc:
            wait = POLL_SECONDS if exc.retry_after is None else exc.retry_after
            live.print(
                f"rate limited (429): waiting {wait:.0f} s, as the server's Retry-After asks"
            )
        except (APIConnectionError, APITimeoutError, InternalServerError) as exc:
            failures += 1
            if failures > FAILURES_TOLERATED:
                raise
            wait = POLL_SECONDS
            live.print(f"{exc}; trying again in {wait:.0f} s")
        time.sleep(wait)


def _follow(client: Ringline, call_id: str, first: str, live: Console) -> CallStatus:
    """Poll the call until it ends, printing each status it passes through."""
    shown = None
    with live.status(f"{call_id}: {first}") as spinner:
        while True:
            status = _patiently(lambda: client.calls.status(call_id), live)
            if status.status != shown:
                shown = status.status
                live.print(f"{datetime.now():%H:%M:%S}  {shown}")
                spinner.update(f"{call_id}: {shown}")
            if shown in ENDED:
                return status
            time.sleep(POLL_SECONDS)


def _show_transcript(client: Ringline, final: CallStatus, live: Console) -> None:
    """What both sides said; in words when nobody said anything on an answered call."""
    if final.status not in ("completed", "failed"):
        return  # never answered: nothing could be said
    transcript = _patiently(lambda: client.calls.transcript(final.call_id), live)
    _print_transcript(transcript.transcript, live)
    if not transcript.transcript and final.status == "completed":
        live.print("transcript: nothing was said on this call, by either side")


def _print_transcript(turns: list[TranscriptTurn], output: Console) -> None:
    for turn in turns:
        output.print(Text.assemble((f"{turn.role}: ", "bold"), turn.text))


def _wait_and_report(client: Ringline, call_id: str, first: str, as_json: bool) -> None:
    """Follow the call live, then show how it went; exit 1 unless it was completed."""
    # With --json, stdout carries only the final status; progress goes to stderr.
    live = console(stderr=as_json)
    try:
        final = _follow(client, call_id, first, live)
    except KeyboardInterrupt:
        typer.echo(f"\nstopped waiting; the call goes on: ringline calls end {call_id}", err=True)
        raise typer.Exit(130) from None
    if as_json:
        dump(final)
    else:
        _show_transcript(client, final, live)
        show_fields(final, OUTCOME_FIELDS, live)
    if final.status != "completed":
        raise typer.Exit(1)


def _caller_id(client: Ringline, assistant: str) -> dict[str, str]:
    """``from_number`` for a call placed without ``--from``: none when the assistant has a
    number (the server uses it), else the workspace's only number that can dial."""
    # Here, not at the top: the carriers import the voice pipeline, seconds to load.
    from ringline.telephony.registry import can_dial

    numbers = client.numbers.list().numbers
    if any(number.assistant_id == assistant for number in numbers):
        return {}
    dialing = [n.number for n in numbers if n.carrier and can_dial(n.carrier, n.number)]
    if len(dialing) == 1:
        return {"from_number": dialing[0]}
    if not dialing:
        raise typer.BadParameter(
            "the assistant has no number and the workspace has none that can dial: "
            "register one (ringline numbers register --help)",
            param_hint="--from",
        )
    choices = ", ".join(f"--from {number}" for number in dialing)
    raise typer.BadParameter(
        f"the assistant has no number assigned; give one of: {choices}", param_hint="--from"
    )


def place_call(
    assistant: Annotated[str, typer.Option(help="The assistant that talks")],
    to: Annotated[str, typer.Option(help="Who to call, E.164: +919876543210")],
    from_number: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="One of your numbers (default: the assistant's, else the only one)",
        ),
    ] = None,
    var: Annotated[
        list[str] | None, typer.Option(help="A prompt variable, name=value (repeat)")
    ] = None,
    webhook_url: Annotated[str | None, typer.Option(help="Also send this call's events here")] = (
        None
    ),
    wait: Annotated[bool, typer.Option(help="Follow the call live until it ends")] = False,
    as_json: AsJson = False,
    base_url: BaseUrl = DEFAULT_BASE_URL,
    api_key: ApiKey = None,
) -> None:
    """Place an outbound call."""
    options = given(from_number=from_number, webhook_url=webhook_url)
    variables = _variables(var or [])
    connection = Connection(base_url, api_key)
    with connect(connection) as client:
        if from_number is None:
            options |= _caller_id(client, assistant)
        call = client.calls.create_outbound(
            assistant_id=assistant, to_number=to, dynamic_variables=variables, **options
        )
        if wait:
            # Retries are left to --wait, which says why it waits instead of freezing.
            with connect(connection, max_retries=0) as poller:
                _wait_and_report(poller, call.call_id, call.status, as_json)
        elif as_json:
            dump(call)
        else:
            show_fields(call, ("call_id", "status", "to_number", "from_number", "assistant_id"))


@app.command("status")
def call_status(ctx: typer.Context, call_id: str, as_json: AsJson = False) -> None:
    """Show a call's status and, once it ended, its outcome."""
    with connect(ctx.obj) as client:
        status = client.calls.status(call_id)
    if as_json:
        dump(status)
    else:
        show_fields(status, STATUS_FIELDS)


@app.command("transcript")
def call_transcript(ctx: typer.Context, call_id: str, as_json: AsJson = False) -> None:
    """Print what the agent and the customer said so far."""
    with connect(ctx.obj) as client:
        transcript = client.calls.transcript(call_id)
    if as_json:
        dump(transcript)
    else:
        _print_transcript(transcript.transcript, console())


@app.command("end")
def end_call(ctx: typer.Context, call_id: str, as_json: AsJson = False) -> None:
    """Hang up a live call, or cancel one still ringing."""
    with connect(ctx.obj) as client:
        status = client.calls.end(call_id)
    if as_json:
        dump(status)
    else:
        show_fields(status, ("call_id", "status", "already_ended", "ended_at", "ended_by"))


@app.command("recording")
def download_recording(
    ctx: typer.Context,
    call_id: str,
    output: Annotated[Path, typer.Option(help="Where to save the WAV file", dir_okay=False)],
    as_json: AsJson = False,
) -> None:
    """Save a call's recording (customer left, agent right)."""
    with connect(ctx.obj) as client:
        audio = client.calls.recording(call_id)
    output.write_bytes(audio)
    # The API answers with audio, not JSON: scripts get where it went.
    if as_json:
        print_json({"call_id": call_id, "output": str(output), "bytes": len(audio)})
    else:
        typer.echo(f"saved {len(audio)} bytes to {output}")


@app.command("history")
def call_history(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Calls on the page")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Calls to skip")] = 0,
    from_: Annotated[str | None, typer.Option("--from", help="From this day, ISO 8601")] = None,
    to: Annotated[str | None, typer.Option(help="Up to this day, ISO 8601")] = None,
    status: Annotated[str | None, typer.Option(help="Only calls with this status")] = None,
    assistant: Annotated[str | None, typer.Option(help="Only this assistant's calls")] = None,
    disposition: Annotated[str | None, typer.Option(help="Only this disposition")] = None,
    campaign: Annotated[str | None, typer.Option(help="Only this campaign's calls")] = None,
    source: Annotated[str | None, typer.Option(help="phone or web calls only")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every page, not one")] = False,
    as_json: AsJson = False,
) -> None:
    """List past calls, newest first, one page or (--all) all of them."""
    filters = given(
        from_=from_,
        to=to,
        status=status,
        assistant_id=assistant,
        disposition=disposition,
        campaign_id=campaign,
        source=source,
    )
    with connect(ctx.obj) as client, served("call history"):
        if every:
            # Printed as one page that holds every call.
            calls = list(client.calls.iter_history(**filters))
            page = CallHistory(calls=calls, total=len(calls), offset=0)
        else:
            page = client.calls.history(limit=limit, offset=offset, **filters)
    if as_json:
        dump(page)
    else:
        show_table(page.calls, HISTORY_COLUMNS)
