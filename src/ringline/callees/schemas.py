from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ringline.phone import E164
from ringline.simulation import VOICEMAIL_GREETING

# What the person at a number nobody configured says: "Hello?" on picking up, as people
# do, so that an agent waiting for the callee to speak first still gets a conversation.
DEFAULT_OPENING = "Hello?"
DEFAULT_REPLIES: tuple[str, ...] = ("Yes, this is me. Go ahead.", "Okay, thank you. Goodbye.")


class BehaviourSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: Literal["answer", "no-answer", "busy", "fail", "voicemail"] = Field(
        "answer", description="voicemail: an answering machine greets, beeps and records"
    )
    rings: int = Field(1, strict=True, ge=0, le=10, description="Rings before answering")
    hangup_after_seconds: float | None = Field(
        None, strict=True, gt=0, le=3600, description="Hang up mid-call"
    )
    interrupt_after_seconds: float | None = Field(
        None, strict=True, gt=0, le=60, description="Talk over the agent this long into its turn"
    )
    interrupt_turn: int = Field(1, strict=True, ge=1, le=50)
    patience_seconds: float = Field(
        20, strict=True, gt=0, le=300, description="Hang up after this much silence"
    )
    voicemail_greeting: str = Field(
        VOICEMAIL_GREETING,
        min_length=1,
        max_length=500,
        description="What the answering machine says (answer: voicemail)",
    )


Reply = Annotated[str, Field(min_length=1, max_length=500)]


class PersonaSettings(BaseModel):
    """Scripted ``replies`` said in order, or a ``goal`` an LLM pursues."""

    model_config = ConfigDict(extra="forbid")

    replies: list[Reply] | None = Field(None, min_length=1, max_length=20)
    goal: str | None = Field(None, min_length=1, max_length=2000)
    max_turns: int = Field(6, strict=True, ge=1, le=30)
    opening: Reply | None = Field(
        None, description="Said on picking up when the agent does not speak first"
    )

    @model_validator(mode="after")
    def _one_kind(self) -> "PersonaSettings":
        if (self.replies is None) == (self.goal is None):
            raise ValueError("give either replies (a script) or goal (an LLM persona)")
        return self


class SandboxCalleeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: E164
    behaviour: BehaviourSettings = Field(default_factory=BehaviourSettings)
    persona: PersonaSettings = Field(
        default_factory=lambda: PersonaSettings(
            replies=list(DEFAULT_REPLIES), opening=DEFAULT_OPENING
        )
    )


class SandboxCalleeRead(SandboxCalleeCreate):
    model_config = ConfigDict(from_attributes=True)

    id: str
    created_at: datetime


class SandboxCalleeList(BaseModel):
    callees: list[SandboxCalleeRead]
