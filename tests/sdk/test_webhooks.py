"""Webhook verification, and interoperation with the ``standardwebhooks`` package."""

import base64
import json
import time
from datetime import UTC, datetime

import pytest
import standardwebhooks

from ringline.sdk import WebhookVerificationError
from ringline.sdk.webhooks import sign, verify

SECRET = "whsec_" + base64.b64encode(b"a 32-byte signing key, for tests").decode()
PAYLOAD = json.dumps({"event": "call.completed", "call_id": "call_xyz789"}).encode()


def signed_headers(
    payload: bytes = PAYLOAD,
    secret: str | bytes = SECRET,
    *,
    msg_id: str = "msg_1",
    timestamp: int | None = None,
) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(payload, secret, msg_id=msg_id, timestamp=timestamp),
    }


def test_verify_returns_the_event() -> None:
    assert verify(PAYLOAD, signed_headers(), SECRET) == {
        "event": "call.completed",
        "call_id": "call_xyz789",
    }


def test_header_names_are_case_insensitive() -> None:
    headers = {name.title(): value for name, value in signed_headers().items()}

    assert verify(PAYLOAD.decode(), headers, SECRET)["call_id"] == "call_xyz789"


def test_any_matching_v1_signature_passes() -> None:
    headers = signed_headers()
    other = sign(
        PAYLOAD,
        "whsec_" + base64.b64encode(b"rotated").decode(),
        msg_id="msg_1",
        timestamp=int(headers["webhook-timestamp"]),
    )
    headers["webhook-signature"] = f"v1a,ZmFrZQ== {other} v1,!!! {headers['webhook-signature']}"

    assert verify(PAYLOAD, headers, SECRET)["event"] == "call.completed"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda h: h.update({"webhook-signature": "v1," + base64.b64encode(b"x" * 32).decode()}),
            "no signature",
        ),
        (lambda h: h.update({"webhook-id": "msg_2"}), "no signature"),
        (lambda h: h.pop("webhook-signature"), "missing header webhook-signature"),
        (lambda h: h.pop("webhook-id"), "missing header webhook-id"),
        (lambda h: h.update({"webhook-timestamp": "soon"}), "not Unix seconds"),
    ],
    ids=["forged", "other-id", "no-signature", "no-id", "bad-timestamp"],
)
def test_tampered_headers_fail(change, problem: str) -> None:
    headers = signed_headers()
    change(headers)

    with pytest.raises(WebhookVerificationError, match=problem):
        verify(PAYLOAD, headers, SECRET)


def test_changed_body_fails() -> None:
    with pytest.raises(WebhookVerificationError):
        verify(PAYLOAD.replace(b"completed", b"failed"), signed_headers(), SECRET)


def test_wrong_secret_fails() -> None:
    with pytest.raises(WebhookVerificationError):
        verify(PAYLOAD, signed_headers(), "whsec_" + base64.b64encode(b"other").decode())


@pytest.mark.parametrize(("offset", "problem"), [(-301, "too old"), (301, "future")])
def test_timestamp_outside_tolerance_fails(offset: int, problem: str) -> None:
    now = time.time()
    headers = signed_headers(timestamp=int(now) + offset)

    with pytest.raises(WebhookVerificationError, match=problem):
        verify(PAYLOAD, headers, SECRET, now=now)
    assert verify(PAYLOAD, headers, SECRET, now=now + offset)  # fine where the clock agrees


def test_signed_non_object_fails() -> None:
    with pytest.raises(WebhookVerificationError, match="not a JSON object"):
        verify(b"[1]", signed_headers(b"[1]"), SECRET)


def test_plain_string_secret_is_its_own_bytes() -> None:
    headers = signed_headers(secret="optional-signing-secret")

    assert verify(PAYLOAD, headers, b"optional-signing-secret")
    with pytest.raises(WebhookVerificationError):
        verify(PAYLOAD, headers, "whsec_" + base64.b64encode(b"optional").decode())


@pytest.mark.parametrize("secret", ["", "whsec_", "whsec_not*base64"])
def test_unusable_secret(secret: str) -> None:
    with pytest.raises(ValueError):
        verify(PAYLOAD, signed_headers(secret="x"), secret)


def package_headers(wh: standardwebhooks.Webhook, msg_id: str = "msg_9") -> dict[str, str]:
    now = datetime.now(tz=UTC)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": wh.sign(msg_id, now, PAYLOAD.decode()),
    }


def test_verifies_what_the_package_signs() -> None:
    headers = package_headers(standardwebhooks.Webhook(SECRET))

    assert verify(PAYLOAD, headers, SECRET)["call_id"] == "call_xyz789"


def test_package_verifies_what_the_sdk_signs() -> None:
    wh = standardwebhooks.Webhook(SECRET)

    assert wh.verify(PAYLOAD, signed_headers(msg_id="msg_3")) == json.loads(PAYLOAD)


def test_plain_secret_matches_package_with_raw_bytes() -> None:
    wh = standardwebhooks.Webhook(b"optional-signing-secret")

    assert verify(PAYLOAD, package_headers(wh), "optional-signing-secret")
    assert wh.verify(PAYLOAD, signed_headers(secret="optional-signing-secret"))


def test_unpadded_whsec_secret_matches_package() -> None:
    unpadded = "whsec_" + base64.b64encode(b"a key whose base64 is padded").decode().rstrip("=")
    wh = standardwebhooks.Webhook(unpadded)

    assert verify(PAYLOAD, package_headers(wh), unpadded)
