"""Rendering pages from the package's Jinja2 templates (autoescaped HTML)."""

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ringline.dashboard.access import Operator

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
# No other site may frame a page (its buttons end calls), and no cache keeps its data.
PAGE_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
}


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "—"


def _seconds(value: float | int | None) -> str:
    if value is None:
        return "—"
    minutes, seconds = divmod(int(value), 60)
    return f"{minutes}:{seconds:02d}"


def _options(rows: list[Any]) -> list[tuple[str, str]]:
    """Rows with an ``id`` and a ``name`` as the (value, text) pairs of a select."""
    return [(row.id, row.name) for row in rows]


def _pairs(values: list[str]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


templates.env.filters["when"] = _when
templates.env.filters["pairs"] = _pairs
templates.env.filters["options"] = _options
templates.env.filters["clock"] = _seconds


def page(
    request: Request, name: str, who: Operator | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """The template ``name`` with the operator (for the menu and the forms' CSRF token)."""
    values = {"operator": who, "csrf": who.csrf_token if who else "", **context}
    response = templates.TemplateResponse(request, name, values, status_code=status_code)
    response.headers.update(PAGE_HEADERS)
    return response
