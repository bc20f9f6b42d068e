"""URL checks and address pinning; every host here is an IP literal or localhost."""

import pytest

from ringline.webhooks.safety import UnsafeUrl, pin, refuse_private


async def test_an_attempt_connects_to_the_checked_address_keeping_host_and_sni():
    target = await pin("https://93.184.215.14:8443/hook?x=1", allow_private=False)

    assert target.url == "https://93.184.215.14:8443/hook?x=1"
    assert target.headers == {"Host": "93.184.215.14:8443"}
    assert target.extensions == {"sni_hostname": "93.184.215.14"}


async def test_credentials_and_ipv6_literals_survive_pinning():
    target = await pin("http://user:pw@[2606:2800:220:1::1]/hook", allow_private=False)

    assert target.url == "http://user:pw@[2606:2800:220:1::1]/hook"
    assert target.headers == {"Host": "[2606:2800:220:1::1]"}
    assert target.extensions == {}


@pytest.mark.parametrize("url", ["http://localhost/x", "http://100.64.0.1/x", "http://[fd00::1]/x"])
async def test_non_public_hosts_are_refused_unless_allowed(url):
    with pytest.raises(UnsafeUrl, match="non-public address"):
        await pin(url, allow_private=False)
    with pytest.raises(UnsafeUrl):
        await refuse_private(url)

    assert (await pin(url, allow_private=True)).url == url


async def test_a_name_that_does_not_resolve_yet_is_accepted_at_registration():
    await refuse_private("https://hooks.ringline-test.invalid/x")

    with pytest.raises(OSError):
        await pin("https://hooks.ringline-test.invalid/x", allow_private=False)
