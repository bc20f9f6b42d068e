"""An assistant's ``extraction``: a JSON schema of one flat object whose 1 to 30
snake_case properties are strings, numbers, integers or booleans, the fields the call
analysis reads (``outcomes.extraction``). Checked here, where an assistant is written,
so that a schema extraction cannot fill is a 400 and never stored."""

import json
import re
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

MAX_FIELDS = 30
MAX_LENGTH = 20_000  # characters of the schema as JSON: descriptions are short
TYPES = ("string", "number", "integer", "boolean")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


def check_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` if it is one extraction can fill, else a ValueError saying why."""
    if not schema:
        return schema  # no extraction
    if len(json.dumps(schema)) > MAX_LENGTH:
        raise ValueError(f"longer than {MAX_LENGTH} characters as JSON")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        path = "/".join(str(p) for p in error.path)
        raise ValueError(f"not a valid JSON schema at '{path}': {error.message}") from None
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        raise ValueError('needs "type": "object" and its "properties"')
    fields = schema["properties"]
    if not 1 <= len(fields) <= MAX_FIELDS:
        raise ValueError(f"needs 1 to {MAX_FIELDS} properties, not {len(fields)}")
    for name, spec in fields.items():
        _check_field(name, spec)
    if unknown := set(schema.get("required", [])) - fields.keys():
        raise ValueError(f"required names properties it does not have: {sorted(unknown)}")
    return schema


def _check_field(name: str, spec: Any) -> None:
    if not _NAME.match(name):
        raise ValueError(f"property '{name}' must be snake_case (a-z, 0-9, _), 50 at most")
    kind = spec.get("type") if isinstance(spec, dict) else None
    if kind not in TYPES:
        raise ValueError(f"property '{name}' needs a type: one of {', '.join(TYPES)}")
    for value in spec.get("enum", []):
        if not Draft202012Validator({"type": kind}).is_valid(value):
            raise ValueError(f"property '{name}': enum value {value!r} is not a {kind}")
