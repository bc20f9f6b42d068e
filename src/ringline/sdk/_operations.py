"""Every API operation, described once for both clients.

A builder turns a method's arguments into an ``Operation``: the HTTP method, the path
under the base URL, the query, the JSON body, extra headers and how to read the answer.
``Ringline`` sends it with blocking I/O, ``AsyncRingline`` with ``await``; neither knows
anything about a particular route.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx

from ringline.sdk import _models as m
from ringline.sdk._retries import IDEMPOTENCY_HEADER
from ringline.sdk._types import NOT_GIVEN, Contact, DateLike, NotGiven, Schedule, given

__all__ = ["Operation"]  # the builders are reached through the resources

T = TypeVar("T")
# Covariant: an operation that reads a CallHistory is one that reads a Page[CallRecord].
T_co = TypeVar("T_co", covariant=True)
M = TypeVar("M", bound=m.RinglineModel)


@dataclass(frozen=True)
class Operation(Generic[T_co]):
    method: str
    path: str
    parse: Callable[[httpx.Response], T_co]
    params: dict[str, Any] | None = None
    body: Any = NOT_GIVEN
    headers: dict[str, str] = field(default_factory=dict)
    # A POST that is safe to repeat as it is (assigning a number, ending a call).
    idempotent: bool = False
    # Multipart files, sent instead of a JSON body (httpx's ``files``).
    files: dict[str, Any] | None = None

    @property
    def retryable(self) -> bool:
        return self.method != "POST" or self.idempotent or IDEMPOTENCY_HEADER in self.headers


def _segment(value: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"an ID must be a non-empty string, not {value!r}")
    return quote(value, safe="")


def _path(template: str, *ids: str) -> str:
    return template.format(*(_segment(value) for value in ids))


def _reads(model: type[M]) -> Callable[[httpx.Response], M]:
    return lambda response: model.model_validate(response.json())


def _key_header(idempotency_key: str | None) -> dict[str, str]:
    return {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key else {}


def _iso(value: DateLike | datetime | NotGiven) -> str | NotGiven:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _get(path: str, model: type[M], **params: Any) -> Operation[M]:
    return Operation("GET", path, _reads(model), params=given(**params) or None)


def _create(path: str, model: type[M], body: dict[str, Any], key: str | None) -> Operation[M]:
    return Operation("POST", path, _reads(model), body=body, headers=_key_header(key))


# Workspace, voices


def workspace_get() -> Operation[m.Workspace]:
    """The workspace of the API key: ID, name, plan and usage this month."""
    return _get("/workspace", m.Workspace)


def providers_list() -> Operation[m.ProviderList]:
    """The hosted services the workspace's calls use (never their keys)."""
    return _get("/workspace/providers", m.ProviderList)


def providers_set(
    stage: str,
    base_url: str,
    model: str,
    api_key: str,
    voice: str | NotGiven = NOT_GIVEN,
    protocol: str | NotGiven = NOT_GIVEN,
) -> Operation[m.Provider]:
    """Serve one stage ("llm", "stt" or "tts") of new calls with a hosted service
    (needs an admin key); "tts" needs a voice."""
    body = given(base_url=base_url, model=model, api_key=api_key, voice=voice, protocol=protocol)
    path = _path("/workspace/providers/{}", stage)
    return Operation("PUT", path, _reads(m.Provider), body=body)


def providers_remove(stage: str) -> Operation[None]:
    """Go back to ringline's bundled model for that stage (needs an admin key)."""
    path = _path("/workspace/providers/{}", stage)
    return Operation("DELETE", path, lambda response: None)


def voices_list() -> Operation[m.VoiceList]:
    """The voice names an assistant can use."""
    return _get("/voices", m.VoiceList)


# Assistants


def _assistant_body(**fields: Any) -> dict[str, Any]:
    body = given(**fields)
    converts = (("dispositions", list), ("variable_defaults", dict), ("allowed_origins", list))
    for name, convert in converts:
        if name in body:
            body[name] = convert(body[name])
    return body


def assistants_list() -> Operation[m.AssistantList]:
    """All voice assistants in the workspace."""
    return _get("/assistants", m.AssistantList)


def assistants_get(assistant_id: str) -> Operation[m.Assistant]:
    """One assistant with its prompt, voice and first message."""
    return _get(_path("/assistants/{}", assistant_id), m.Assistant)


def assistants_create(
    *,
    name: str,
    prompt: str,
    language: str | NotGiven = NOT_GIVEN,
    voice: str | NotGiven = NOT_GIVEN,
    first_message: str | NotGiven = NOT_GIVEN,
    status: str | NotGiven = NOT_GIVEN,
    variable_defaults: Mapping[str, str] | NotGiven = NOT_GIVEN,
    dispositions: Sequence[str] | NotGiven = NOT_GIVEN,
    max_call_duration_seconds: int | NotGiven = NOT_GIVEN,
    allowed_origins: Sequence[str] | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
) -> Operation[m.Assistant]:
    """Create a voice assistant; fields left out take the server's defaults."""
    body = _assistant_body(
        name=name,
        prompt=prompt,
        language=language,
        voice=voice,
        first_message=first_message,
        status=status,
        variable_defaults=variable_defaults,
        dispositions=dispositions,
        max_call_duration_seconds=max_call_duration_seconds,
        allowed_origins=allowed_origins,
    )
    return _create("/assistants", m.Assistant, body, idempotency_key)


def assistants_update(
    assistant_id: str,
    *,
    name: str | NotGiven = NOT_GIVEN,
    prompt: str | NotGiven = NOT_GIVEN,
    language: str | NotGiven = NOT_GIVEN,
    voice: str | NotGiven = NOT_GIVEN,
    first_message: str | NotGiven = NOT_GIVEN,
    status: str | NotGiven = NOT_GIVEN,
    variable_defaults: Mapping[str, str] | NotGiven = NOT_GIVEN,
    dispositions: Sequence[str] | NotGiven = NOT_GIVEN,
    max_call_duration_seconds: int | NotGiven = NOT_GIVEN,
    allowed_origins: Sequence[str] | NotGiven = NOT_GIVEN,
) -> Operation[m.Assistant]:
    """Change the fields given; the others keep their values."""
    body = _assistant_body(
        name=name,
        prompt=prompt,
        language=language,
        voice=voice,
        first_message=first_message,
        status=status,
        variable_defaults=variable_defaults,
        dispositions=dispositions,
        max_call_duration_seconds=max_call_duration_seconds,
        allowed_origins=allowed_origins,
    )
    path = _path("/assistants/{}", assistant_id)
    return Operation("PATCH", path, _reads(m.Assistant), body=body)


# Carrier accounts


def carrier_accounts_list() -> Operation[m.CarrierAccountList]:
    """The workspace's carrier accounts (never their credentials)."""
    return _get("/carrier-accounts", m.CarrierAccountList)


def carrier_accounts_get(account_id: str) -> Operation[m.CarrierAccount]:
    return _get(_path("/carrier-accounts/{}", account_id), m.CarrierAccount)


def carrier_accounts_create(
    carrier: str,
    credentials: Mapping[str, str | int | bool],
    *,
    name: str | NotGiven = NOT_GIVEN,
    api_base_url: str | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
) -> Operation[m.CarrierAccount]:
    """Connect a carrier account: ``credentials`` are the carrier's fields, such as
    ``{"account_sid": "AC...", "auth_token": "..."}`` for Twilio, or a SIP trunk's
    ``{"host": "sip.example.net", "port": 5061, "transport": "tls"}``."""
    body = {"carrier": carrier, **credentials} | given(name=name, api_base_url=api_base_url)
    return _create("/carrier-accounts", m.CarrierAccount, body, idempotency_key)


def carrier_accounts_delete(account_id: str) -> Operation[None]:
    """Disconnect an account no number is on any more."""
    path = _path("/carrier-accounts/{}", account_id)
    return Operation("DELETE", path, lambda response: None)


# Knowledge base


def documents_list() -> Operation[m.DocumentList]:
    """The workspace's documents, oldest first."""
    return _get("/documents", m.DocumentList)


def documents_get(document_id: str) -> Operation[m.Document]:
    return _get(_path("/documents/{}", document_id), m.Document)


def documents_create(
    name: str,
    text: str,
    *,
    format: str | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
) -> Operation[m.Document]:
    """Add a document from its text (``format`` "text" or "markdown")."""
    body = {"name": name, "text": text} | given(format=format)
    return _create("/documents", m.Document, body, idempotency_key)


def documents_upload(
    file: bytes, filename: str, *, name: str | NotGiven = NOT_GIVEN
) -> Operation[m.Document]:
    """Add a document from a file's bytes: ``filename``'s suffix (.txt, .md, .html, .pdf)
    says how it is read."""
    files = {"file": (filename, file, "application/octet-stream")} | {
        key: (None, value) for key, value in given(name=name).items()
    }
    return Operation("POST", "/documents/upload", _reads(m.Document), files=files)


def documents_delete(document_id: str) -> Operation[None]:
    """Delete a document: assistants no longer answer from it."""
    return Operation("DELETE", _path("/documents/{}", document_id), lambda response: None)


def documents_search(
    query: str,
    *,
    assistant_id: str | NotGiven = NOT_GIVEN,
    limit: int | NotGiven = NOT_GIVEN,
) -> Operation[m.DocumentSearchResults]:
    """The passages closest to ``query``, of an assistant's documents where one is named."""
    body = {"query": query} | given(assistant_id=assistant_id, limit=limit)
    # A search changes nothing: safe to retry.
    return Operation(
        "POST", "/documents/search", _reads(m.DocumentSearchResults), body=body, idempotent=True
    )


def documents_attached(assistant_id: str) -> Operation[m.DocumentList]:
    """The documents the assistant answers from."""
    return _get(_path("/assistants/{}/documents", assistant_id), m.DocumentList)


def documents_attach(assistant_id: str, document_ids: Sequence[str]) -> Operation[m.DocumentList]:
    """Make ``document_ids`` the ones the assistant answers from (``[]`` detaches all)."""
    path = _path("/assistants/{}/documents", assistant_id)
    body = {"document_ids": list(document_ids)}
    return Operation("PUT", path, _reads(m.DocumentList), body=body)


# Numbers


def numbers_list() -> Operation[m.PhoneNumberList]:
    """The workspace's phone numbers."""
    return _get("/numbers", m.PhoneNumberList)


def numbers_register(
    number: str,
    *,
    carrier: str | NotGiven = NOT_GIVEN,
    carrier_account_id: str | NotGiven = NOT_GIVEN,
    assistant_id: str | None | NotGiven = NOT_GIVEN,
    concurrent_call_limit: int | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
) -> Operation[m.PhoneNumber]:
    """Register an E.164 number on the sandbox or on one of the workspace's carrier
    accounts (``carrier_account_id``); ``concurrent_call_limit`` caps the calls it
    carries at once (campaigns keep to it)."""
    body = given(
        number=number,
        carrier=carrier,
        carrier_account_id=carrier_account_id,
        assistant_id=assistant_id,
        concurrent_call_limit=concurrent_call_limit,
    )
    return _create("/numbers", m.PhoneNumber, body, idempotency_key)


def numbers_assign(number_id: str, assistant_id: str | None) -> Operation[m.PhoneNumber]:
    """Assign the number to an assistant, which then answers it; ``None`` unassigns."""
    path = _path("/numbers/{}/assign", number_id)
    body = {"assistant_id": assistant_id}
    return Operation("POST", path, _reads(m.PhoneNumber), body=body, idempotent=True)


# API keys


def keys_list() -> Operation[m.ApiKeyList]:
    """The workspace's API keys, never their secrets (needs an admin key)."""
    return _get("/keys", m.ApiKeyList)


def keys_create(
    *,
    name: str | NotGiven = NOT_GIVEN,
    scope: str | NotGiven = NOT_GIVEN,
    expires_at: datetime | str | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
) -> Operation[m.ApiKeyCreated]:
    """Create an API key (scope read, write or admin); its secret is in ``.key`` only now."""
    body = given(name=name, scope=scope, expires_at=_iso(expires_at))
    return _create("/keys", m.ApiKeyCreated, body, idempotency_key)


def keys_revoke(key_id: str) -> Operation[m.ApiKey]:
    """Revoke an API key: requests with it are refused from now on."""
    return Operation("DELETE", _path("/keys/{}", key_id), _reads(m.ApiKey))


# Calls


def calls_create_outbound(
    *,
    assistant_id: str,
    to_number: str,
    from_number: str | NotGiven = NOT_GIVEN,
    dynamic_variables: Mapping[str, Any] | NotGiven = NOT_GIVEN,
    webhook_url: str | NotGiven = NOT_GIVEN,
    scheduled_at: datetime | str | NotGiven = NOT_GIVEN,
    max_duration_seconds: int | NotGiven = NOT_GIVEN,
    idle_timeout_seconds: int | NotGiven = NOT_GIVEN,
    retry: Mapping[str, Any] | NotGiven = NOT_GIVEN,
    webhook_headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
) -> Operation[m.OutboundCall]:
    """Place an outbound call. An ``Idempotency-Key`` is generated when none is given,
    so a retried request never dials the customer twice. ``scheduled_at`` (with a time
    zone) dials later; ``retry`` ({"max_retries", "delay_seconds", "on"}) calls again
    when busy or unanswered."""
    body = given(
        assistant_id=assistant_id,
        to_number=to_number,
        from_number=from_number,
        dynamic_variables=dynamic_variables,
        webhook_url=webhook_url,
        scheduled_at=scheduled_at.isoformat()
        if isinstance(scheduled_at, datetime)
        else scheduled_at,
        max_duration_seconds=max_duration_seconds,
        idle_timeout_seconds=idle_timeout_seconds,
        retry=retry,
        webhook_headers=webhook_headers,
    )
    key = idempotency_key or str(uuid.uuid4())
    return _create("/calls/outbound", m.OutboundCall, body, key)


def calls_status(call_id: str) -> Operation[m.CallStatus]:
    """A call's status, duration, disposition and summary."""
    return _get(_path("/calls/{}/status", call_id), m.CallStatus)


def calls_transcript(call_id: str) -> Operation[m.Transcript]:
    """A call's transcript, one turn per utterance."""
    return _get(_path("/calls/{}/transcript", call_id), m.Transcript)


def calls_end(call_id: str) -> Operation[m.CallStatus]:
    """Hang up a call in progress."""

    def parse(response: httpx.Response) -> m.CallStatus:
        if not response.content:  # a bare 202 or 204
            return m.CallStatus(call_id=call_id)
        return m.CallStatus.model_validate(response.json())

    return Operation("POST", _path("/calls/{}/end", call_id), parse, idempotent=True)


def calls_recording(call_id: str) -> Operation[bytes]:
    """A call's recording as WAV bytes."""
    path = _path("/calls/{}/recording", call_id)
    return Operation(
        "GET", path, lambda response: response.content, headers={"Accept": "audio/wav"}
    )


def calls_history(
    *,
    limit: int | NotGiven = NOT_GIVEN,
    offset: int | NotGiven = NOT_GIVEN,
    from_: DateLike | NotGiven = NOT_GIVEN,
    to: DateLike | NotGiven = NOT_GIVEN,
    assistant_id: str | NotGiven = NOT_GIVEN,
    status: str | NotGiven = NOT_GIVEN,
    disposition: str | NotGiven = NOT_GIVEN,
    campaign_id: str | NotGiven = NOT_GIVEN,
    source: str | NotGiven = NOT_GIVEN,
    direction: str | NotGiven = NOT_GIVEN,
) -> Operation[m.CallHistory]:
    """One page of the call history, newest first (``limit`` at most 100); ``source`` is
    ``"phone"`` or ``"web"``, ``direction`` ``"outbound"`` or ``"inbound"``."""
    filters = _call_filters(
        from_, to, assistant_id, status, disposition, campaign_id, source, direction
    )
    return _get("/calls/history", m.CallHistory, limit=limit, offset=offset, **filters)


def _call_filters(
    from_: DateLike | NotGiven,
    to: DateLike | NotGiven,
    assistant_id: str | NotGiven,
    status: str | NotGiven,
    disposition: str | NotGiven,
    campaign_id: str | NotGiven,
    source: str | NotGiven,
    direction: str | NotGiven = NOT_GIVEN,
) -> dict[str, Any]:
    """The query filters history and analytics share (``from_`` is sent as ``from``)."""
    return {
        "from": _iso(from_),
        "to": _iso(to),
        "assistant_id": assistant_id,
        "status": status,
        "disposition": disposition,
        "campaign_id": campaign_id,
        "source": source,
        "direction": direction,
    }


# Analytics


def analytics_get(
    from_: DateLike | NotGiven = NOT_GIVEN,
    to: DateLike | NotGiven = NOT_GIVEN,
    *,
    assistant_id: str | NotGiven = NOT_GIVEN,
    status: str | NotGiven = NOT_GIVEN,
    disposition: str | NotGiven = NOT_GIVEN,
    campaign_id: str | NotGiven = NOT_GIVEN,
    source: str | NotGiven = NOT_GIVEN,
    direction: str | NotGiven = NOT_GIVEN,
    group_by: str | NotGiven = NOT_GIVEN,
) -> Operation[m.Analytics]:
    """Call counts, average duration and dispositions over a date range; ``group_by``
    (``"day"``, ``"assistant"`` or ``"campaign"``) adds the same counts per group."""
    filters = _call_filters(
        from_, to, assistant_id, status, disposition, campaign_id, source, direction
    )
    return _get("/analytics", m.Analytics, **filters, group_by=group_by)


# Campaigns


def campaigns_list() -> Operation[m.CampaignList]:
    """The workspace's campaigns."""
    return _get("/campaigns", m.CampaignList)


def campaigns_launch(
    campaign_id: str,
    contacts: Sequence[Contact | Mapping[str, Any]],
    *,
    schedule: Schedule | Mapping[str, Any] | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
) -> Operation[m.CampaignLaunch]:
    """Start dialing a campaign's contacts within its schedule. An ``Idempotency-Key`` is
    generated when none is given, so a retried launch never dials anyone twice."""
    body = given(campaign_id=campaign_id, contacts=[dict(c) for c in contacts], schedule=schedule)
    if "schedule" in body:
        body["schedule"] = dict(body["schedule"])
    key = idempotency_key or str(uuid.uuid4())
    return _create("/campaigns/launch", m.CampaignLaunch, body, key)


def campaigns_status(campaign_id: str) -> Operation[m.CampaignStatus]:
    """A campaign's progress, counts by call status and dispositions."""
    return _get(_path("/campaigns/{}/status", campaign_id), m.CampaignStatus)


def campaigns_create(
    name: str,
    assistant_id: str,
    *,
    from_number: str | NotGiven = NOT_GIVEN,
    from_numbers: Sequence[str] | NotGiven = NOT_GIVEN,
    max_concurrent_calls: int | NotGiven = NOT_GIVEN,
    retry: Mapping[str, Any] | NotGiven = NOT_GIVEN,
    calling_window: Mapping[str, str] | NotGiven = NOT_GIVEN,
    timezone: str | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
) -> Operation[m.Campaign]:
    """Create a draft campaign: its assistant, caller IDs (one, or a pool), the most calls
    at once, the retry policy (``max_attempts``, ``gap_seconds``, ``retry_on``) and a daily
    ``calling_window`` (``{"start": "10:00", "end": "19:00"}`` in ``timezone``)."""
    body = given(
        name=name,
        assistant_id=assistant_id,
        from_number=from_number,
        max_concurrent_calls=max_concurrent_calls,
        timezone=timezone,
    )
    if not isinstance(from_numbers, NotGiven):
        body["from_numbers"] = list(from_numbers)
    for field_name, value in (("retry", retry), ("calling_window", calling_window)):
        if not isinstance(value, NotGiven):
            body[field_name] = dict(value)
    return _create("/campaigns", m.Campaign, body, idempotency_key)


def campaigns_get(campaign_id: str) -> Operation[m.Campaign]:
    """One campaign's settings, schedule and times."""
    return _get(_path("/campaigns/{}", campaign_id), m.Campaign)


def campaigns_settings() -> Operation[m.CampaignSettings]:
    """The workspace's campaign rules: campaigns per assistant and quiet hours."""
    return _get("/workspace/campaign-settings", m.CampaignSettings)


def campaigns_update_settings(
    campaigns_per_assistant: int | NotGiven = NOT_GIVEN,
    quiet_hours: Mapping[str, str] | None | NotGiven = NOT_GIVEN,
) -> Operation[m.CampaignSettings]:
    """Change the campaign rules (admin key); ``quiet_hours=None`` turns quiet hours off,
    ``{"start": "21:00", "end": "09:00"}`` sets them."""
    body = given(campaigns_per_assistant=campaigns_per_assistant, quiet_hours=quiet_hours)
    if body.get("quiet_hours") is not None:
        body["quiet_hours"] = dict(body["quiet_hours"])
    path = "/workspace/campaign-settings"
    return Operation("PATCH", path, _reads(m.CampaignSettings), body=body)


def _campaign_action(campaign_id: str, action: str) -> Operation[m.Campaign]:
    return Operation("POST", _path("/campaigns/{}/" + action, campaign_id), _reads(m.Campaign))


def campaigns_pause(campaign_id: str) -> Operation[m.Campaign]:
    """Stop placing new calls; calls under way finish."""
    return _campaign_action(campaign_id, "pause")


def campaigns_resume(campaign_id: str) -> Operation[m.Campaign]:
    """Place calls again after a pause."""
    return _campaign_action(campaign_id, "resume")


def campaigns_cancel(campaign_id: str) -> Operation[m.Campaign]:
    """End a campaign: contacts not called yet are skipped; calls under way finish."""
    return _campaign_action(campaign_id, "cancel")


def campaigns_contacts(
    campaign_id: str,
    *,
    state: str | NotGiven = NOT_GIVEN,
    limit: int | NotGiven = NOT_GIVEN,
    offset: int | NotGiven = NOT_GIVEN,
) -> Operation[m.CampaignContactList]:
    """A page of a campaign's contacts with their attempts and outcome (``limit`` at most
    1000), optionally only those in one ``state``."""
    path = _path("/campaigns/{}/contacts", campaign_id)
    return _get(path, m.CampaignContactList, state=state, limit=limit, offset=offset)


def campaigns_add_contacts(
    campaign_id: str, contacts: Sequence[Contact | Mapping[str, Any]]
) -> Operation[m.ContactsAdded]:
    """Add contacts to a campaign (before or after its launch); bad rows come back in
    ``rejected`` with their 1-based row and the reason."""
    body = {"contacts": [dict(c) for c in contacts]}
    path = _path("/campaigns/{}/contacts", campaign_id)
    return Operation("POST", path, _reads(m.ContactsAdded), body=body)


def campaigns_upload_csv(
    campaign_id: str, csv: bytes | str, *, filename: str = "contacts.csv"
) -> Operation[m.ContactsAdded]:
    """Add contacts from CSV text (a header row with ``phone``, and ``name``, ``email``;
    other columns become custom fields), sent as a multipart upload."""
    data = csv.encode() if isinstance(csv, str) else csv
    path = _path("/campaigns/{}/contacts/csv", campaign_id)
    files = {"file": (filename, data, "text/csv")}
    return Operation("POST", path, _reads(m.ContactsAdded), files=files)


# Webhooks


def webhooks_create(
    url: str,
    events: Sequence[str],
    secret: str | None = None,
    *,
    idempotency_key: str | None = None,
) -> Operation[m.Webhook]:
    """Register an endpoint for events such as ``call.completed``; deliveries are signed
    with ``secret`` (the server makes one when none is given; see ``ringline.sdk.webhooks``)."""
    body: dict[str, Any] = {"url": url, "events": list(events)}
    if secret is not None:
        body["secret"] = secret
    return _create("/webhooks", m.Webhook, body, idempotency_key)


def webhooks_list() -> Operation[m.WebhookList]:
    """The workspace's webhook endpoints."""
    return _get("/webhooks", m.WebhookList)


def webhooks_delete(webhook_id: str) -> Operation[None]:
    """Stop delivering events to a webhook endpoint."""
    return Operation("DELETE", _path("/webhooks/{}", webhook_id), lambda response: None)


def webhooks_deliveries(
    webhook_id: str, limit: int | NotGiven = NOT_GIVEN
) -> Operation[m.DeliveryList]:
    """The endpoint's delivery attempts, newest first: answer, latency and error of each."""
    return _get(_path("/webhooks/{}/deliveries", webhook_id), m.DeliveryList, limit=limit)


def webhooks_redeliver(webhook_id: str, message_id: str) -> Operation[m.WebhookMessage]:
    """Send a message to the endpoint again now, with a fresh set of retries."""
    path = _path("/webhooks/{}/deliveries/{}/redeliver", webhook_id, message_id)
    return Operation("POST", path, _reads(m.WebhookMessage), idempotent=True)


def webhooks_call_url_secret() -> Operation[m.SigningSecret]:
    """The secret that signs events sent to a call's own ``webhook_url``."""
    return _get("/webhooks/call-url/secret", m.SigningSecret)


# Sandbox carrier


def sandbox_list_callees() -> Operation[m.SandboxCalleeList]:
    """The simulated callees the sandbox carrier reaches at particular numbers."""
    return _get("/sandbox/callees", m.SandboxCalleeList)


def sandbox_set_callee(
    number: str,
    behaviour: Mapping[str, Any] | NotGiven = NOT_GIVEN,
    persona: Mapping[str, Any] | NotGiven = NOT_GIVEN,
) -> Operation[m.SandboxCallee]:
    """Bind a number to a simulated callee (replacing any before): ``behaviour`` such as
    ``{"answer": "busy"}``, ``persona`` such as ``{"replies": ["Yes.", "Bye."]}``."""
    body = given(number=number, behaviour=behaviour, persona=persona)
    for name in ("behaviour", "persona"):
        if name in body:
            body[name] = dict(body[name])
    return Operation(
        "POST", "/sandbox/callees", _reads(m.SandboxCallee), body=body, idempotent=True
    )


def sandbox_delete_callee(number: str) -> Operation[None]:
    """Forget a number's callee: the default callee answers it again."""
    return Operation("DELETE", _path("/sandbox/callees/{}", number), lambda response: None)


# Web calls


def webcall_create_token(
    assistant_id: str,
    visitor_info: Mapping[str, Any] | None = None,
    *,
    idempotency_key: str | None = None,
) -> Operation[m.WebcallToken]:
    """A short-lived token for the browser widget to talk to an assistant."""
    body: dict[str, Any] = {"assistant_id": assistant_id}
    if visitor_info is not None:
        body["visitor_info"] = dict(visitor_info)
    return _create("/webcall/token", m.WebcallToken, body, idempotency_key)
