"""Code a user writes with the SDK's lists; ``mypy --strict`` must accept it and infer the
item types (checked by tests/sdk/test_typing.py, never imported)."""

from typing import assert_type

from ringline.sdk import (
    ApiKey,
    Assistant,
    AsyncRingline,
    CallRecord,
    CampaignContact,
    PhoneNumber,
    Ringline,
    Voice,
)


def sync_lists(client: Ringline) -> list[str]:
    assistants = client.assistants.list()
    assert_type(assistants[0], Assistant)
    assert_type(assistants[:1], list[Assistant])
    for number in client.numbers.list():
        assert_type(number, PhoneNumber)
    for record in client.calls.history(limit=10):
        assert_type(record, CallRecord)
    for contact in client.campaigns.iter_contacts("camp_x"):
        assert_type(contact, CampaignContact)
    assert_type(next(iter(client.voices.list())), Voice)
    return [a.id for a in assistants] + [k.id for k in client.keys.list()]


async def async_lists(client: AsyncRingline) -> int:
    keys = await client.keys.list()
    assert_type(keys[0], ApiKey)
    async for record in client.calls.iter_history(status="completed"):
        assert_type(record, CallRecord)
    async for contact in client.campaigns.iter_contacts("camp_x", state="pending"):
        assert_type(contact, CampaignContact)
    return len(keys) + len(await client.assistants.list())
