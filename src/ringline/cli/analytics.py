"""``ringline analytics``: call counts, durations and dispositions over a date range."""

from typing import Annotated

import typer
from rich.table import Table

from ringline.cli.client import (
    ApiKey,
    AsJson,
    BaseUrl,
    Connection,
    connect,
    console,
    dump,
    served,
    show_fields,
)
from ringline.sdk import DEFAULT_BASE_URL, NOT_GIVEN

TOTALS = ("total_calls", "completed", "failed", "no_answer", "avg_duration_seconds")


def show_analytics(
    from_: Annotated[str | None, typer.Option("--from", help="First day, ISO 8601")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day, ISO 8601")] = None,
    as_json: AsJson = False,
    base_url: BaseUrl = DEFAULT_BASE_URL,
    api_key: ApiKey = None,
) -> None:
    """Show call analytics for the workspace."""
    with connect(Connection(base_url, api_key)) as client, served("analytics"):
        analytics = client.analytics.get(from_ or NOT_GIVEN, to or NOT_GIVEN)
    if as_json:
        dump(analytics)
        return
    show_fields(analytics, TOTALS)
    if not analytics.dispositions:
        return
    dispositions = Table("disposition", "calls", title="dispositions", title_justify="left")
    for name, count in sorted(analytics.dispositions.items(), key=lambda item: -item[1]):
        dispositions.add_row(name, str(count))
    console().print(dispositions)
