"""The fields an assistant asks a call's extraction for: a JSON schema of one flat object
whose properties are strings, numbers, integers or booleans, and the check of a value."""

import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

MAX_FIELDS = 30
MAX_LENGTH = 20_000  # characters of the schema as JSON: descriptions are short
TYPES = ("string", "number", "integer", "boolean")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")

# Formats checked whatever optional packages jsonschema finds: an unchecked date-time
# would let "tomorrow at five" through from a hosted model.
_FORMATS = FormatChecker(formats=())


def _date_time(value: object) -> bool:
    return not isinstance(value, str) or (
        "T" in value and datetime.fromisoformat(value).tzinfo is not None
    )


def _date(value: object) -> bool:
    return not isinstance(value, str) or bool(date.fromisoformat(value))


_FORMATS.checks("date-time", raises=ValueError)(_date_time)
_FORMATS.checks("date", raises=ValueError)(_date)


def properties(schema: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    found = schema.get("properties")
    return dict(found) if isinstance(found, Mapping) else {}


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


def accepts(spec: Mapping[str, Any], value: Any) -> bool:
    """Whether one field's schema takes ``value``, its format included."""
    return bool(Draft202012Validator(spec, format_checker=_FORMATS).is_valid(value))


def valid_values(values: Any, schema: Mapping[str, Any]) -> dict[str, Any]:
    """The values of ``values`` the schema's fields accept, each checked on its own: one
    wrong value never costs the others."""
    if not isinstance(values, Mapping):
        return {}
    fields = properties(schema)
    return {
        name: value
        for name, value in values.items()
        if name in fields and value is not None and accepts(fields[name], value)
    }
