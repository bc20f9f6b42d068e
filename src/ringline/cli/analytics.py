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
    given,
    served,
    show_fields,
    show_table,
)
from ringline.sdk import DEFAULT_BASE_URL, NOT_GIVEN

TOTALS = ("total_calls", "completed", "failed", "no_answer", "avg_duration_seconds")


def show_analytics(
    from_: Annotated[str | None, typer.Option("--from", help="First day, ISO 8601")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day, ISO 8601")] = None,
    assistant: Annotated[str | None, typer.Option(help="Only this assistant's calls")] = None,
    campaign: Annotated[str | None, typer.Option(help="Only this campaign's calls")] = None,
    source: Annotated[str | None, typer.Option(help="phone or web calls only")] = None,
    group_by: Annotated[
        str | None, typer.Option(help="Also per day, assistant or campaign")
    ] = None,
    as_json: AsJson = False,
    base_url: BaseUrl = DEFAULT_BASE_URL,
    api_key: ApiKey = None,
) -> None:
    """Show call analytics for the workspace."""
    filters = given(assistant_id=assistant, campaign_id=campaign, source=source, group_by=group_by)
    with connect(Connection(base_url, api_key)) as client, served("analytics"):
        analytics = client.analytics.get(from_ or NOT_GIVEN, to or NOT_GIVEN, **filters)
    if as_json:
        dump(analytics)
        return
    show_fields(analytics, TOTALS)
    if analytics.groups:
        show_table(analytics.groups, ("key", *TOTALS))
    if not analytics.dispositions:
        return
    dispositions = Table("disposition", "calls", title="dispositions", title_justify="left")
    for name, count in sorted(analytics.dispositions.items(), key=lambda item: -item[1]):
        dispositions.add_row(name, str(count))
    console().print(dispositions)
