"""What a simulated callee says: a fixed script, or an LLM playing a person with a goal."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import httpx

__all__ = ["LLMPersona", "Persona", "ScriptedPersona"]


class Persona(Protocol):
    async def reply(self, heard: Sequence[str], said: Sequence[str]) -> str | None:
        """The next thing to say, given the agent's turns so far and the callee's
        earlier replies; ``None`` hangs up."""
        ...


@dataclass(frozen=True)
class ScriptedPersona:
    """Says ``replies`` one per agent turn, in order, then hangs up at the next turn."""

    replies: Sequence[str]

    async def reply(self, heard: Sequence[str], said: Sequence[str]) -> str | None:
        return self.replies[len(said)] if len(said) < len(self.replies) else None


_INSTRUCTIONS = (
    "You are a person who has just answered a phone call from an automated agent. "
    "Your goal on this call: {goal}\n"
    "Answer what the agent just said in one or two short spoken sentences, "
    "with no stage directions, lists or formatting."
)


@dataclass(frozen=True)
class LLMPersona:
    """Replies written by an OpenAI-compatible chat model pursuing ``goal``; hangs up
    after ``max_turns`` replies, or when the model answers with nothing."""

    goal: str
    base_url: str
    model: str
    api_key: str = field(default="", repr=False)
    max_turns: int = 6
    timeout_seconds: float = 30.0

    async def reply(self, heard: Sequence[str], said: Sequence[str]) -> str | None:
        if len(said) >= self.max_turns:
            return None
        request, headers = self._request(heard, said), self._headers()
        timeout = self.timeout_seconds
        async with httpx.AsyncClient(base_url=self.base_url, timeout=timeout) as client:
            response = await client.post("/chat/completions", json=request, headers=headers)
        response.raise_for_status()
        text = response.json()["choices"][0]["message"]["content"] or ""
        return text.strip() or None

    def _request(self, heard: Sequence[str], said: Sequence[str]) -> dict[str, object]:
        # The agent speaks as "user": from the callee's side, the model is the person talking back.
        messages = [{"role": "system", "content": _INSTRUCTIONS.format(goal=self.goal)}]
        for index, agent_text in enumerate(heard):
            messages.append({"role": "user", "content": agent_text})
            if index < len(said):
                messages.append({"role": "assistant", "content": said[index]})
        return {"model": self.model, "messages": messages}

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
