"""Keyword rules that read the customer's stated position from a transcript.

Measured on the labelled calls in ``tests/voice/data``, these rules beat every way of
asking the bundled 135M-parameter model, so they decide first and the model only
breaks ties the rules leave open. Only the customer's words count: the agent's pitch
is full of "interested" and "call back".
"""

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ringline.outcomes.types import Utterance


class Signal(enum.Enum):
    AGREE = "agree"
    REFUSE = "refuse"
    CALLBACK = "callback"
    WRONG_NUMBER = "wrong_number"
    BAD_LINE = "bad_line"
    PAID = "paid"
    DISPUTE = "dispute"
    PRAISE = "praise"
    COMPLAINT = "complaint"
    SILENT = "silent"


@dataclass(frozen=True)
class Finding:
    signal: Signal
    quote: str  # the customer's sentence that carries the signal, verbatim


@dataclass(frozen=True)
class _Rule:
    signal: Signal
    pattern: re.Pattern[str]
    negated: Signal | None  # what a negation in front of the match turns it into


def _rule(signal: Signal, words: str, negated: Signal | None = None) -> _Rule:
    return _Rule(signal, re.compile(rf"\b(?:{words})\b"), negated)


_ACTION = (
    r"renew|buy|take|start|proceed|go ahead|invest|upgrade|pay|book|apply|join|enrol|enroll|"
    r"continue|sign up"
)
_LATER = (
    r"back|later|again later|tomorrow|after|on|in|at|around|next|tonight|"
    r"in the (?:morning|afternoon|evening)"
)

# Each rule may fire anywhere in a sentence; ``_TURN_PRECEDENCE`` settles a turn that
# says several things.
_RULES = (
    _rule(
        Signal.WRONG_NUMBER,
        r"wrong number|wrong person|no one by that name|"
        r"nobody by that name|no (?:\w+ )?(?:by that name|here by that name)|"
        r"there is no \w+ here|no \w+ lives here",
    ),
    _rule(
        Signal.DISPUTE,
        r"never took|never taken|never applied|not my (?:loan|card|account)|"
        r"amount is wrong|wrong amount|incorrect amount|ombudsman|fraud",
    ),
    _rule(Signal.PAID, r"already paid|have paid|i paid|paid it|paid (?:on|yesterday|last)"),
    _rule(
        Signal.REFUSE,
        r"stop calling|remove my number|do not call|don't call|dont call|"
        r"never call|not interested|no need|no thanks|no thank you|not required|"
        r"no requirement|don't need|dont need|do not need|don't want|do not want|"
        r"not for me|leave it|we'll pass|i'll pass|let it lapse|not renewing|"
        r"not going to (?:renew|buy|take)|won't be (?:renewing|taking|buying)|"
        r"will not (?:renew|buy|take)|already (?:renewed|bought|taken|have)|"
        r"happy with (?:my|our) (?:current|existing|present)|sold the|closed (?:the|that|my)",
    ),
    _rule(
        Signal.CALLBACK,
        rf"call (?:me |us )?(?:{_LATER})|ring me|call back|callback|"
        r"busy (?:right )?now|(?:can't|cannot|can not) talk|not a good time|in a meeting|"
        r"i'm driving|i am driving|let me think|talk later|speak later|some other time",
        negated=Signal.REFUSE,
    ),
    _rule(
        Signal.AGREE,
        rf"interested|sounds good|sign me up|go ahead|(?:want|like|ready) to "
        rf"(?:{_ACTION})|i(?:'ll| will| shall) (?:{_ACTION})|book it|send (?:me )?(?:the )?"
        r"(?:link|details|form|brochure|payment link|kyc link|quote)|please (?:renew|add|book|"
        r"upgrade|proceed)|yes please|that works|renew it|upgrade me|let us go ahead|"
        r"let's go ahead|let's do it|let us do it|let's do (?:the|this) \w+|add it|count me in",
        negated=Signal.REFUSE,
    ),
    _rule(
        Signal.BAD_LINE,
        r"can't hear|cannot hear|not audible|network is|signal is|"
        r"voice is breaking|line is breaking|"
        # No common language is a line that cannot carry the call, not a refusal.
        r"(?:don't|do not|can't|cannot) (?:speak|understand) english|only speak \w+",
    ),
    _rule(
        Signal.COMPLAINT,
        r"worst|terrible|pathetic|never came|nobody called|no one called|"
        r"very bad|not happy|disappointed|not satisfied",
    ),
    _rule(
        Signal.PRAISE,
        r"very happy|good service|excellent|satisfied|very good|great service|"
        r"works? (?:fine|nicely|well)|working (?:fine|nicely|well)",
    ),
)

_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "don't",
        "dont",
        "won't",
        "wont",
        "can't",
        "cannot",
        "isn't",
        "aren't",
        "doesn't",
        "didn't",
        "nahi",
        "nahin",
        "neither",
        "nor",
    ]
)
_NEGATION_WINDOW = 3  # words before a match that can negate it ("not at all interested")
_WHOLE_TURN_WORDS = 30
_SENTENCE = re.compile(r"[^.?!;]+[.?!;]*")
# Within one turn a request to call later outranks agreement or refusal
# ("interested, but I can't talk now"), and the facts of a wrong number, a payment or a
# dispute outrank everything else said around them.
_TURN_PRECEDENCE = (
    Signal.WRONG_NUMBER,
    Signal.DISPUTE,
    Signal.PAID,
    Signal.CALLBACK,
    Signal.REFUSE,
    Signal.AGREE,
    Signal.BAD_LINE,
    Signal.COMPLAINT,
    Signal.PRAISE,
)


def read_position(turns: Sequence[Utterance]) -> Finding | None:
    """The customer's last stated position, or ``SILENT`` when the customer said nothing."""
    spoken = [t.text for t in turns if t.role == "customer" and t.text.strip()]
    if not spoken:
        return Finding(Signal.SILENT, "")
    for text in reversed(spoken):
        finding = _turn_signal(text)
        if finding is not None:
            return finding
    return None


def _turn_signal(text: str) -> Finding | None:
    findings = [f for sentence in _SENTENCE.findall(text) for f in _sentence_signals(sentence)]
    for signal in _TURN_PRECEDENCE:
        for finding in findings:
            if finding.signal is signal:
                return _with_context(finding, text)
    return None


def _with_context(finding: Finding, text: str) -> Finding:
    # A short turn reads better quoted whole: "Yes, but I'm driving. Call me back later."
    if len(text.split()) <= _WHOLE_TURN_WORDS:
        return Finding(finding.signal, text.strip())
    return finding


def _sentence_signals(sentence: str) -> list[Finding]:
    lowered = sentence.lower().replace("’", "'")
    quote = sentence.strip()
    found = []
    for rule in _RULES:
        for match in rule.pattern.finditer(lowered):
            signal = rule.signal
            if rule.negated is not None and negated(lowered[: match.start()]):
                signal = rule.negated
            if signal is Signal.AGREE and quote.endswith("?"):
                continue  # "should I renew it?" asks, it does not agree
            found.append(Finding(signal, quote))
    return found


def negated(before: str) -> bool:
    # A negation's scope ends at a comma: "no problem, go ahead" and "why not, sounds good".
    clause = re.split(r"[,:]", before)[-1]
    words = re.findall(r"[a-z']+", clause)[-_NEGATION_WINDOW:]
    return any(word in _NEGATORS for word in words)
