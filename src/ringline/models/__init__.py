"""Every table, one module each, imported here so Alembic and relationships see them all."""

from ringline.models.api_key import ApiKey
from ringline.models.assistant import Assistant
from ringline.models.assistant_document import AssistantDocument
from ringline.models.call import Call
from ringline.models.call_turn import CallTurn
from ringline.models.campaign import Campaign
from ringline.models.campaign_contact import CampaignContact
from ringline.models.carrier_account import CarrierAccount
from ringline.models.dashboard_session import DashboardSession
from ringline.models.document import Document
from ringline.models.document_chunk import DocumentChunk
from ringline.models.phone_number import PhoneNumber
from ringline.models.sandbox_callee import SandboxCallee
from ringline.models.voice_provider import VoiceProvider
from ringline.models.webcall_token import WebcallToken
from ringline.models.webhook_delivery import WebhookDelivery
from ringline.models.webhook_endpoint import WebhookEndpoint
from ringline.models.webhook_message import WebhookMessage
from ringline.models.worker import Worker
from ringline.models.workspace import Workspace

__all__ = [
    "ApiKey",
    "Assistant",
    "AssistantDocument",
    "Call",
    "CallTurn",
    "Campaign",
    "CampaignContact",
    "CarrierAccount",
    "DashboardSession",
    "Document",
    "DocumentChunk",
    "PhoneNumber",
    "SandboxCallee",
    "VoiceProvider",
    "WebcallToken",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookMessage",
    "Worker",
    "Workspace",
]
