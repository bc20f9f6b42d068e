from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from ringline.assistants.catalog import DEFAULT_DISPOSITIONS, LANGUAGES, VOICES
from ringline.assistants.extraction import check_schema
from ringline.models.assistant import AssistantStatus
from ringline.tools.schemas import HttpTool, Tools


def _known_language(code: str) -> str:
    if code not in LANGUAGES:
        raise ValueError(f"unknown language '{code}'; use one of: {', '.join(LANGUAGES)}")
    return code


def _known_voice(name: str) -> str:
    if name not in VOICES:
        raise ValueError(
            f"unknown voice '{name}'; use one of: {', '.join(VOICES)} (GET /v1/voices)"
        )
    return name


def _unique(labels: list[str]) -> list[str]:
    if len(set(labels)) != len(labels):
        raise ValueError("labels must be unique")
    return labels


Name = Annotated[str, Field(min_length=1, max_length=100)]
Language = Annotated[
    str, AfterValidator(_known_language), Field(json_schema_extra={"enum": list(LANGUAGES)})
]
Prompt = Annotated[str, Field(min_length=1, max_length=20_000)]
VoiceName = Annotated[
    str, AfterValidator(_known_voice), Field(json_schema_extra={"enum": list(VOICES)})
]
FirstMessage = Annotated[str, Field(max_length=2_000)]
Label = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,49}$", description="snake_case")]
Dispositions = Annotated[
    list[Label],
    Field(min_length=1, max_length=20, json_schema_extra={"uniqueItems": True}),
    AfterValidator(_unique),
]
VariableName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
VariableDefaults = Annotated[
    dict[VariableName, Annotated[str, Field(max_length=1_000)]], Field(max_length=100)
]
MaxDuration = Annotated[int, Field(strict=True, ge=10, le=7_200)]


def _origin(value: str) -> str:
    """Exactly ``scheme://host[:port]``, lower-cased, as browsers send it in ``Origin``."""
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise ValueError(f"'{value}' is not an origin like https://example.com or http://host:8080")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"'{value}' has an invalid port") from None
    return f"{parts.scheme}://{parts.hostname}" + (f":{port}" if port is not None else "")


Origin = Annotated[str, Field(max_length=300), AfterValidator(_origin)]
AllowedOrigins = Annotated[
    list[Origin],
    Field(
        max_length=50,
        description="Sites (scheme://host[:port]) whose pages may open web calls to the "
        "assistant; empty: only ringline's own demo page",
    ),
]


class VoicemailSettings(BaseModel):
    """What the assistant's outbound calls do when an answering machine takes them."""

    model_config = ConfigDict(extra="forbid")

    detect: bool = Field(
        False, strict=True, description="Listen for a machine's greeting in the first seconds"
    )
    action: Literal["hang_up", "leave_message"] = Field(
        "hang_up", description="Hang up at once, or wait for the beep and leave ``message``"
    )
    message: str = Field(
        "", max_length=2_000, description="Said after the beep; may hold {{variables}}"
    )

    @model_validator(mode="after")
    def _message_to_leave(self) -> "VoicemailSettings":
        if self.detect and self.action == "leave_message" and not self.message.strip():
            raise ValueError("voicemail: leave_message needs a message to leave")
        return self


Fields = Annotated[
    dict[str, Any],
    Field(
        description="A JSON schema of the fields read from each finished call: "
        '{"type": "object", "properties": {name: {"type": "string" | "number" | "integer" | '
        '"boolean", "description", "enum", "pattern", "format": "date-time" | "date"}}}, '
        "at most 30 snake_case properties; {}: none",
    ),
]
Extraction = Annotated[Fields, AfterValidator(check_schema)]


class AssistantCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    prompt: Prompt
    language: Language = "en"
    voice: VoiceName = "female-1"
    first_message: FirstMessage = ""
    status: AssistantStatus = "active"
    variable_defaults: VariableDefaults = Field(
        default_factory=dict, description="Values for {{placeholders}} a call does not give"
    )
    dispositions: Dispositions = Field(
        default_factory=lambda: list(DEFAULT_DISPOSITIONS),
        description="Labels a finished call is classified into",
    )
    max_call_duration_seconds: MaxDuration = 600
    allowed_origins: AllowedOrigins = Field(default_factory=list)
    voicemail: VoicemailSettings = Field(default_factory=VoicemailSettings)
    tools: Tools = Field(
        default_factory=list, description="HTTP endpoints the agent may call during a call"
    )
    schedule_callbacks: bool = Field(
        False,
        strict=True,
        description="A customer asking to be called back at a time gets that call, placed "
        "for it outside the workspace's quiet hours",
    )
    extraction: Extraction = Field(default_factory=dict)


class AssistantUpdate(BaseModel):
    """Every field optional; only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    name: Name | SkipJsonSchema[None] = None
    prompt: Prompt | SkipJsonSchema[None] = None
    language: Language | SkipJsonSchema[None] = None
    voice: VoiceName | SkipJsonSchema[None] = None
    first_message: FirstMessage | SkipJsonSchema[None] = None
    status: AssistantStatus | SkipJsonSchema[None] = None
    variable_defaults: VariableDefaults | SkipJsonSchema[None] = None
    dispositions: Dispositions | SkipJsonSchema[None] = None
    max_call_duration_seconds: MaxDuration | SkipJsonSchema[None] = None
    allowed_origins: AllowedOrigins | SkipJsonSchema[None] = None
    voicemail: VoicemailSettings | SkipJsonSchema[None] = None
    tools: Tools | SkipJsonSchema[None] = None
    schedule_callbacks: Annotated[bool, Field(strict=True)] | SkipJsonSchema[None] = None
    extraction: Fields | SkipJsonSchema[None] = None

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be null; leave the field out to keep its value")
        return value

    @field_validator("extraction")
    @classmethod
    def _fillable(cls, value: dict[str, Any]) -> dict[str, Any]:
        # Checked after the union, not in it: one error naming the field, not one a branch.
        return check_schema(value)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class AssistantRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    language: str
    status: AssistantStatus
    prompt: str
    voice: str
    first_message: str
    variable_defaults: dict[str, str]
    dispositions: list[str]
    max_call_duration_seconds: int
    allowed_origins: list[str]
    voicemail: VoicemailSettings
    tools: list[HttpTool]
    schedule_callbacks: bool
    extraction: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class AssistantList(BaseModel):
    assistants: list[AssistantRead]


class VoiceRead(BaseModel):
    name: str
    gender: str
    description: str
    providers: dict[str, str] = Field(description="The voice this name uses with each TTS provider")


class VoiceList(BaseModel):
    voices: list[VoiceRead]
