"""A real sandbox call on the bundled models whose assistant extracts fields: the scripted
callee says its policy number and when to call back, and the finished call holds both."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.e2e.test_calls import TERMINAL, api, callee, place, wait_for  # noqa: F401

EXTRACTION = {
    "type": "object",
    "properties": {
        "policy_number": {
            "type": "string",
            "pattern": "^[0-9]{6}$",
            "description": "The customer's policy number",
        },
        "callback_time": {
            "type": "string",
            "format": "date-time",
            "description": "When the customer asked to be called back",
        },
        "objection": {"type": "string", "enum": ["price", "timing", "already_insured"]},
    },
}


def test_a_call_extracts_the_policy_number_and_callback_time(api):  # noqa: F811
    body = {
        "name": "Extracting renewals",
        "prompt": "You are Alex from Acme Insurance, calling about a policy renewal. "
        "Answer in one short sentence.",
        "first_message": "Hello, this is Alex from Acme Insurance. "
        "Could you tell me your policy number, please?",
        "extraction": EXTRACTION,
    }
    assistant_id = api.post("/assistants", json=body).raise_for_status().json()["id"]
    replies = [
        "Yes, my policy number is 4 8 2 9 1 3.",
        "I am busy right now. Please call me back tomorrow at 5 pm. Goodbye.",
    ]
    callee(api, "+919812345690", replies, patience_seconds=30)

    call_id = place(api, assistant_id, "+919812345690")
    status = wait_for(api, call_id, TERMINAL)

    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    assert status["status"] == "completed", status
    # The call ended in India (the number's zone): "tomorrow" is the day after there.
    ended = datetime.fromisoformat(status["ended_at"]).astimezone(ZoneInfo("Asia/Kolkata"))
    tomorrow_at_5 = datetime.combine(ended.date() + timedelta(days=1), datetime.min.time())
    tomorrow_at_5 = tomorrow_at_5.replace(hour=17, tzinfo=ended.tzinfo)
    assert status["extracted"] == {
        "policy_number": "482913",
        "callback_time": tomorrow_at_5.isoformat(),
        "objection": "timing",
    }, transcript
    history = api.get("/calls/history", params={"extracted_field": "policy_number"}).json()
    assert [c["call_id"] for c in history["calls"]] == [call_id]
