"""Bar charts as plain geometry for the templates to draw as inline SVG (no script needed)."""

from dataclasses import dataclass

WIDTH = 600
HEIGHT = 160
ROW_LENGTH = 230  # of a 400-wide row chart: labels on the left, counts on the right


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


def columns(counts: list[tuple[str, int]]) -> list[Bar]:
    """Vertical bars side by side over ``WIDTH`` x ``HEIGHT``, scaled to the largest count."""
    if not counts:
        return []
    top = max(value for _, value in counts) or 1
    slot = WIDTH / len(counts)
    gap = min(slot * 0.2, 4)
    bars = []
    for index, (label, value) in enumerate(counts):
        height = HEIGHT * value / top
        bars.append(Bar(label, value, index * slot + gap / 2, HEIGHT - height, slot - gap, height))
    return bars


def rows(counts: list[tuple[str, int]]) -> list[Bar]:
    """Horizontal bars one under another, their lengths a share of ``ROW_LENGTH``."""
    top = max((value for _, value in counts), default=0) or 1
    return [
        Bar(label, value, 0, index * 28, ROW_LENGTH * value / top, 20)
        for index, (label, value) in enumerate(counts)
    ]
