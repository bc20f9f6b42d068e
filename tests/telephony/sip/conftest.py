"""The SIP tests need SIPp and baresip; each test gets its own started carrier."""

import shutil
from collections.abc import AsyncIterator

import pytest

from tests.telephony.sip.world import SipWorld, sip_world

pytestmark = pytest.mark.skipif(
    shutil.which("sipp") is None or shutil.which("baresip") is None,
    reason="needs SIPp (sip-tester) and baresip: .ci/run installs them",
)


@pytest.fixture
async def world(tmp_path) -> AsyncIterator[SipWorld]:
    async with sip_world(tmp_path) as world:
        yield world
