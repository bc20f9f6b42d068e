from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ringline.webhooks.safety import check_syntax
from ringline.webhooks.signing import signing_key

EVENTS = (
    "call.initiated",
    "call.ringing",
    "call.answered",
    "call.completed",
    "call.failed",
    "call.transcript_ready",
    "campaign.started",
    "campaign.completed",
)


def _known_event(name: str) -> str:
    if name not in EVENTS:
        raise ValueError(f"unknown event '{name}'; use one of: {', '.join(EVENTS)}")
    return name


def _unique(names: list[str]) -> list[str]:
    if len(set(names)) != len(names):
        raise ValueError("events must be unique")
    return names


def _usable_secret(secret: str) -> str:
    signing_key(secret)
    return secret


Event = Annotated[
    str, AfterValidator(_known_event), Field(json_schema_extra={"enum": list(EVENTS)})
]
Url = Annotated[
    str,
    Field(max_length=2048, examples=["https://crm.example.com/webhooks/ringline"]),
    AfterValidator(check_syntax),
]
Secret = Annotated[
    str,
    Field(min_length=16, max_length=256, pattern=r"^\S+$"),
    AfterValidator(_usable_secret),
]


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url
    events: Annotated[
        list[Event],
        Field(min_length=1, json_schema_extra={"uniqueItems": True}),
        AfterValidator(_unique),
    ]
    secret: Secret | None = Field(
        None, description="Signing secret; one in Standard Webhooks form is made when left out"
    )


class WebhookRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    url: str
    events: list[str]
    status: str = Field(description="active, failing (recent attempts failed) or disabled (410)")
    created_at: datetime


class WebhookCreated(WebhookRead):
    secret: str = Field(description="The signing secret: shown only in this response")


class WebhookList(BaseModel):
    webhooks: list[WebhookRead]


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event: str
    message_id: str = Field(description="The webhook-id header: the same on every retry")
    attempted_at: datetime
    status_code: int | None = Field(description="null when no HTTP answer came")
    latency_ms: int
    error: str | None


class DeliveryList(BaseModel):
    deliveries: list[DeliveryRead]


class MessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event: str
    status: str = Field(description="pending, delivered or failed")
    attempts: int
    next_attempt_at: datetime
    created_at: datetime


class SigningSecretRead(BaseModel):
    secret: str = Field(description="Signs events sent to a URL given with a call")
