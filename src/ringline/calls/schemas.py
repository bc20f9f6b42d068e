from datetime import datetime
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from ringline.models.call import CallSource, CallStatus, Direction
from ringline.models.call_turn import Speaker
from ringline.phone import E164

VariableValue = str | int | float | bool


class CallCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assistant_id: str
    to_number: E164
    from_number: E164 | None = Field(
        None, description="One of the workspace's numbers; default: the assistant's number"
    )
    dynamic_variables: Annotated[
        dict[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")], VariableValue],
        Field(max_length=100),
    ] = Field(default_factory=dict, description="Values for the {{placeholders}} of the assistant")
    webhook_url: AnyHttpUrl | None = Field(None, description="Also receives this call's events")


class CallCreated(BaseModel):
    call_id: str
    status: CallStatus
    to_number: str
    from_number: str
    assistant_id: str
    created_at: datetime


class CallStatusRead(BaseModel):
    call_id: str
    status: CallStatus
    duration_seconds: int | None
    disposition: str | None
    summary: str | None
    ended_at: datetime | None
    to_number: str
    from_number: str
    assistant_id: str
    direction: Direction
    created_at: datetime
    answered_at: datetime | None
    failure_reason: str | None
    ended_by: str | None = Field(
        description="Who ended a connected call: customer, agent, request, silence, "
        "max_duration, shutdown or error"
    )
    source: CallSource = Field(
        "phone", description="phone: a carrier's line; web: the browser widget"
    )


class CallEnded(CallStatusRead):
    already_ended: bool = Field(description="True when the call had ended before this request")


class TranscriptTurn(BaseModel):
    role: Speaker
    text: str
    start: float = Field(description="Seconds from the start of the call")
    end: float
    latency: dict[str, float] | None = Field(
        None,
        description="Agent replies: seconds from the customer's silence to the reply's first "
        "audio, in total and per stage",
    )


class Transcript(BaseModel):
    call_id: str
    transcript: list[TranscriptTurn]
    language: str
