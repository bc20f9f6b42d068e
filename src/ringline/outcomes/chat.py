"""Post-call analysis by any OpenAI-compatible chat-completions endpoint."""

import json
from collections.abc import Sequence
from typing import Any

import httpx

from ringline.outcomes.extraction import extract
from ringline.outcomes.fields import valid_values
from ringline.outcomes.summary import silent_call
from ringline.outcomes.types import CallAnalysis, Extraction, Utterance, fallback_label

_INSTRUCTIONS = (
    "You analyse a finished outbound phone call between an agent and a customer. "
    'Answer with a JSON object {{"summary": ..., "disposition": ...}}. "summary" is one or '
    "two sentences stating what the call was about and the customer's position, using only "
    'facts from the transcript. "disposition" is exactly one of: {labels}.'
)
_FIELDS = (
    ' Also give "fields": an object with a value for each of these fields (a JSON schema) '
    "that the call states, and no key for a field it does not state: never guess. "
    "Dates and times are ISO 8601 with the offset, resolved against the call's end, "
    "{now}. Fields: {schema}"
)


class AnalysisError(Exception):
    """The endpoint failed or answered with something that is not an analysis."""


class ChatAnalyzer:
    """Asks a hosted (or self-hosted) chat model for a JSON analysis and checks it."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.model = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client_args: dict[str, Any] = {
            "base_url": base_url.rstrip("/"),
            "headers": headers,
            "timeout": timeout,
            "transport": transport,
        }

    async def analyze(
        self,
        turns: Sequence[Utterance],
        labels: Sequence[str],
        extraction: Extraction | None = None,
    ) -> CallAnalysis:
        if not labels:
            raise ValueError("at least one disposition label is needed")
        silent = silent_call(turns, labels)
        if silent is not None:
            return silent  # nothing to ask a model about, and nothing to pay for
        content = await self._complete(self.request_body(turns, labels, extraction))
        return parse_answer(content, labels, extraction, turns)

    def request_body(
        self,
        turns: Sequence[Utterance],
        labels: Sequence[str],
        extraction: Extraction | None = None,
    ) -> dict[str, Any]:
        transcript = "\n".join(f"{t.role}: {t.text}" for t in turns)
        instructions = _INSTRUCTIONS.format(labels=", ".join(labels))
        if extraction is not None:
            schema = json.dumps(extraction.schema, separators=(",", ":"))
            instructions += _FIELDS.format(now=extraction.now.isoformat(), schema=schema)
        return {
            "model": self.model,
            "messages": [
                {"role": "system", "content": instructions},
                {"role": "user", "content": transcript},
            ],
            # json_object, not json_schema: every OpenAI-compatible server we target
            # (vLLM, Ollama, Groq, Together) accepts it; the label is checked below.
            "response_format": {"type": "json_object"},
            "temperature": 0,
        }

    async def _complete(self, body: dict[str, Any]) -> str:
        try:
            async with httpx.AsyncClient(**self._client_args) as client:
                response = await client.post("/chat/completions", json=body)
                response.raise_for_status()
                content = response.json()["choices"][0]["message"]["content"]
                if not isinstance(content, str):
                    raise TypeError("the model answered without text")
                return content
        except (httpx.HTTPError, ValueError, LookupError, TypeError) as error:
            raise AnalysisError(f"chat completion failed: {error}") from error


def parse_answer(
    content: str,
    labels: Sequence[str],
    extraction: Extraction | None = None,
    turns: Sequence[Utterance] = (),
) -> CallAnalysis:
    """The analysis in a model's JSON answer; an unknown label becomes the fallback, and
    a field value the schema does not accept is left out."""
    try:
        answer = json.loads(_strip_fence(content))
    except json.JSONDecodeError as error:
        raise AnalysisError(f"the model's answer is not JSON: {content[:200]!r}") from error
    summary = answer.get("summary") if isinstance(answer, dict) else None
    if not isinstance(summary, str) or not summary.strip():
        raise AnalysisError(f"the model's answer has no summary: {content[:200]!r}")
    disposition = answer.get("disposition")
    if disposition not in labels:
        disposition = fallback_label(labels)
    return CallAnalysis(summary.strip(), disposition, _extracted(answer, extraction, turns))


def _extracted(
    answer: dict[str, Any], extraction: Extraction | None, turns: Sequence[Utterance]
) -> dict[str, Any]:
    if extraction is None:
        return {}
    fields = answer.get("fields")
    if not isinstance(fields, dict):
        # A model that ignored the fields: the offline reading beats none.
        return extract(turns, extraction.schema, extraction.now)
    return valid_values(fields, extraction.schema)


def _strip_fence(content: str) -> str:
    # Some models wrap JSON in a Markdown code fence even when asked for a JSON object.
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[-1].rsplit("```", 1)[0]
    return text
