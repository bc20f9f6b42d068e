"""A typed client for the ringline API, blocking (``Ringline``) and asyncio (``AsyncRingline``).

    from ringline.sdk import Ringline

    with Ringline(api_key="rl_...", base_url="http://127.0.0.1:8000/v1") as client:
        call = client.calls.create_outbound(assistant_id="asst_...", to_number="+919876543210")
        print(client.calls.status(call.call_id).status)

It needs only httpx and pydantic, never the server's code. ``ringline.sdk.webhooks``
verifies signed webhook deliveries. See docs/sdk.md.
"""

from ringline.sdk import webhooks
from ringline.sdk._client import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncRingline,
    Ringline,
)
from ringline.sdk._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RinglineError,
    WebhookVerificationError,
)
from ringline.sdk._models import (
    Analytics,
    AnalyticsGroup,
    ApiKey,
    ApiKeyCreated,
    ApiKeyList,
    Assistant,
    AssistantList,
    CallHistory,
    CallRecord,
    CallStatus,
    Campaign,
    CampaignContact,
    CampaignContactList,
    CampaignLaunch,
    CampaignList,
    CampaignSettings,
    CampaignStatus,
    ContactsAdded,
    Delivery,
    DeliveryList,
    OutboundCall,
    PhoneNumber,
    PhoneNumberList,
    PlanLimits,
    Provider,
    ProviderList,
    RejectedContact,
    RinglineModel,
    SandboxCallee,
    SandboxCalleeList,
    SigningSecret,
    Transcript,
    TranscriptTurn,
    Usage,
    Voice,
    VoiceList,
    WebcallToken,
    Webhook,
    WebhookList,
    WebhookMessage,
    Workspace,
)
from ringline.sdk._types import NOT_GIVEN, Contact, NotGiven, Schedule

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "Analytics",
    "AnalyticsGroup",
    "ApiKey",
    "ApiKeyCreated",
    "ApiKeyList",
    "Assistant",
    "AssistantList",
    "AsyncRingline",
    "AuthenticationError",
    "BadRequestError",
    "CallHistory",
    "CallRecord",
    "CallStatus",
    "Campaign",
    "CampaignContact",
    "CampaignContactList",
    "CampaignLaunch",
    "CampaignList",
    "CampaignStatus",
    "ConflictError",
    "Contact",
    "ContactsAdded",
    "InternalServerError",
    "NotFoundError",
    "NotGiven",
    "OutboundCall",
    "PermissionDeniedError",
    "PhoneNumber",
    "PhoneNumberList",
    "PlanLimits",
    "RateLimitError",
    "RejectedContact",
    "Ringline",
    "RinglineError",
    "RinglineModel",
    "Schedule",
    "Transcript",
    "TranscriptTurn",
    "Usage",
    "Voice",
    "VoiceList",
    "WebcallToken",
    "Webhook",
    "WebhookList",
    "WebhookVerificationError",
    "Provider",
    "ProviderList",
    "CampaignSettings",
    "Delivery",
    "DeliveryList",
    "SandboxCallee",
    "SandboxCalleeList",
    "SigningSecret",
    "WebhookMessage",
    "Workspace",
    "webhooks",
]

# Public names say they live here, not in the private modules that define them.
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type):
        _value.__module__ = __name__
del _name, _value
