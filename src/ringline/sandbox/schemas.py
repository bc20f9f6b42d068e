from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ringline.phone import E164


class Behaviour(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: Literal["answer", "no-answer", "busy", "fail"] = "answer"
    rings: int = Field(1, ge=0, le=10, description="Rings before answering")
    hangup_after_seconds: float | None = Field(None, gt=0, le=3600, description="Hang up mid-call")
    interrupt_after_seconds: float | None = Field(
        None, gt=0, le=60, description="Talk over the agent this long into its turn"
    )
    interrupt_turn: int = Field(1, ge=1, le=50)
    patience_seconds: float = Field(20, gt=0, le=300, description="Hang up after this much silence")


Reply = Annotated[str, Field(min_length=1, max_length=500)]


class Persona(BaseModel):
    """Scripted ``replies`` said in order, or a ``goal`` an LLM pursues."""

    model_config = ConfigDict(extra="forbid")

    replies: list[Reply] | None = Field(None, min_length=1, max_length=20)
    goal: str | None = Field(None, min_length=1, max_length=2000)
    max_turns: int = Field(6, ge=1, le=30)

    @model_validator(mode="after")
    def _one_kind(self) -> "Persona":
        if (self.replies is None) == (self.goal is None):
            raise ValueError("give either replies (a script) or goal (an LLM persona)")
        return self


class SandboxCalleeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: E164
    behaviour: Behaviour = Field(default_factory=Behaviour)
    persona: Persona = Field(default_factory=lambda: Persona(replies=list(DEFAULT_REPLIES)))


class SandboxCalleeRead(SandboxCalleeCreate):
    model_config = ConfigDict(from_attributes=True)

    id: str
    created_at: datetime


class SandboxCalleeList(BaseModel):
    callees: list[SandboxCalleeRead]


DEFAULT_REPLIES = ("Yes, this is me. Go ahead.", "Okay, thank you. Goodbye.")
