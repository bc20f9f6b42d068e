"""The package structure, read from the code's own imports: no cycles, nothing upward.

Run ``python -m tests.test_layers`` to print each unit's imports and any cycle.
"""

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "ringline"

# Bottom to top (docs/architecture.md, "Layout"). A unit may import its own layer and
# the layers below. The telephony package holds the carrier protocol (low: voice-level)
# and the carriers themselves, which read their settings through domain services.
LAYERS: list[set[str]] = [
    {"config", "errors", "ids", "phone", "ratelimit", "db", "models", "__init__"},
    {"jobs", "state", "migrations", "operations", "voice", "telephony.protocol"},
    {"simulation", "outcomes"},
    {
        "auth",
        "workspaces",
        "assistants",
        "numbers",
        "knowledge",
        "tools",
        "calls",
        "campaigns",
        "callees",
        "carrier_accounts",
        "providers",
        "webhooks",
        "analytics",
        "bootstrap",
        "telephony.carriers",
    },
    {"runtime"},
    {"webcall", "dashboard", "apidocs", "api_examples", "app", "cli", "__main__"},
]
STANDALONE = {"sdk"}  # imports nothing of the server; the CLI may import it
PROTOCOL = {"carrier", "twilio_stream", "media_tokens", "__init__"}


def unit_of(module: str) -> str:
    """``ringline.telephony.carrier`` -> ``telephony.protocol``; else the top package."""
    parts = module.split(".")[1:] or ["__init__"]
    if parts[0] == "telephony":
        inner = parts[1] if len(parts) > 1 else "__init__"
        return "telephony.protocol" if inner in PROTOCOL else "telephony.carriers"
    return parts[0]


def module_of(path: Path) -> str:
    relative = path.relative_to(SRC.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> Iterator[str]:
    """The ringline modules ``path`` imports (``from ringline import x`` names ``x``)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("ringline."))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "ringline":  # a module of the package, or a name in it
                for alias in node.names:
                    is_module = (SRC / alias.name).is_dir() or (SRC / f"{alias.name}.py").exists()
                    yield f"ringline.{alias.name}" if is_module else "ringline"
            elif node.module.startswith("ringline."):
                yield node.module


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        source = unit_of(module_of(path))
        targets = {unit_of(module) for module in imports(path)} - {source}
        edges.setdefault(source, set()).update(targets)
    return edges


def layer(unit: str) -> int:
    for number, units in enumerate(LAYERS):
        if unit in units:
            return number
    raise LookupError(f"{unit} is in no layer: add it to LAYERS and to docs/architecture.md")


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of units that reach each other (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(unit: str) -> None:
        index[unit] = low[unit] = len(index)
        stack.append(unit)
        for target in edges.get(unit, ()):
            if target not in index:
                visit(target)
                low[unit] = min(low[unit], low[target])
            elif target in stack:
                low[unit] = min(low[unit], index[target])
        if low[unit] == index[unit]:
            group = []
            while not group or group[-1] != unit:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for unit in sorted(edges):
        if unit not in index:
            visit(unit)
    return found


def test_no_two_units_import_each_other() -> None:
    assert cycles(graph()) == []


@pytest.mark.parametrize("unit", sorted(set(graph()) - STANDALONE))
def test_imports_go_only_down(unit: str) -> None:
    upward = {
        target for target in graph()[unit] if target in STANDALONE or layer(target) > layer(unit)
    }
    if unit == "cli":
        upward -= STANDALONE
    assert upward == set(), f"{unit} (layer {layer(unit)}) imports from above: {upward}"


def test_the_sdk_and_the_voice_pipeline_stand_alone() -> None:
    edges = graph()
    assert edges["sdk"] <= {"__init__"}, "the SDK reads only the version of the package"
    assert edges["voice"] == set(), "voice/ is the pipeline only: no database, no domains"


def test_the_command_line_loads_no_voice_pipeline() -> None:
    """The client commands (and the domains under them) start without Pipecat's models."""
    probe = "import sys, ringline.cli; print(sorted({m.split('.')[0] for m in sys.modules}))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "pipecat" not in loaded and "torch" not in loaded


def test_a_cycle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


if __name__ == "__main__":
    for name, targets in sorted(graph().items()):
        print(f"{name:20} -> {', '.join(sorted(targets))}")
    print("cycles:", cycles(graph()))
