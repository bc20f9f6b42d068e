"""List results behave like lists, and the page iterators follow every page, for both
clients against a real ringline server."""

import random
import uuid
from typing import Any

from ringline.sdk import ItemList, Page
from tests.sdk.support import ADMIN_KEY, Connect, call, collect

SANDBOX_NUMBER = "+918001234567"
LATER = {"start_time": "2099-02-07T09:00:00+05:30", "timezone": "Asia/Kolkata"}


def fresh_number() -> str:
    return f"+9198123{random.randrange(10**5):05d}"


def assert_list_like(result: Any, named: str, key: str, wanted: str) -> None:
    """``result`` iterates over the items it holds as ``named``, with len() and indexing."""
    items = getattr(result, named)
    assert isinstance(result, ItemList)
    assert list(result) == items and len(result) == len(items) > 0
    assert result[0] == items[0] and result[-1] == items[-1] and result[:2] == items[:2]
    assert wanted in [getattr(item, key) for item in result]


async def test_every_list_result_iterates_over_its_items(
    connect: Connect, ringline_url: str
) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    assistant = await call(client.assistants.create, name="Lists", prompt="Be brief.")
    number = await call(client.numbers.register, fresh_number())
    key = await call(client.keys.create, name="lists")
    hook = await call(client.webhooks.create, "https://crm.example.com/l", ["call.completed"])
    callee = fresh_number()
    await call(client.sandbox.set_callee, callee, behaviour={"answer": "busy"})
    campaign = await call(
        client.campaigns.create, "Lists", assistant.id, from_number=SANDBOX_NUMBER
    )
    await call(client.providers.set, "tts", "http://127.0.0.1:9/v1", "tts-1", "sk", voice="nova")

    try:
        assert_list_like(await call(client.assistants.list), "assistants", "id", assistant.id)
        assert_list_like(await call(client.numbers.list), "numbers", "id", number.id)
        assert_list_like(await call(client.keys.list), "keys", "id", key.id)
        assert_list_like(await call(client.webhooks.list), "webhooks", "id", hook.id)
        assert_list_like(await call(client.sandbox.list_callees), "callees", "number", callee)
        assert_list_like(await call(client.campaigns.list), "campaigns", "id", campaign.id)
        assert_list_like(await call(client.voices.list), "voices", "name", "female-1")
        assert_list_like(await call(client.providers.list), "providers", "stage", "tts")
    finally:
        await call(client.providers.remove, "tts")
    deliveries = await call(client.webhooks.deliveries, hook.id)
    assert isinstance(deliveries, ItemList)
    assert (list(deliveries), len(deliveries), bool(deliveries)) == ([], 0, False)


async def test_history_pages_and_transcripts_iterate_too(
    connect: Connect, ringline_url: str
) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    assistant = await call(client.assistants.create, name="Paged", prompt="Be brief.")
    placed = []
    for _ in range(3):
        made = await call(
            client.calls.create_outbound,
            assistant_id=assistant.id,
            to_number=fresh_number(),
            from_number=SANDBOX_NUMBER,
        )
        placed.append(made.call_id)
        await call(client.calls.end, made.call_id)

    page = await call(client.calls.history, limit=2, assistant_id=assistant.id)
    every = await collect(client.calls.iter_history(page_size=2, assistant_id=assistant.id))
    transcript = await call(client.calls.transcript, placed[0])

    assert isinstance(page, Page) and page.total == 3
    assert [c.call_id for c in page] == placed[::-1][:2] and len(page) == 2
    assert page[0].call_id == placed[-1]
    assert [c.call_id for c in every] == placed[::-1]
    assert list(transcript) == transcript.transcript


async def test_contacts_iterate_across_pages(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    assistant = await call(
        client.assistants.create, name=f"Pages {uuid.uuid4().hex[:6]}", prompt="Hi {{name}}."
    )
    campaign = await call(
        client.campaigns.create, "Pages", assistant.id, from_number=SANDBOX_NUMBER
    )
    assert campaign.id
    phones = [f"+9198005{n:05d}" for n in range(5)]
    contacts = [{"phone": phone, "name": f"C{n}"} for n, phone in enumerate(phones)]
    await call(client.campaigns.launch, campaign.id, contacts, schedule=LATER)

    page = await call(client.campaigns.contacts, campaign.id, limit=2)
    every = await collect(client.campaigns.iter_contacts(campaign.id, page_size=2))
    pending = await collect(
        client.campaigns.iter_contacts(campaign.id, state="pending", page_size=3)
    )
    none = await collect(client.campaigns.iter_contacts(campaign.id, state="completed"))

    assert [c.phone for c in page] == phones[:2] and page.total == 5
    assert [c.phone for c in every] == phones
    assert [c.phone for c in pending] == phones
    assert none == []
