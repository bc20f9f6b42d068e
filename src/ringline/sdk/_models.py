"""Response models: the reference's shapes, forward-compatible.

Every model keeps fields it does not know (``extra="allow"``; read them as attributes or
through ``model_extra``), so a newer server never breaks an older SDK. Fields the
reference does not guarantee are optional.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, ClassVar, Generic, SupportsIndex, TypeVar, cast, overload

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Analytics",
    "ApiKey",
    "ApiKeyCreated",
    "ApiKeyList",
    "Assistant",
    "AssistantList",
    "CallHistory",
    "CallRecord",
    "CallStatus",
    "Campaign",
    "CampaignContact",
    "CampaignContactList",
    "CampaignLaunch",
    "CampaignList",
    "CampaignStatus",
    "CarrierAccount",
    "CarrierAccountList",
    "ContactWarning",
    "ContactsAdded",
    "Document",
    "DocumentList",
    "DocumentSearchHit",
    "DocumentSearchResults",
    "ItemList",
    "OutboundCall",
    "Page",
    "PhoneNumber",
    "PhoneNumberList",
    "PlanLimits",
    "RejectedContact",
    "RinglineModel",
    "Transcript",
    "TranscriptTurn",
    "Usage",
    "Voice",
    "VoiceList",
    "WebcallToken",
    "Webhook",
    "WebhookList",
    "Workspace",
]


class RinglineModel(BaseModel):
    model_config = ConfigDict(extra="allow")


ItemT = TypeVar("ItemT")


class ItemList(RinglineModel, Generic[ItemT]):
    """A list result that behaves like a list of its items: ``for``, ``len()``, ``[i]``.

    The items also stay under the reference's name (``.assistants`` of an
    ``AssistantList``). ``dict(result)`` no longer gives the fields: use ``model_dump()``.
    """

    # The field that holds the items, set by each subclass.
    items_field: ClassVar[str]

    def _items(self) -> list[ItemT]:
        return cast(list[ItemT], getattr(self, self.items_field))

    # BaseModel iterates over (field, value) pairs; a list result iterates over its items.
    def __iter__(self) -> Iterator[ItemT]:  # type: ignore[override]
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    @overload
    def __getitem__(self, index: SupportsIndex) -> ItemT: ...
    @overload
    def __getitem__(self, index: slice) -> list[ItemT]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> ItemT | list[ItemT]:
        return self._items()[index]


class Page(ItemList[ItemT]):
    """One page of a longer list: its items, the total and where the page starts."""

    total: int | None = None
    limit: int | None = None
    offset: int | None = None

    def next_offset(self, offset: int) -> int | None:
        """Where the page after this one (asked for at ``offset``) starts; None after the
        last one."""
        count = len(self)
        if count == 0:
            return None
        following = offset + count
        if self.total is not None:
            return following if following < self.total else None
        return following if self.limit is None or count >= self.limit else None


# Workspace


class PlanLimits(RinglineModel):
    concurrent_calls: int | None = None
    monthly_minutes: int | None = None


class Usage(RinglineModel):
    calls_this_month: int | None = None
    minutes_this_month: float | None = None
    concurrent_calls: int | None = None
    limits: PlanLimits | None = None


class Workspace(RinglineModel):
    id: str
    name: str | None = None
    plan: str | None = None
    usage: Usage | None = None
    created_at: datetime | None = None


class Provider(RinglineModel):
    stage: str
    protocol: str | None = None
    base_url: str | None = None
    model: str | None = None
    voice: str | None = None
    updated_at: datetime | None = None


class ProviderList(ItemList[Provider]):
    items_field = "providers"
    providers: list[Provider]


# Assistants and voices


class Assistant(RinglineModel):
    id: str
    name: str
    language: str | None = None
    status: str | None = None
    created_at: datetime | None = None
    prompt: str | None = None
    voice: str | None = None
    first_message: str | None = None
    variable_defaults: dict[str, str] | None = None
    dispositions: list[str] | None = None
    max_call_duration_seconds: int | None = None
    allowed_origins: list[str] | None = None
    updated_at: datetime | None = None


class AssistantList(ItemList[Assistant]):
    items_field = "assistants"
    assistants: list[Assistant]


class Voice(RinglineModel):
    name: str
    gender: str | None = None
    description: str | None = None
    providers: dict[str, str] | None = None


class VoiceList(ItemList[Voice]):
    items_field = "voices"
    voices: list[Voice]


# Numbers and keys


class CarrierAccount(RinglineModel):
    """A workspace's carrier account; its credentials are never sent back."""

    id: str
    carrier: str
    name: str | None = None
    api_base_url: str | None = None
    created_at: datetime | None = None


class CarrierAccountList(ItemList[CarrierAccount]):
    items_field = "carrier_accounts"
    carrier_accounts: list[CarrierAccount]


class PhoneNumber(RinglineModel):
    id: str
    number: str
    carrier: str | None = None
    carrier_account_id: str | None = None
    assistant_id: str | None = None
    created_at: datetime | None = None
    concurrent_call_limit: int | None = None


class PhoneNumberList(ItemList[PhoneNumber]):
    items_field = "numbers"
    numbers: list[PhoneNumber]


# Knowledge base


class Document(RinglineModel):
    id: str
    name: str
    format: str | None = None
    size_bytes: int | None = None
    chunk_count: int | None = None
    created_at: datetime | None = None


class DocumentList(ItemList[Document]):
    items_field = "documents"
    documents: list[Document]


class DocumentSearchHit(RinglineModel):
    document_id: str
    document_name: str | None = None
    text: str
    score: float | None = None


class DocumentSearchResults(ItemList[DocumentSearchHit]):
    items_field = "results"
    results: list[DocumentSearchHit]


class ApiKey(RinglineModel):
    id: str
    name: str | None = None
    scope: str | None = None
    prefix: str | None = None
    created_at: datetime | None = None
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


class ApiKeyCreated(ApiKey):
    key: str = Field(description="The secret: returned only when the key is created")


class ApiKeyList(ItemList[ApiKey]):
    items_field = "keys"
    keys: list[ApiKey]


# Calls


class OutboundCall(RinglineModel):
    call_id: str
    status: str
    to_number: str | None = None
    from_number: str | None = None
    assistant_id: str | None = None
    created_at: datetime | None = None


class CallStatus(RinglineModel):
    """``status`` is one of initiated, ringing, in-progress, completed, failed,
    no-answer, busy."""

    call_id: str
    status: str | None = None
    duration_seconds: float | None = None
    disposition: str | None = None
    summary: str | None = None
    ended_at: datetime | None = None
    source: str | None = None  # "phone" or "web"
    scheduled_at: datetime | None = None
    attempt: int | None = None  # with a retry: 1 for the first call, then 2...
    retry_of: str | None = None
    retried_by: str | None = None


class CallRecord(CallStatus):
    """A call in the history: its status and who called whom."""

    to_number: str | None = None
    from_number: str | None = None
    assistant_id: str | None = None
    campaign_id: str | None = None
    created_at: datetime | None = None


class CallHistory(Page[CallRecord]):
    items_field = "calls"
    calls: list[CallRecord]


class TranscriptTurn(RinglineModel):
    """``start`` and ``end`` are seconds from the start of the call."""

    role: str
    text: str
    start: float | None = None
    end: float | None = None


class Transcript(ItemList[TranscriptTurn]):
    """Iterates over its turns, like the other list results."""

    items_field = "transcript"
    call_id: str
    transcript: list[TranscriptTurn]
    language: str | None = None


class CallCounts(RinglineModel):
    total_calls: int | None = None
    completed: int | None = None
    failed: int | None = None
    no_answer: int | None = None
    avg_duration_seconds: float | None = None
    dispositions: dict[str, int] = Field(default_factory=dict)


class AnalyticsGroup(CallCounts):
    """The counts of one day, assistant or campaign (``key``)."""

    key: str


class Analytics(CallCounts):
    groups: list[AnalyticsGroup] | None = None  # with group_by


# Campaigns


class Campaign(RinglineModel):
    """``status`` is one of draft, scheduled, running, paused, completed, cancelled."""

    id: str | None = None
    campaign_id: str | None = None
    name: str | None = None
    assistant_id: str | None = None
    status: str | None = None
    created_at: datetime | None = None
    from_numbers: list[str] | None = None
    max_concurrent_calls: int | None = None
    retry: dict[str, Any] | None = None
    calling_window: dict[str, str] | None = None
    timezone: str | None = None
    schedule: dict[str, Any] | None = None
    total_contacts: int | None = None
    rejected_contacts: int | None = None
    launched_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None


class CampaignSettings(RinglineModel):
    campaigns_per_assistant: int | None = None
    quiet_hours: dict[str, Any] | None = None


class CampaignList(ItemList[Campaign]):
    items_field = "campaigns"
    campaigns: list[Campaign]


class RejectedContact(RinglineModel):
    """A contact the launch refused: its row in the list and why."""

    row: int | None = None
    phone: str | None = None
    reason: str | None = None


class ContactWarning(RinglineModel):
    """A key of the contacts beyond phone, name, email and custom_fields: kept as custom
    fields of the ``contacts`` that had it."""

    field: str
    contacts: int | None = None
    message: str | None = None


class ContactsAdded(RinglineModel):
    """Contacts added to a campaign: how many were accepted, each rejected row, and the
    keys kept as custom fields."""

    campaign_id: str
    accepted: int | None = None
    rejected: list[RejectedContact] = Field(default_factory=list)
    warnings: list[ContactWarning] = Field(default_factory=list)


class CampaignLaunch(ContactsAdded):
    status: str | None = None
    total_contacts: int | None = None
    first_call_at: datetime | None = None  # when the windows first let a call go out


class CampaignContact(RinglineModel):
    """``state`` is one of pending, dialing, retrying, completed, failed, no-answer, busy,
    skipped; ``outcome`` is the last call's status."""

    id: int
    phone: str
    row: int | None = None
    name: str | None = None
    email: str | None = None
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    state: str | None = None
    attempts: int | None = None
    outcome: str | None = None
    disposition: str | None = None
    last_call_id: str | None = None
    next_attempt_at: datetime | None = None


class CampaignContactList(Page[CampaignContact]):
    items_field = "contacts"
    contacts: list[CampaignContact]


class CampaignStatus(RinglineModel):
    campaign_id: str
    status: str | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    progress: float | None = None
    dispositions: dict[str, int] = Field(default_factory=dict)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    estimated_finish_at: datetime | None = None
    name: str | None = None
    total_contacts: int | None = None
    rejected_contacts: int | None = None
    next_window_at: datetime | None = None


# Webhooks and web calls


class Webhook(RinglineModel):
    id: str
    url: str
    events: list[str] = Field(default_factory=list)
    secret: str | None = None
    status: str | None = None
    created_at: datetime | None = None


class WebhookList(ItemList[Webhook]):
    items_field = "webhooks"
    webhooks: list[Webhook]


class Delivery(RinglineModel):
    """One attempt to deliver a message to an endpoint."""

    id: str
    event: str | None = None
    message_id: str | None = None
    attempted_at: datetime | None = None
    status_code: int | None = None
    latency_ms: int | None = None
    error: str | None = None


class DeliveryList(ItemList[Delivery]):
    items_field = "deliveries"
    deliveries: list[Delivery]


class WebhookMessage(RinglineModel):
    id: str
    event: str | None = None
    status: str | None = None
    attempts: int | None = None
    next_attempt_at: datetime | None = None
    created_at: datetime | None = None


class SigningSecret(RinglineModel):
    secret: str


# The sandbox carrier


class SandboxCallee(RinglineModel):
    id: str | None = None
    number: str
    behaviour: dict[str, Any] = Field(default_factory=dict)
    persona: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime | None = None


class SandboxCalleeList(ItemList[SandboxCallee]):
    items_field = "callees"
    callees: list[SandboxCallee]


class WebcallToken(RinglineModel):
    token: str
    expires_at: datetime | None = None
    assistant_id: str | None = None
