"""SIP response codes onto the call lifecycle."""

from dataclasses import dataclass

# Early media (183) means the far end's network is alerting the callee, like 180.
RINGING = frozenset({180, 183})
BUSY = frozenset({486, 600, 603})
NO_ANSWER = frozenset({408, 480, 487})


@dataclass(frozen=True)
class Unanswered:
    """How a call that got a final non-2xx response ended: a lifecycle status and why."""

    status: str  # "busy", "no-answer" or "failed"
    reason: str


def unanswered(code: int, reason_phrase: str) -> Unanswered:
    if code in BUSY:
        return Unanswered("busy", f"the line was busy (SIP {code})")
    if code in NO_ANSWER:
        return Unanswered("no-answer", f"nobody answered (SIP {code})")
    return Unanswered("failed", f"SIP {code} {reason_phrase}".strip())
