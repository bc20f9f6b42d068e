from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ringline.campaigns.windows import parse_hhmm
from ringline.models.campaign import RETRY_OUTCOMES, CampaignStatus, RetryOutcome
from ringline.models.campaign_contact import ContactState
from ringline.phone import E164

# The counts of a status: stored states, ``dialing`` split by how far its call got.
COUNTED_STATES = (
    "pending",
    "scheduled",
    "dialing",
    "in-progress",
    "completed",
    "failed",
    "no-answer",
    "busy",
    "retrying",
    "skipped",
)
LocalTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:00"])]


def check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{value}' is not an IANA time zone like Asia/Kolkata") from None
    return value


class DailyWindow(BaseModel):
    """Local hours (in the campaign's time zone) in which calls may start each day."""

    model_config = ConfigDict(extra="forbid")

    start: LocalTime
    end: LocalTime

    @model_validator(mode="after")
    def _not_empty(self) -> "DailyWindow":
        if parse_hhmm(self.start) == parse_hhmm(self.end):
            raise ValueError("start and end must differ")
        return self


class RetryPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_attempts: int = Field(3, strict=True, ge=1, le=10, description="Calls per contact at most")
    gap_seconds: int = Field(
        3600, strict=True, ge=1, le=7 * 86400, description="Wait before a retry"
    )
    retry_on: list[RetryOutcome] = Field(
        default_factory=lambda: list(RETRY_OUTCOMES),
        description="Outcomes that are retried",
    )


class CampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    assistant_id: str = Field(max_length=64)
    from_number: E164 | None = Field(None, description="The caller ID; default: the assistant's")
    from_numbers: list[E164] | None = Field(
        None, min_length=1, max_length=100, description="A pool of caller IDs used in turn"
    )
    max_concurrent_calls: int = Field(5, strict=True, ge=1, le=1000)
    retry: RetryPolicy = Field(default_factory=RetryPolicy)
    calling_window: DailyWindow | None = Field(None, description="Daily local hours; none: all day")
    timezone: str = Field("Asia/Kolkata", max_length=64, description="IANA time zone")

    _timezone = field_validator("timezone")(check_timezone)

    @model_validator(mode="after")
    def _one_caller_id_field(self) -> "CampaignCreate":
        if self.from_number is not None and self.from_numbers is not None:
            raise ValueError("give from_number or from_numbers, not both")
        return self

    @property
    def numbers(self) -> list[str]:
        if self.from_numbers is not None:
            return list(dict.fromkeys(self.from_numbers))
        return [self.from_number] if self.from_number else []


class Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start_time: datetime | None = Field(None, description="ISO 8601; none: now")
    end_time: datetime | None = Field(None, description="ISO 8601; none: until every call is made")
    timezone: str | None = Field(None, max_length=64, description="IANA; default: the campaign's")

    _timezone = field_validator("timezone")(
        lambda value: None if value is None else check_timezone(value)
    )

    @field_validator("start_time", "end_time")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give a UTC offset, like 2026-02-07T09:00:00+05:30")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> "Schedule":
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValueError("end_time must be after start_time")
        return self


class CampaignLaunchBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    campaign_id: str = Field(max_length=64)
    contacts: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=200_000,
        description="phone, name, email, custom_fields (other keys are kept as custom "
        "fields and listed in warnings); bad rows are reported and skipped",
    )
    schedule: Schedule | None = None


class ContactsUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contacts: list[dict[str, Any]] = Field(max_length=200_000)


class RejectedContact(BaseModel):
    row: int = Field(description="1-based position in the list (CSV: data row after the header)")
    phone: str | None
    reason: str


class ContactWarning(BaseModel):
    """A key of the contacts that is not a contact field: kept as custom fields."""

    field: str = Field(description="The key, as sent")
    contacts: int = Field(description="How many stored contacts had it")
    message: str


class ContactsAdded(BaseModel):
    campaign_id: str
    accepted: int
    rejected: list[RejectedContact]
    warnings: list[ContactWarning] = Field(
        default_factory=list,
        description="Keys beyond phone, name, email and custom_fields, kept as custom fields",
    )


class CampaignLaunch(ContactsAdded):
    status: CampaignStatus
    total_contacts: int = Field(description="Contacts the campaign will call, in all")
    first_call_at: datetime | None = Field(
        None,
        description="When the first call goes out: now, or when the schedule, the daily "
        "window and quiet hours next allow; none if not within 8 days",
    )


class CampaignRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    assistant_id: str
    status: CampaignStatus
    from_numbers: list[str]
    max_concurrent_calls: int
    retry: RetryPolicy
    calling_window: DailyWindow | None
    timezone: str
    schedule: Schedule | None
    total_contacts: int
    rejected_contacts: int
    created_at: datetime
    launched_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None


class CampaignList(BaseModel):
    campaigns: list[CampaignRead]


class CampaignStatusRead(BaseModel):
    campaign_id: str
    name: str
    status: CampaignStatus
    counts: dict[str, int] = Field(description="Contacts per state, every state listed")
    total_contacts: int
    rejected_contacts: int
    progress: float = Field(description="Share of contacts with a final outcome, 0 to 1")
    dispositions: dict[str, int] = Field(description="Calls per disposition so far")
    started_at: datetime | None
    finished_at: datetime | None
    estimated_finish_at: datetime | None = Field(
        description="From the pace so far; none until a contact has finished"
    )
    next_window_at: datetime | None = Field(
        description="When dialing may resume, while the calling windows are closed"
    )


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    row: int
    phone: str
    name: str | None
    email: str | None
    custom_fields: dict[str, Any]
    state: ContactState
    attempts: int
    outcome: str | None = Field(description="The last call's status")
    disposition: str | None
    last_call_id: str | None
    next_attempt_at: datetime | None = Field(description="When a waiting contact is due")


class ContactList(BaseModel):
    contacts: list[ContactRead]
    total: int
    limit: int
    offset: int


class QuietHours(BaseModel):
    """Local hours (in each campaign's time zone) in which no campaign call starts."""

    model_config = ConfigDict(extra="forbid")

    start: LocalTime
    end: LocalTime


class CampaignSettings(BaseModel):
    campaigns_per_assistant: int = Field(description="Campaigns one assistant may run at once")
    quiet_hours: QuietHours | None = Field(description="None: campaigns may call at any hour")


class CampaignSettingsUpdate(BaseModel):
    """Only the fields sent change; ``quiet_hours: null`` turns quiet hours off."""

    model_config = ConfigDict(extra="forbid")

    campaigns_per_assistant: int | None = Field(None, strict=True, ge=1, le=100)
    quiet_hours: QuietHours | None = None
