"""Both clients against a real ringline server on loopback: the API-compatibility gate.

Every SDK method whose route the server serves is exercised here, errors included.
"""

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from ringline.sdk import (
    NOT_GIVEN,
    ApiKeyCreated,
    Assistant,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    Provider,
    RateLimitError,
    WebcallToken,
    Workspace,
)
from tests.sdk.support import ADMIN_KEY, Connect, call, collect, serve_in_thread, server_settings

SANDBOX_NUMBER = "+918001234567"


def fresh_number() -> str:
    return f"+9198765{random.randrange(10**5):05d}"


async def test_workspace_get(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)

    workspace = await call(client.workspace.get)

    assert isinstance(workspace, Workspace)
    assert workspace.id.startswith("ws_")
    assert workspace.name == "default"
    assert workspace.usage is not None and workspace.usage.limits is not None


async def test_providers_set_list_remove(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    url = "http://127.0.0.1:9/v1"  # never called: no call starts while it is set

    speech = await call(client.providers.set, "tts", url, "tts-1", "sk-1", voice="nova")
    listed = await call(client.providers.list)
    assert await call(client.providers.remove, "tts") is None

    assert isinstance(speech, Provider) and (speech.stage, speech.voice) == ("tts", "nova")
    assert [p.stage for p in listed.providers] == ["tts"]
    assert (await call(client.providers.list)).providers == []
    with pytest.raises(BadRequestError):
        await call(client.providers.set, "tts", url, "tts-1", "sk-1")
    with pytest.raises(NotFoundError):
        await call(client.providers.remove, "llm")


async def test_assistants_create_get_update_list(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    name = f"Renewals {uuid.uuid4().hex[:6]}"

    created = await call(
        client.assistants.create,
        name=name,
        prompt="You remind customers of renewals.",
        language="en-hi",
        voice="male-1",
        first_message="Namaste!",
        dispositions=("interested", "not_interested"),
        variable_defaults={"product": "policy"},
    )
    fetched = await call(client.assistants.get, created.id)
    updated = await call(client.assistants.update, created.id, status="inactive")
    listed = await call(client.assistants.list)

    assert isinstance(created, Assistant) and created.id.startswith("asst_")
    assert (fetched.name, fetched.language, fetched.voice) == (name, "en-hi", "male-1")
    assert fetched.dispositions == ["interested", "not_interested"]
    assert fetched.variable_defaults == {"product": "policy"}
    assert (updated.status, updated.first_message) == ("inactive", "Namaste!")
    assert created.id in [assistant.id for assistant in listed.assistants]


async def test_update_sends_only_given_fields(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    created = await call(client.assistants.create, name="Partial", prompt="p", voice="female-2")

    updated = await call(client.assistants.update, created.id, name="Renamed", voice=NOT_GIVEN)

    assert (updated.name, updated.voice, updated.prompt) == ("Renamed", "female-2", "p")


async def test_voices_list(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)

    voices = await call(client.voices.list)

    assert {"female-1", "male-1"} <= {voice.name for voice in voices.voices}
    assert all(voice.providers for voice in voices.voices)


async def test_numbers_list_register_assign(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    assistant = await call(client.assistants.create, name="Inbound", prompt="Answer calls.")

    registered = await call(client.numbers.register, fresh_number(), carrier="sandbox")
    assigned = await call(client.numbers.assign, registered.id, assistant.id)
    unassigned = await call(client.numbers.assign, registered.id, None)
    numbers = await call(client.numbers.list)

    assert registered.id.startswith("num_") and registered.assistant_id is None
    assert assigned.assistant_id == assistant.id
    assert unassigned.assistant_id is None
    assert {SANDBOX_NUMBER, registered.number} <= {number.number for number in numbers.numbers}


async def test_carrier_accounts_create_get_list_delete(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    token = uuid.uuid4().hex
    credentials = {"account_sid": "AC" + uuid.uuid4().hex, "auth_token": token}

    account = await call(client.carrier_accounts.create, "twilio", credentials, name="US")
    number = await call(
        client.numbers.register,
        f"+1415555{random.randrange(10**4):04d}",
        carrier_account_id=account.id,
    )
    read = await call(client.carrier_accounts.get, account.id)
    listed = await call(client.carrier_accounts.list)
    with pytest.raises(ConflictError):
        await call(client.carrier_accounts.delete, account.id)

    assert (account.carrier, account.name, account.api_base_url) == (
        "twilio",
        "US",
        "https://api.twilio.com",
    )
    assert read == account and account.id in {a.id for a in listed.carrier_accounts}
    assert (number.carrier, number.carrier_account_id) == ("twilio", account.id)
    assert token not in repr(listed) and token not in repr(read)
    unused = await call(client.carrier_accounts.create, "twilio", credentials)
    await call(client.carrier_accounts.delete, unused.id)
    with pytest.raises(NotFoundError):
        await call(client.carrier_accounts.get, unused.id)


async def test_keys_create_list_revoke(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)

    created = await call(client.keys.create, name="crm sync", scope="write")
    listed = await call(client.keys.list)
    revoked = await call(client.keys.revoke, created.id)

    assert isinstance(created, ApiKeyCreated) and created.key.startswith("rl_")
    assert created.id in [key.id for key in listed.keys]
    assert not hasattr(listed.keys[0], "key")
    assert revoked.revoked_at is not None
    with pytest.raises(AuthenticationError):
        await call(connect(api_key=created.key, base_url=ringline_url).workspace.get)


async def test_not_found(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)

    with pytest.raises(NotFoundError) as raised:
        await call(client.assistants.get, "asst_missing")

    error = raised.value
    assert (error.status_code, error.code) == (404, "not_found")
    assert error.details == {"id": "asst_missing"}
    assert "asst_missing" in error.message


async def test_bad_request_carries_field_details(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)

    with pytest.raises(BadRequestError) as raised:
        await call(client.assistants.create, name="Bad", prompt="p", voice="robot")

    assert (raised.value.status_code, raised.value.code) == (400, "bad_request")
    assert [detail["field"] for detail in raised.value.details] == ["voice"]
    assert client.sleeps == []  # a 400 is never retried


async def test_conflict_on_duplicate_number(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)

    with pytest.raises(ConflictError) as raised:
        await call(client.numbers.register, SANDBOX_NUMBER)

    assert raised.value.code == "conflict"


async def test_unknown_key_is_unauthenticated(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key="rl_not_a_real_key", base_url=ringline_url)

    with pytest.raises(AuthenticationError) as raised:
        await call(client.assistants.list)

    assert (raised.value.status_code, raised.value.code) == (401, "unauthorized")


async def test_read_key_may_not_write(connect: Connect, ringline_url: str) -> None:
    admin = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    read_key = await call(admin.keys.create, name="dashboard", scope="read")
    reader = connect(api_key=read_key.key, base_url=ringline_url)

    assert (await call(reader.assistants.list)).assistants is not None
    with pytest.raises(PermissionDeniedError) as raised:
        await call(reader.assistants.create, name="Nope", prompt="p")

    assert (raised.value.status_code, raised.value.code) == (403, "forbidden")
    assert raised.value.details == {"key_scope": "read", "required_scope": "write"}


async def test_rate_limit_maps_to_rate_limit_error(connect: Connect, tmp_path) -> None:
    settings = server_settings(tmp_path, rate_limit="2/minute")
    with serve_in_thread(settings) as url:
        client = connect(api_key=ADMIN_KEY, base_url=url, max_retries=0)
        for _ in range(2):
            await call(client.voices.list)
        with pytest.raises(RateLimitError) as raised:
            await call(client.voices.list)

    assert raised.value.code == "rate_limited"
    assert raised.value.retry_after is not None and 0 < raised.value.retry_after <= 60


async def test_calls_lifecycle(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    assistant = await call(client.assistants.create, name="Caller", prompt="Remind politely.")
    key = f"order-{uuid.uuid4()}"

    made = await call(
        client.calls.create_outbound,
        assistant_id=assistant.id,
        to_number="+919876543210",
        from_number=SANDBOX_NUMBER,
        dynamic_variables={"customer_name": "Rahul"},
        idempotency_key=key,
    )
    again = await call(
        client.calls.create_outbound,
        assistant_id=assistant.id,
        to_number="+919876543210",
        from_number=SANDBOX_NUMBER,
        dynamic_variables={"customer_name": "Rahul"},
        idempotency_key=key,
    )
    status = await call(client.calls.status, made.call_id)
    transcript = await call(client.calls.transcript, made.call_id)
    ended = await call(client.calls.end, made.call_id)

    assert made.call_id.startswith("call_") and made.status == "initiated"
    assert again.call_id == made.call_id
    assert (status.call_id, status.assistant_id) == (made.call_id, assistant.id)
    assert transcript.call_id == made.call_id and isinstance(transcript.transcript, list)
    assert ended.call_id == made.call_id and ended.ended_at is not None
    with pytest.raises(NotFoundError):
        await call(client.calls.status, "call_missing")


async def test_calls_take_their_options(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    assistant = await call(client.assistants.create, name="Options", prompt="Remind politely.")
    at = datetime.now(UTC) + timedelta(days=1)

    made = await call(
        client.calls.create_outbound,
        assistant_id=assistant.id,
        to_number="+919876543219",
        from_number=SANDBOX_NUMBER,
        scheduled_at=at,
        max_duration_seconds=120,
        idle_timeout_seconds=20,
        retry={"max_retries": 2, "delay_seconds": 900},
    )
    status = await call(client.calls.status, made.call_id)
    await call(client.calls.end, made.call_id)

    assert status.status == "initiated" and status.attempt == 1 and status.retry_of is None
    assert status.scheduled_at is not None and abs(status.scheduled_at - at) < timedelta(seconds=1)


async def test_webhooks_create_list_delete_live(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)

    made = await call(
        client.webhooks.create, "https://crm.example.com/ringline", ["campaign.completed"]
    )
    chosen = await call(
        client.webhooks.create,
        "https://crm.example.com/other",
        ["campaign.completed"],
        secret="optional-signing-secret",
    )
    listed = await call(client.webhooks.list)
    for hook in (made, chosen):
        assert await call(client.webhooks.delete, hook.id) is None

    assert made.id.startswith("wh_") and (made.secret or "").startswith("whsec_")
    assert chosen.secret == "optional-signing-secret"
    assert {made.id, chosen.id} <= {hook.id for hook in listed.webhooks}
    remaining = await call(client.webhooks.list)
    assert not {made.id, chosen.id} & {hook.id for hook in remaining.webhooks}
    with pytest.raises(BadRequestError):
        await call(client.webhooks.create, "https://crm.example.com/x", ["call.exploded"])


async def test_webcall_token_live(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    assistant = await call(
        client.assistants.create,
        name="Web",
        prompt="Help visitors.",
        allowed_origins=["https://example.com"],
    )
    visitor = {"name": "Website Visitor", "page_url": "https://example.com/pricing"}
    before = datetime.now(UTC)

    token = await call(client.webcall.create_token, assistant.id, visitor)
    bare = await call(client.webcall.create_token, assistant.id)

    assert isinstance(token, WebcallToken) and token.token.startswith("wct.")
    assert token.assistant_id == assistant.id and token.token != bare.token
    assert token.expires_at is not None and token.expires_at > before
    assert assistant.allowed_origins == ["https://example.com"]
    with pytest.raises(NotFoundError):
        await call(client.webcall.create_token, "asst_missing")


async def test_webhook_deliveries_redeliver_and_call_url_secret_live(
    connect: Connect, ringline_url: str
) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    hook = await call(client.webhooks.create, "https://crm.example.com/d", ["campaign.completed"])

    deliveries = await call(client.webhooks.deliveries, hook.id, limit=5)
    secret = await call(client.webhooks.call_url_secret)
    again = await call(client.webhooks.call_url_secret)
    await call(client.webhooks.delete, hook.id)

    assert deliveries.deliveries == []  # no event has happened for it yet
    assert secret.secret.startswith("whsec_") and again == secret
    with pytest.raises(NotFoundError):
        await call(client.webhooks.redeliver, hook.id, "msg_missing")
    with pytest.raises(NotFoundError):
        await call(client.webhooks.deliveries, hook.id)


async def test_sandbox_callees_set_list_delete_live(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    number = fresh_number()

    made = await call(
        client.sandbox.set_callee,
        number,
        behaviour={"answer": "busy"},
        persona={"replies": ["Not now."]},
    )
    replaced = await call(client.sandbox.set_callee, number, behaviour={"rings": 2})
    listed = await call(client.sandbox.list_callees)
    assert await call(client.sandbox.delete_callee, number) is None

    assert (made.number, made.behaviour["answer"]) == (number, "busy")
    assert replaced.behaviour["rings"] == 2 and replaced.behaviour["answer"] == "answer"
    assert [c.number for c in listed.callees].count(number) == 1
    remaining = await call(client.sandbox.list_callees)
    assert number not in {c.number for c in remaining.callees}
    with pytest.raises(BadRequestError):
        await call(client.sandbox.set_callee, number, behaviour={"answer": "maybe"})
    with pytest.raises(NotFoundError):
        await call(client.sandbox.delete_callee, number)


async def test_history_and_analytics_live(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    assistant = await call(client.assistants.create, name="History", prompt="Be brief.")
    placed = []
    for _ in range(3):
        made = await call(
            client.calls.create_outbound,
            assistant_id=assistant.id,
            to_number=fresh_number(),
            from_number=SANDBOX_NUMBER,
        )
        await call(client.calls.end, made.call_id)  # cancelled before it rings: ends failed
        placed.append(made.call_id)

    page = await call(client.calls.history, limit=2, assistant_id=assistant.id)
    every = await collect(client.calls.iter_history(page_size=2, assistant_id=assistant.id))
    stats = await call(client.analytics.get, assistant_id=assistant.id)

    assert page.total == 3 and [c.call_id for c in page.calls] == placed[::-1][:2]
    assert [c.call_id for c in every] == placed[::-1]
    assert all(c.assistant_id == assistant.id for c in every)
    assert (stats.total_calls, stats.failed, stats.completed) == (3, 3, 0)
    with pytest.raises(BadRequestError):
        await call(client.calls.history, limit=101)


async def test_history_and_analytics_filters_by_source_and_campaign_live(
    connect: Connect, ringline_url: str
) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    assistant = await call(client.assistants.create, name="Filters", prompt="Be brief.")
    made = await call(
        client.calls.create_outbound,
        assistant_id=assistant.id,
        to_number=fresh_number(),
        from_number=SANDBOX_NUMBER,
    )
    await call(client.calls.end, made.call_id)

    phone = await call(client.calls.history, assistant_id=assistant.id, source="phone")
    web = await call(client.calls.history, assistant_id=assistant.id, source="web")
    outside = await collect(
        client.calls.iter_history(assistant_id=assistant.id, campaign_id="camp_none")
    )
    grouped = await call(client.analytics.get, assistant_id=assistant.id, group_by="campaign")

    assert [c.call_id for c in phone.calls] == [made.call_id] and phone.calls[0].source == "phone"
    assert web.total == 0 and outside == []
    assert grouped.groups is not None and [g.key for g in grouped.groups] == ["none"]
    assert grouped.groups[0].total_calls == 1
    with pytest.raises(BadRequestError):
        await call(client.analytics.get, group_by="hour")
