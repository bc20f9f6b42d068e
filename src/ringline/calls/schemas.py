from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AnyHttpUrl, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from ringline.models.call import CallSource, CallStatus, Direction
from ringline.models.call_turn import Speaker
from ringline.phone import E164
from ringline.webhooks.delivery import HeaderName, HeaderValue, is_own_header

VariableValue = str | int | float | bool


RetryStatus = Literal["busy", "no-answer"]


class CallRetry(BaseModel):
    """Place the call again when it ends in one of ``on``: each retry is a new call."""

    model_config = ConfigDict(extra="forbid")

    max_retries: int = Field(ge=1, le=5, description="Calls placed again at most")
    delay_seconds: int = Field(300, ge=1, le=86_400, description="From one end to the next dial")
    on: list[RetryStatus] = Field(default=["busy", "no-answer"], min_length=1, max_length=2)


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
    scheduled_at: AwareDatetime | None = Field(
        None, description="Dial at this time, not before (at most 30 days ahead)"
    )
    max_duration_seconds: int | None = Field(
        None, ge=10, le=7_200, description="This call's limit; default: the assistant's"
    )
    idle_timeout_seconds: int | None = Field(
        None, ge=5, le=600, description="Hang up after this much silence; default 30"
    )
    retry: CallRetry | None = Field(None, description="Call again when busy or unanswered")
    webhook_headers: Annotated[dict[HeaderName, HeaderValue], Field(max_length=10)] | None = Field(
        None, description="Sent with each event to webhook_url (an Authorization, say)"
    )

    @model_validator(mode="after")
    def _headers_need_their_url(self) -> "CallCreate":
        if self.webhook_headers is None:
            return self
        if self.webhook_url is None:
            raise ValueError("webhook_headers: needs a webhook_url to be sent to")
        for name in self.webhook_headers:
            if is_own_header(name):
                raise ValueError(f"webhook_headers: {name} is set by ringline itself")
        return self


class CallCreated(BaseModel):
    call_id: str
    status: CallStatus
    to_number: str
    from_number: str
    assistant_id: str
    created_at: datetime


class ToolCallRead(BaseModel):
    name: str
    arguments: dict[str, Any]
    result: Any = Field(None, description="The endpoint's JSON answer (null when it failed)")
    error: str | None = Field(None, description="Why the tool failed: told to the agent too")
    duration_ms: int


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
        "max_duration, shutdown, error or voicemail"
    )
    voicemail_detected: bool = Field(
        False, description="An answering machine took the call (the assistant's voicemail)"
    )
    tool_calls: list[ToolCallRead] = Field(
        default_factory=list, description="The assistant's HTTP tools the agent called, in order"
    )
    callback_requested: str | None = Field(
        None,
        description='The customer asked to be called back: when, in their words ("tomorrow at 5")',
    )
    callback_at: datetime | None = Field(
        None, description="When the call back is placed (outside the workspace's quiet hours)"
    )
    callback_call_id: str | None = Field(None, description="The call placed for the call back")
    callback_of: str | None = Field(None, description="The call whose customer asked for this one")
    extracted: dict[str, Any] = Field(
        default_factory=dict,
        description="The values of the assistant's extraction fields the finished call gave",
    )
    source: CallSource = Field(
        "phone", description="phone: a carrier's line; web: the browser widget"
    )
    scheduled_at: datetime | None = None
    attempt: int | None = Field(None, description="With a retry: 1 for the first call, then 2...")
    retry_of: str | None = Field(None, description="The call this one retries")
    retried_by: str | None = Field(None, description="The call placed to retry this one")


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
