"""The fields an assistant asks a call's extraction for (a JSON schema of one flat object,
``assistants.extraction`` checks it), and the check of a value against its field."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

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
