import asyncio
import uuid

import pytest

from ringline.errors import RateLimited
from ringline.ratelimit import RateLimiter
from tests.conftest import KeyMaker, make_settings
from tests.fixtures.database import unavailable


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path, rate_limit="3/5 seconds")


async def test_requests_over_the_limit_get_429_with_retry_after_and_reset(
    client, make_key: KeyMaker
):
    headers = (await make_key()).headers

    first = [await client.get("/v1/assistants", headers=headers) for _ in range(3)]
    limited = await client.get("/v1/assistants", headers=headers)

    assert [r.status_code for r in first] == [200, 200, 200]
    assert [r.headers["RateLimit-Remaining"] for r in first] == ["2", "1", "0"]
    assert first[0].headers["RateLimit-Limit"] == "3"
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    retry_after = int(limited.headers["Retry-After"])
    assert 1 <= retry_after <= 5
    assert limited.headers["RateLimit-Remaining"] == "0"

    await asyncio.sleep(retry_after + 0.1)
    assert (await client.get("/v1/assistants", headers=headers)).status_code == 200


async def test_each_key_has_its_own_budget(client, make_key: KeyMaker):
    busy, quiet = (await make_key()).headers, (await make_key()).headers
    for _ in range(4):
        await client.get("/v1/voices", headers=busy)

    assert (await client.get("/v1/voices", headers=busy)).status_code == 429
    assert (await client.get("/v1/voices", headers=quiet)).status_code == 200


async def test_redis_storage_shares_the_limit_between_processes():
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", 6379), 2)
        writer.write(b"PING\r\n")
        assert await asyncio.wait_for(reader.readline(), 2) == b"+PONG\r\n"
        writer.close()
    except OSError as exc:
        unavailable("Redis", exc)
    storage = "redis://127.0.0.1:6379"
    first, second = RateLimiter("5/minute", storage), RateLimiter("5/minute", storage)
    key = f"key_{uuid.uuid4().hex}"

    for limiter in [first, second, first, second, first]:
        await limiter.hit(key)

    with pytest.raises(RateLimited):
        await second.hit(key)
