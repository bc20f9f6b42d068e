"""A real sandbox call on the bundled models answers from an attached document: the
callee asks what only the document says, and the agent's reply holds the answer."""

from tests.e2e.test_calls import TERMINAL, api, callee, place, wait_for  # noqa: F401
from tests.e2e.test_dialogue_call import reply_to

PROMPT = (
    "You are Priya from Acme Insurance calling about a health policy renewal. "
    "The renewal costs 12,400 rupees a year. Answer in one short sentence."
)
POLICY = b"""# Policy terms

## Waiting periods

Pre-existing illnesses are covered after a waiting period of three years. Maternity
benefits start after nine months.

## Claims

Cashless claims are settled directly with any of our 9,000 network hospitals. For a
reimbursement claim, send the bills within 30 days of discharge.
"""


def test_a_question_is_answered_from_an_attached_document(api):  # noqa: F811
    body = {"name": "Renewal with documents", "prompt": PROMPT, "first_message": ""}
    assistant_id = api.post("/assistants", json=body).raise_for_status().json()["id"]
    files = {"file": ("policy.md", POLICY, "text/markdown")}
    document = api.post("/documents/upload", files=files).raise_for_status().json()
    api.put(
        f"/assistants/{assistant_id}/documents", json={"document_ids": [document["id"]]}
    ).raise_for_status()
    replies = [
        "Yes, this is Rahul speaking.",
        "What is the waiting period for pre-existing illnesses?",
        "Okay, thank you, goodbye.",
    ]
    callee(api, "+919812345690", replies, patience_seconds=30)

    call_id = place(api, assistant_id, "+919812345690")
    status = wait_for(api, call_id, TERMINAL)

    assert status["status"] == "completed", status
    transcript = api.get(f"/calls/{call_id}/transcript").json()["transcript"]
    assert "three years" in reply_to(transcript, "waiting"), transcript
    assert "three years" not in PROMPT
