"""The examples /docs shows: the API reference's own request and response bodies where it
has them, and bodies in the same spirit for ringline's additive routes.

Keyed by method and path as in the OpenAPI document; a test checks that every JSON
request body has one and that each is a valid request.
"""

from typing import Any

REFERENCE_CONTACT = {
    "phone": "+919876543210",
    "name": "Rahul",
    "email": "rahul@example.com",
    "custom_fields": {"policy_number": "POL-456"},
}

REQUESTS: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/v1/assistants"): {
        "name": "My Voice Agent",
        "language": "en",
        "prompt": "You are a helpful customer service agent for...",
        "voice": "female-1",
        "first_message": "Hello! Thank you for your time today.",
    },
    ("patch", "/v1/assistants/{assistant_id}"): {
        "first_message": "Hello! Thank you for your time today.",
        "voice": "female-2",
    },
    ("post", "/v1/carrier-accounts"): {
        "carrier": "twilio",
        "name": "US lines",
        "account_sid": "AC0123456789abcdef0123456789abcdef",
        "auth_token": "your_auth_token",
    },
    ("post", "/v1/numbers"): {
        "number": "+918001234568",
        "carrier": "sandbox",
        "assistant_id": "asst_abc123",
        "concurrent_call_limit": 5,
    },
    ("post", "/v1/numbers/{number_id}/assign"): {"assistant_id": "asst_abc123"},
    ("post", "/v1/documents"): {
        "name": "Renewal FAQ",
        "text": "The grace period for a missed premium is 30 days from the due date.",
        "format": "text",
    },
    ("post", "/v1/documents/search"): {
        "query": "How long is the grace period?",
        "assistant_id": "asst_abc123",
        "limit": 3,
    },
    ("put", "/v1/assistants/{assistant_id}/documents"): {"document_ids": ["doc_abc123"]},
    ("post", "/v1/calls/outbound"): {
        "assistant_id": "asst_abc123",
        "to_number": "+919876543210",
        "from_number": "+918001234567",
        "dynamic_variables": {
            "customer_name": "Rahul",
            "order_id": "ORD-12345",
            "product": "Health Insurance Premium",
        },
        "webhook_url": "https://optional-per-call-webhook.example.com/callback",
    },
    ("post", "/v1/campaigns"): {
        "name": "Policy renewals",
        "assistant_id": "asst_abc123",
        "from_number": "+918001234567",
        "max_concurrent_calls": 5,
        "retry": {"max_attempts": 3, "gap_seconds": 3600, "retry_on": ["no-answer", "busy"]},
        "calling_window": {"start": "10:00", "end": "19:00"},
        "timezone": "Asia/Kolkata",
    },
    ("post", "/v1/campaigns/launch"): {
        "campaign_id": "camp_abc123",
        "contacts": [REFERENCE_CONTACT],
        "schedule": {
            "start_time": "2026-02-07T09:00:00+05:30",
            "end_time": "2026-02-07T18:00:00+05:30",
            "timezone": "Asia/Kolkata",
        },
    },
    ("post", "/v1/campaigns/{campaign_id}/contacts"): {"contacts": [REFERENCE_CONTACT]},
    ("patch", "/v1/workspace/campaign-settings"): {
        "campaigns_per_assistant": 1,
        "quiet_hours": {"start": "21:00", "end": "09:00"},
    },
    ("post", "/v1/webhooks"): {
        "url": "https://your-endpoint.example.com/webhook/ringg",
        "events": ["call.completed", "call.failed", "call.transcript_ready", "campaign.completed"],
        "secret": "optional-signing-secret",
    },
    ("post", "/v1/sandbox/callees"): {
        "number": "+919876543210",
        "behaviour": {"answer": "answer", "rings": 2},
        "persona": {"replies": ["Yes, this is Rahul.", "Okay, thank you. Goodbye."]},
    },
    ("post", "/v1/keys"): {"name": "crm-sync", "scope": "write"},
    ("put", "/v1/workspace/providers/{stage}"): {
        "base_url": "https://llm.example.com/v1",
        "model": "gpt-4o-mini",
        "api_key": "sk-your-key",
    },
    ("post", "/v1/webcall/token"): {
        "assistant_id": "asst_abc123",
        "visitor_info": {"name": "Website Visitor", "page_url": "https://example.com/pricing"},
    },
}

# (method, path, status): the reference's response bodies.
RESPONSES: dict[tuple[str, str, str], dict[str, Any]] = {
    ("get", "/v1/assistants", "200"): {
        "assistants": [
            {
                "id": "asst_abc123",
                "name": "PolicyBazaar Health",
                "language": "en-hi",
                "status": "active",
                "created_at": "2026-01-15T10:00:00Z",
            }
        ]
    },
    ("post", "/v1/calls/outbound", "201"): {
        "call_id": "call_xyz789",
        "status": "initiated",
        "to_number": "+919876543210",
        "from_number": "+918001234567",
        "assistant_id": "asst_abc123",
        "created_at": "2026-02-06T14:30:00Z",
    },
    ("get", "/v1/calls/{call_id}/status", "200"): {
        "call_id": "call_xyz789",
        "status": "completed",
        "duration_seconds": 145,
        "disposition": "interested",
        "summary": "Customer expressed interest in health insurance renewal.",
        "ended_at": "2026-02-06T14:32:25Z",
    },
    ("get", "/v1/calls/{call_id}/transcript", "200"): {
        "call_id": "call_xyz789",
        "transcript": [
            {"role": "agent", "text": "Hello Rahul, I'm calling from..."},
            {"role": "customer", "text": "Yes, tell me more..."},
        ],
        "language": "en-hi",
    },
    ("get", "/v1/analytics", "200"): {
        "total_calls": 1250,
        "completed": 980,
        "failed": 45,
        "no_answer": 225,
        "avg_duration_seconds": 132,
        "dispositions": {
            "interested": 420,
            "not_interested": 310,
            "callback_requested": 150,
            "other": 100,
        },
    },
}
