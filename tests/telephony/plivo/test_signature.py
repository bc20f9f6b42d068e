"""Plivo's signature V3 as ringline checks it, against the fake's reading of the docs."""

import pytest

from ringline.telephony.plivo.signature import valid_signature
from tests.telephony.fake_plivo import signature_v3

TOKEN = "MjY0ZDY5NTVkNDkxNmE0ZDEwNDBhZWM1Y2I2YzQ3"
PARAMS = {"CallUUID": "b1a2", "CallStatus": "in-progress", "From": "14155550100"}


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("https://r.example.com/carriers/plivo/callback?event=answer&call_id=call_1", PARAMS),
        ("https://r.example.com/carriers/plivo/inbound", PARAMS),
        ("https://r.example.com/carriers/plivo/callback?call_id=call_1", {}),
        ("https://r.example.com/carriers/plivo/inbound", {}),
    ],
)
def test_what_plivo_signs_verifies(url, params):
    signed = signature_v3(TOKEN, url, params, "nonce123")
    pairs = list(params.items())

    assert valid_signature(TOKEN, url, pairs, "nonce123", signed)
    assert valid_signature(TOKEN, url, pairs, "nonce123", f"other,{signed}")  # a list of them
    assert not valid_signature(TOKEN, url, pairs, "nonce124", signed)
    assert not valid_signature("x" + TOKEN[1:], url, pairs, "nonce123", signed)
    assert not valid_signature(TOKEN, url + "x", pairs, "nonce123", signed)
    assert not valid_signature(TOKEN, url, [*pairs, ("Extra", "1")], "nonce123", signed)
    assert not valid_signature(TOKEN, url, pairs, "", signed)
