"""The labelled calls of ``data/extraction.jsonl`` and the three assistants' fields they
were labelled for; ``python -m tests.outcomes.extraction_cases`` prints each miss."""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ringline.outcomes.extraction import extract
from ringline.outcomes.types import Utterance

DATA = Path(__file__).parent / "data" / "extraction.jsonl"
# Thursday 3 December 2026, 11:00 in India: every call of the set was made then.
CALLED_AT = datetime.fromisoformat("2026-12-03T11:00:00+05:30")

SCHEMAS: dict[str, dict[str, Any]] = {
    "insurance": {
        "type": "object",
        "properties": {
            "policy_number": {
                "type": "string",
                "description": "The customer's policy number",
                "pattern": "^PN[0-9]{6}$",
            },
            "callback_time": {
                "type": "string",
                "format": "date-time",
                "description": "When the customer asked to be called back",
            },
            "objection": {
                "type": "string",
                "enum": ["price", "timing", "already_insured", "not_interested"],
                "description": "Why the customer would not renew now",
            },
            "wants_renewal": {
                "type": "boolean",
                "description": "Whether the customer wants to renew the policy",
            },
        },
    },
    "orders": {
        "type": "object",
        "properties": {
            "order_id": {"type": "string", "description": "The order id the customer gives"},
            "delivery_date": {
                "type": "string",
                "format": "date",
                "description": "The day the customer wants the delivery",
            },
            "quantity": {
                "type": "integer",
                "minimum": 1,
                "description": "How many units the customer wants to order",
            },
            "satisfied": {
                "type": "boolean",
                "description": "Whether the customer is satisfied with the delivery",
            },
        },
    },
    "loan": {
        "type": "object",
        "properties": {
            "loan_amount": {
                "type": "number",
                "description": "The loan amount the customer asks for, in rupees",
            },
            "employment": {
                "type": "string",
                "enum": ["salaried", "self_employed", "student", "retired"],
            },
            "has_pan_card": {
                "type": "boolean",
                "description": "Whether the customer has a PAN card",
            },
            "callback_time": {
                "type": "string",
                "format": "date-time",
                "description": "When the customer asked to be called back",
            },
        },
    },
}


@dataclass(frozen=True)
class Case:
    id: str
    schema: dict[str, Any]
    turns: list[Utterance]
    expected: dict[str, Any]


@dataclass(frozen=True)
class Score:
    right: int  # fields given as labelled, or rightly left out
    fields: int
    invented: list[str]  # "case.field" given where the label has no value
    wrong: list[str]  # "case.field: got, wanted"

    @property
    def accuracy(self) -> float:
        return self.right / self.fields


def cases() -> list[Case]:
    found = []
    for line in DATA.read_text().splitlines():
        raw = json.loads(line)
        turns = [Utterance(role, text) for role, text in raw["turns"]]
        found.append(Case(raw["id"], SCHEMAS[raw["schema"]], turns, raw["expected"]))
    return found


def score(all_cases: list[Case]) -> Score:
    right, fields, invented, wrong = 0, 0, [], []
    for case in all_cases:
        got = extract(case.turns, case.schema, CALLED_AT)
        for name in case.schema["properties"]:
            fields += 1
            if got.get(name) == case.expected.get(name):
                right += 1
            elif name not in case.expected:
                invented.append(f"{case.id}.{name}: {got[name]!r}")
            else:
                wrong.append(f"{case.id}.{name}: {got.get(name)!r}, wanted {case.expected[name]!r}")
    return Score(right, fields, invented, wrong)


if __name__ == "__main__":
    result = score(cases())
    print(f"{result.right}/{result.fields} fields right ({result.accuracy:.1%})")
    print("invented:", *result.invented, sep="\n  ")
    print("wrong:", *result.wrong, sep="\n  ")
