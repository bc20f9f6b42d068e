"""``{{placeholders}}`` in an assistant's prompt and first message, filled per call."""

import re
from collections.abc import Mapping

from ringline.errors import BadRequest

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def placeholders(*texts: str) -> set[str]:
    return {name for text in texts for name in PLACEHOLDER.findall(text)}


def render(text: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def resolve(
    texts: list[str], given: Mapping[str, object], defaults: Mapping[str, str]
) -> dict[str, str]:
    """The value of every placeholder in ``texts``; 400 naming any that has none."""
    values = {name: str(value) for name, value in (dict(defaults) | dict(given)).items()}
    missing = sorted(placeholders(*texts) - values.keys())
    if missing:
        raise BadRequest(
            f"no value for the variables {', '.join(missing)}: "
            "pass them in dynamic_variables or give the assistant variable_defaults",
            {"field": "dynamic_variables", "missing": missing},
        )
    return values
