"""What the client commands share: connecting through the SDK, output, exit codes.

Every client command talks to a ringline server through ``ringline.sdk`` (never to the
database), prints a Rich table or key/value view for people or, with ``--json``, the
JSON of the SDK's model, and exits with a code scripts can rely on:

    0   it worked
    1   the API refused or failed, or could not be reached (why goes to stderr)
    2   usage error: a bad option, or no API key
"""

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, NoReturn

import typer
from rich.box import SIMPLE_HEAD
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ringline.sdk import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    APIStatusError,
    NotFoundError,
    Ringline,
    RinglineError,
)
from ringline.sdk import RinglineModel as Model

BaseUrl = Annotated[
    str, typer.Option("--base-url", envvar="RINGLINE_BASE_URL", help="The API, with /v1")
]
ApiKey = Annotated[
    str | None, typer.Option("--api-key", envvar="RINGLINE_API_KEY", help="An API key (rl_...)")
]
PIPED_WIDTH = 500

AsJson = Annotated[bool, typer.Option("--json", help="Print the API's JSON for scripts")]


@dataclass(frozen=True)
class Connection:
    base_url: str
    api_key: str | None


def remember_connection(
    ctx: typer.Context, base_url: BaseUrl = DEFAULT_BASE_URL, api_key: ApiKey = None
) -> None:
    """Group callback: keep the connection options for the subcommand."""
    ctx.obj = Connection(base_url, api_key)


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _problems(details: Any) -> str:
    """The server's per-field explanations (``[{"field", "problem"}]``), one line each."""
    if not isinstance(details, list):
        return ""
    lines = [
        f"\n  {item['field']}: {item['problem']}"
        for item in details
        if isinstance(item, dict) and "field" in item and "problem" in item
    ]
    return "".join(lines)


@contextmanager
def connect(connection: Connection, max_retries: int | None = None) -> Iterator[Ringline]:
    """A client for the command's body; API errors become exit code 1.

    ``max_retries=0`` leaves retrying to the command, which can then say why it waits.
    """
    # Checked here rather than in the group callback, so --help works without a key.
    if not connection.api_key:
        raise typer.BadParameter(
            "missing; set RINGLINE_API_KEY or pass --api-key", param_hint="--api-key"
        )
    try:
        retries = DEFAULT_MAX_RETRIES if max_retries is None else max_retries
        with Ringline(
            api_key=connection.api_key, base_url=connection.base_url, max_retries=retries
        ) as client:
            yield client
    except APIStatusError as exc:
        # A message such as "check to_number" is only the headline: the details say what.
        fail(f"{exc.code or exc.status_code}: {exc.message}{_problems(exc.details)}")
    except RinglineError as exc:
        fail(str(exc))


@contextmanager
def served(feature: str) -> Iterator[None]:
    """A 404 on a route without ids means the server predates ``feature``: say so."""
    try:
        yield
    except NotFoundError as exc:
        fail(f"this server does not serve {feature} ({exc.code or 404}: {exc.message})")


def given(**options: Any) -> dict[str, Any]:
    """The options the user set, as keyword arguments: the SDK sends only what it is given."""
    return {name: value for name, value in options.items() if value is not None}


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def dump(model: Model) -> None:
    print_json(model.model_dump(mode="json"))


def console(stderr: bool = False) -> Console:
    """Rich's console; piped output keeps whole ids instead of being cut to 80 columns."""
    terminal = Console(stderr=stderr)
    return terminal if terminal.is_terminal else Console(stderr=stderr, width=PIPED_WIDTH)


def text(value: Any) -> str:
    """A cell: dates to the minute, nothing for None, lists joined."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def show_table(items: Iterable[Model], columns: Sequence[str], wrap: str = "") -> None:
    """One row per item; only the ``wrap`` column may wrap, so ids stay whole."""
    table = Table(*columns, box=SIMPLE_HEAD)
    for column in table.columns:
        column.no_wrap = column.header != wrap
    for item in items:
        # Text, not str: values are data, never Rich markup.
        table.add_row(*(Text(text(getattr(item, name, None))) for name in columns))
    console().print(table)


def show_fields(model: Model, names: Sequence[str], output: Console | None = None) -> None:
    """A key/value view of the ``names`` that have a value (fields the server added too)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for name in names:
        if (value := getattr(model, name, None)) is not None:
            grid.add_row(name, Text(text(value)))
    (output or console()).print(grid)
