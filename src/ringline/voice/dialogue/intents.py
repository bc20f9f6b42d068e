"""What the customer did in one turn: rules first, embedding similarity only where no rule
decides. The rules know negation: "not interested" declines, "I'm not busy" does not."""

import re
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ringline.voice.dialogue.embedding import Embedder
from ringline.voice.dialogue.text import words


class Intent(StrEnum):
    AGREE = "agree"
    DECLINE = "decline"
    QUESTION = "question"
    CALLBACK = "callback"
    WRONG_PERSON = "wrong_person"
    GOODBYE = "goodbye"
    UNCLEAR = "unclear"  # nothing said, or nothing that can be made out
    BACKCHANNEL = "backchannel"  # "mm-hmm", "okay": listening, not answering
    GREETING = "greeting"  # "Hello?"
    REPEAT = "repeat"  # "Sorry, what?"
    STATEMENT = "statement"  # says something none of the above


@dataclass(frozen=True)
class Recognised:
    intent: Intent
    by_rule: bool
    when: str = ""  # for a call back: "tomorrow", "after 5", as the customer put it


def _any(*phrases: str) -> re.Pattern[str]:
    # (?!\w) rather than \b: some phrases end in punctuation or at the end of the turn.
    return re.compile(r"\b(?:" + "|".join(phrases) + r")(?!\w)")


# "no" is not among them: "no problem, go ahead" agrees.
_NEGATORS = frozenset({"not", "never", "cannot", "dont"})
_NEGATED_SUFFIX = "n't"

_WRONG_PERSON = _any(
    r"wrong (?:number|person)",
    r"no one (?:here )?(?:by|with|called) that name",
    r"nobody (?:here )?(?:by|with|called) that name",
    r"(?:there is|there's) no \w+ here",
    r"(?:i am|i'm|this is|it's) not (?:him|her|the one)",
    r"(?:this is|i'm|i am) (?:his|her|their) (?:wife|husband|son|daughter|mother|father|"
    r"brother|sister|friend|colleague|neighbour|neighbor)",
    r"(?:he|she)(?:'s| is) not (?:at )?(?:here|home|available|in)",
    r"(?:he|she) (?:isn't|is not) (?:at )?(?:here|home|available|in)",
    r"you have the wrong",
    r"don't know (?:any|anyone|anybody|a|who)",
    r"never heard of (?:him|her|them)",
    r"(?:he|she) (?:doesn't|does not) live here",
    r"not the person",
)
_GOODBYE = _any(
    r"bye",
    r"goodbye",
    r"good bye",
    r"bye bye",
    r"have to go",
    r"got to go",
    r"gotta go",
    r"hang(?:ing)? up",
    r"take care",
    r"that's all",
    r"that is all",
    r"that's it",
    r"nothing else",
    r"good night",
)
_CALLBACK = _any(
    r"call (?:me |us )?(?:back|later|again|tomorrow|another|some other|in the|next|after|on)",
    r"(?:ring|phone) (?:me )?(?:back|later)",
    r"busy",
    r"in a meeting",
    r"driving",
    r"at work",
    r"can't talk",
    r"cannot talk",
    r"can't speak",
    r"(?:not|isn't) a good time",
    r"bad time",
    r"not now",
    r"not right now",
    r"another time",
    r"some other time",
    r"later",
    r"no time",
    r"get back to you",
    r"try (?:me |us |again )?(?:later|tomorrow|next|another|some other|in the)",
    r"think (?:about it|it over)",
    r"let me (?:think|check|discuss)",
)
_DECLINE = _any(
    r"not interested",
    r"no thanks?",
    r"no thank you",
    r"don't want",
    r"do not want",
    r"don't need",
    r"do not need",
    r"not for me",
    r"i'll pass",
    r"i will pass",
    r"not renewing",
    r"won't renew",
    r"will not renew",
    r"don't call",
    r"do not call",
    r"stop calling",
    r"remove (?:me|my number)",
    r"never call",
    r"not going to",
    r"no way",
    r"nope",
    r"not at all",
    r"rather not",
    r"too expensive",
    r"too costly",
    r"(?:way|far) too much",
    r"too much for (?:me|us)",
    r"i (?:don't|do not|never) use (?:it|them|one|any|a|an|credit cards?)",
    r"can't afford",
    r"cannot afford",
    r"already have (?:one|it|a|an|insurance|another|the)",
    r"i decline",
    r"cancel it",
    r"leave me alone",
    r"not today",
    r"skip it",
    r"not this (?:year|time)",
    r"(?:of course|definitely|absolutely|certainly) not",
)
_AGREE = _any(
    r"yes",
    r"yeah",
    r"yep",
    r"yup",
    r"sure",
    r"of course",
    r"go ahead",
    r"speaking",
    r"that's me",
    r"this is (?:he|she|him|her)",
    r"it's me",
    r"interested",
    r"sounds good",
    r"please do",
    r"please go ahead",
    r"i'd like",
    r"i would like",
    r"let's do",
    r"let's go",
    r"absolutely",
    r"definitely",
    r"correct",
    r"that's right",
    r"i agree",
    r"agreed",
    r"do it",
    r"i'll do",
    r"renew it",
    r"go for it",
    r"why not",
    r"fine",
    r"perfect",
    r"great",
    r"i have (?:a few|some|a) (?:minutes?|time|moment)",
    r"i can talk",
    r"haan",
    r"ha ji",
    r"theek hai",
    r"^[a-z]+ here[.!]?$",
)
_FILLERS = frozenset({"uh", "um", "er", "erm", "ah", "eh", "hm"})
_UNSURE = _any(r"not sure", r"don't know", r"do not know", r"maybe", r"i guess", r"perhaps")
# "Tell me about the fee" asks; a bare "Yes, tell me." invites the agent to go on.
_QUESTION_START = re.compile(
    r"^(?:(?:so|and|but|okay|ok|yes|yeah|no|well|sorry|hmm|um|uh)[,. ]+)*(?:what|what's|whats|"
    r"how|how's|when|where|which|who|whom|whose|why|is|are|was|were|do|does|did|can|could|will|"
    r"would|should|shall|may|have|has|tell me(?= \w)|explain(?= \w)|i want to know|"
    r"i'd like to know|i would like to know|i wanted to know|any idea|how much|what about)\b"
)
_REPEAT = _any(
    r"sorry\??$",
    r"pardon",
    r"come again",
    r"say (?:that )?again",
    r"repeat (?:that|it)",
    r"didn't (?:catch|get|hear) (?:that|you)",
    r"what\?$",
    r"(?<!uh-)(?<!uh )huh",
    r"(?:could not|couldn't|did not|didn't) hear",
    r"^what[?!.]?$",
    r"can't hear",
    r"cannot hear",
)
_GREETING = _any(
    r"hello", r"hi", r"hey", r"hallo", r"good (?:morning|afternoon|evening)", r"namaste"
)
_BACKCHANNEL = _any(
    r"mm+(?:[- ]?hmm+)?",
    r"hmm+",
    r"uh[- ]?huh",
    r"i see",
    r"okay",
    r"ok",
    r"alright",
    r"all right",
    r"got it",
    r"understood",
    r"oh",
    r"ah",
    r"achha",
    r"accha",
    r"right",
    r"thanks",
    r"thank you",
)
_WHEN = re.compile(
    r"\b((?:tomorrow|tonight|today|next week|next month|on \w+day|this (?:evening|afternoon|"
    r"weekend)|in (?:an|a|one|two|\d+) (?:hour|hours|minutes|days|weeks)|after \d+(?: ?[ap]m)?|"
    r"at \d+(?::\d+)?(?: ?[ap]\.?m\.?)?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"in the (?:morning|afternoon|evening))"
    r"(?:\s+(?:morning|afternoon|evening|at \d+(?: ?[ap]m)?))?)\b"
)

# Examples for the tie-breaker, phrased as customers phrase them.
EXAMPLES: dict[Intent, tuple[str, ...]] = {
    Intent.AGREE: ("Yes, that works for me.", "Okay, let's go ahead with it.", "Sure, I'm in."),
    Intent.DECLINE: (
        "No, I don't want this.",
        "I'm not interested in renewing.",
        "Please don't bother me with this.",
    ),
    Intent.CALLBACK: ("Can you call me some other time?", "I'm busy right now, try later."),
    Intent.WRONG_PERSON: ("You have the wrong number.", "There is nobody here by that name."),
    Intent.GOODBYE: ("Thanks, bye.", "I have to go now, goodbye."),
    Intent.QUESTION: ("I wanted to ask something about the plan.", "Can you tell me more?"),
}
_TIE_BREAK_MARGIN = 0.015


def _negated(tokens: list[str], start: int) -> bool:
    """Whether one of the three words before ``start`` negates what follows."""
    before = tokens[max(0, start - 3) : start]
    return any(t in _NEGATORS or t.endswith(_NEGATED_SUFFIX) for t in before)


def _hit(pattern: re.Pattern[str], text: str, *, negation_aware: bool = True) -> bool:
    for match in pattern.finditer(text):
        if not negation_aware:
            return True
        # Only the same clause can negate: "I'm not busy, go ahead" agrees.
        tokens = words(re.split(r"[,.;!?]", text[: match.start()])[-1])
        if not _negated(tokens, len(tokens)):
            return True
    return False


# Speech-to-text drops apostrophes now and then: "dont", "im", "cant".
_CONTRACTIONS = {
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "im": "i'm",
    "isnt": "isn't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "thats": "that's",
}
_BARE_WORD = re.compile(r"\b(" + "|".join(_CONTRACTIONS) + r")\b")


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").strip()
    text = _BARE_WORD.sub(lambda m: _CONTRACTIONS[m.group(1)], text)
    return re.sub(r"\s+", " ", text)


def recognise_by_rules(text: str) -> Intent | None:
    """The intent the rules find, in order of what must win when several match."""
    said = normalise(text)
    tokens = words(said)
    if not tokens or set(tokens) <= _FILLERS:
        return Intent.UNCLEAR
    if _hit(_WRONG_PERSON, said, negation_aware=False):
        return Intent.WRONG_PERSON
    if _hit(_GOODBYE, said):
        return Intent.GOODBYE
    if _hit(_DECLINE, said, negation_aware=False):
        return Intent.DECLINE
    if _hit(_CALLBACK, said, negation_aware=False) and not _not_busy(said):
        return Intent.CALLBACK
    if _hit(_REPEAT, said, negation_aware=False) and len(tokens) <= 6:
        return Intent.REPEAT
    if said.endswith("?") and len(tokens) <= 2 and _hit(_GREETING, said):
        return Intent.GREETING
    if "can you hear me" in said and len(tokens) <= 6:
        return Intent.GREETING
    if said.endswith("?") or _QUESTION_START.match(said):
        return Intent.QUESTION
    if _hit(_UNSURE, said, negation_aware=False):
        return Intent.STATEMENT  # hesitating: neither a yes nor a no
    if _hit(_AGREE, said):
        return Intent.AGREE
    if tokens[0] in {"no", "nah", "nahi", "nahin"}:
        return Intent.DECLINE
    if _hit(_GREETING, said) and len(tokens) <= 4:
        return Intent.GREETING
    if _hit(_BACKCHANNEL, said) and len(tokens) <= 3:
        return Intent.BACKCHANNEL
    return None


def _not_busy(said: str) -> bool:
    """ "I'm not busy" and "no, now is fine" are not requests to call back."""
    return bool(re.search(r"\b(?:not|never|isn't|wasn't) (?:too |that |very )?busy\b", said)) or (
        bool(re.search(r"\bnow is (?:fine|good|okay|ok)\b", said))
    )


class IntentRecogniser:
    """Rules first; where none decides, the closest example wins if it wins clearly."""

    def __init__(self, embedder: Embedder | None, customer_name: str = "") -> None:
        self._embedder = embedder
        # "This is not Rahul", "I'm not Rahul": only the customer's own name makes it a
        # wrong person ("I'm not sure" does not).
        name = re.escape(customer_name.lower())
        away = r"(?:is not|isn't|'s not) (?:at )?(?:here|home|available|in)\b"
        self._not_them = (
            re.compile(rf"\b(?:not|isn't) {name}\b|\b{name}(?: |'s )?{away}")
            if customer_name
            else None
        )
        self._labels: list[Intent] = []
        self._vectors: np.ndarray | None = None

    def recognise(self, text: str) -> Recognised:
        when = _when(text)
        if self._not_them is not None and self._not_them.search(normalise(text)):
            return Recognised(Intent.WRONG_PERSON, by_rule=True)
        ruled = recognise_by_rules(text)
        if ruled is not None:
            return Recognised(ruled, by_rule=True, when=when)
        return Recognised(self._closest(text), by_rule=False, when=when)

    def _closest(self, text: str) -> Intent:
        if self._embedder is None:
            return Intent.STATEMENT
        if self._vectors is None:
            self._labels = [i for i, phrases in EXAMPLES.items() for _ in phrases]
            self._vectors = self._embedder.passages([p for ps in EXAMPLES.values() for p in ps])
        scores = self._vectors @ self._embedder.queries([text])[0]
        best = int(np.argmax(scores))
        label = self._labels[best]
        others = [s for s, other in zip(scores, self._labels, strict=True) if other != label]
        if scores[best] - max(others) < _TIE_BREAK_MARGIN:
            return Intent.STATEMENT  # no intent stands out: better to say so than to guess
        return label


def _when(text: str) -> str:
    match = _WHEN.search(normalise(text))
    return match.group(1) if match else ""
