"""Reads an assistant's prompt (its variables already filled in) into what the agent may say:
who it is and the factual passages it can answer from. Instructions to the agent ("Answer in
one short sentence.") are not facts and are left out."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ringline.voice.dialogue.text import sentences, spoken

_NAME = r"([A-Z][a-zA-Z'-]+)"
_ORG = r"((?:[A-Z0-9][\w&'.-]*)(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z0-9][\w&'.-]*)*)"
_AGENT = re.compile(
    r"\b(?i:you are|you're|your name is|this is|i am|i'm|act as|speak as)\s+" + _NAME
)
_ORG_AFTER = re.compile(
    r"\b(?i:from|at|with|on behalf of|representing|for|of)\s+(?:the\s+)?" + _ORG
)
_PURPOSE = re.compile(
    r"\b(?:calling|call|reaching out|contacting|phoning|ringing)\b[^.]*?\b(?:about|regarding|"
    r"to discuss|to talk about|to remind \w+ (?:about|of))\s+([^.;!?]+)",
    re.IGNORECASE,
)
_CALLED = re.compile(r"\bcalling\s+" + _NAME + r"(?=[\s,.])")
_NOT_NAMES = frozenset({"A", "An", "The", "About", "From", "On", "For", "To", "Our", "Your"})
_IDENTITY = re.compile(r"^\s*(?:you are|you're|your name is|you work|act as)\b", re.IGNORECASE)
_INSTRUCTION = re.compile(
    r"^\s*(?:answer|be|keep|don't|do not|never|always|ask|try|make sure|respond|reply|speak|"
    r"use|avoid|greet|introduce|remember|stay|sound|say|talk|end|close|offer to|if|when|"
    r"only|please|note|your (?:goal|task|job|role|aim)|the goal|you (?:should|must|need to|"
    r"will|are to|have to))\b",
    re.IGNORECASE,
)
_IF_ASKED = re.compile(
    r"^\s*if (?:they|the customer|the caller|the user|someone|he|she|asked)\s*(?:asks?|want "
    r"to know|wants to know)?\s*(?:about|for|whether|if|what|how|when)?\s*(.+?),\s*(?:say|tell "
    r"(?:them|him|her)|explain|answer|reply|mention|let (?:them|him|her) know)(?: that)?\s+(.+)$",
    re.IGNORECASE,
)
_LABELLED = re.compile(r"^([A-Za-z][\w\s/-]{1,30}):\s+(\S.*)$")
PURPOSE_TOPIC = "why I am calling"
_TITLE_WORDS = {"dr": "Doctor", "prof": "Professor", "mr": "Mister", "mrs": "Missus"}
_TITLES = re.compile(r"\b(Dr|Prof|Mr|Mrs)\.?(?= [A-Z])", re.IGNORECASE)
# A reason for calling that holds a fact of its own: a number, a day, a month.
_HAS_DETAIL = re.compile(
    r"\d|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|"
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b",
    re.IGNORECASE,
)
_CUSTOMER_VARIABLES = ("customer_name", "first_name", "name", "customer", "contact_name")
# The prompt speaks of the customer in the third person; the agent speaks to them.
_TO_CUSTOMER = [
    (re.compile(r"\bthe (?:customer|caller|client|user|patient|member)'s\b", re.I), "your"),
    (re.compile(r"\bthe (?:customer|caller|client|user|patient|member)\b", re.I), "you"),
    (re.compile(r"\btheir\b", re.I), "your"),
    (re.compile(r"\bthey're\b", re.I), "you're"),
    (re.compile(r"\bthey\b", re.I), "you"),
    (re.compile(r"\bthem\b", re.I), "you"),
]
# "You can offer a discount" is the agent's own fact, said as "I can offer a discount";
# "You can pay by card" is said to the customer as it stands.
_AGENT_FACT = re.compile(
    r"^you (can|may|could|will) (offer|give|provide|waive|extend|arrange|send|book|share)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Passage:
    """One fact the agent may say: the words it says, and what they are about (for matching)."""

    text: str
    topic: str = ""

    @property
    def key(self) -> str:
        """What a question is matched against: titles spelled out, as a caller says them
        ("which doctor?" finds "Dr. Mehta")."""
        text = _TITLES.sub(lambda m: _TITLE_WORDS[m.group(1).lower()], self.text)
        return f"{self.topic}: {text}" if self.topic else text


@dataclass(frozen=True)
class PromptFacts:
    agent_name: str = ""
    company: str = ""
    purpose: str = ""  # "your health policy renewal", as the agent would say it
    customer_name: str = ""
    passages: tuple[Passage, ...] = field(default_factory=tuple)

    def purpose_passage(self) -> "Passage | None":
        """The passage that says why the agent calls ("your appointment on Friday at 4 pm")."""
        return next((p for p in self.passages if p.topic == PURPOSE_TOPIC), None)

    def introduction(self) -> str:
        """ "this is Priya from Acme Insurance" with whatever parts the prompt names."""
        who = f"this is {self.agent_name}" if self.agent_name else "I'm calling"
        if self.company:
            who += f" from {self.company}"
        return who


def read_prompt(prompt: str, variables: Mapping[str, object] | None = None) -> PromptFacts:
    """The identity and facts of a rendered prompt; an empty prompt gives empty facts."""
    if not isinstance(prompt, str):
        raise TypeError(f"the prompt must be text, not {type(prompt).__name__}")
    parts = sentences(prompt)
    identity = " ".join(s for s in parts if _AGENT.search(s) or _IDENTITY.match(s)) or prompt
    passages = tuple(p for s in parts if (p := _passage(s)) is not None)
    purpose = _purpose(identity)
    if _HAS_DETAIL.search(purpose):  # "your appointment on Friday at 4 pm": "When is it?"
        passages += (Passage(spoken(f"I'm calling about {purpose}"), topic=PURPOSE_TOPIC),)
    return PromptFacts(
        agent_name=_agent_name(identity),
        company=_company(identity),
        purpose=purpose,
        customer_name=_customer_name(identity, variables or {}),
        passages=passages,
    )


def _agent_name(identity: str) -> str:
    for match in _AGENT.finditer(identity):
        if match.group(1) not in _NOT_NAMES:
            return match.group(1)
    return ""


def _company(identity: str) -> str:
    for sentence in sentences(identity):
        after_name = _AGENT.search(sentence)
        rest = sentence[after_name.end() :] if after_name else sentence
        if match := _ORG_AFTER.search(rest):
            return match.group(1).rstrip(".")
    return ""


def _purpose(identity: str) -> str:
    match = _PURPOSE.search(identity)
    if not match:
        return ""
    purpose = re.split(r",|\band (?:answer|be|keep)\b", match.group(1))[0].strip()
    return _to_customer(purpose)


def _customer_name(identity: str, variables: Mapping[str, object]) -> str:
    for key in _CUSTOMER_VARIABLES:
        value = variables.get(key)
        if isinstance(value, str) and value.strip() and "{{" not in value:
            return value.strip().split()[0]
    match = _CALLED.search(identity)
    return match.group(1) if match and match.group(1) not in _NOT_NAMES else ""


def _passage(sentence: str) -> Passage | None:
    """The fact a sentence of the prompt states, if it states one."""
    if match := _IF_ASKED.match(sentence):
        return Passage(_say(match.group(2)), topic=match.group(1).strip())
    if _AGENT.search(sentence) or _IDENTITY.match(sentence) or _INSTRUCTION.match(sentence):
        return None
    if match := _LABELLED.match(sentence):
        label, value = match.group(1).strip(), match.group(2).strip()
        return Passage(_say(f"The {label.lower()} is {value}"), topic=label)
    if len(sentence.split()) < 3 or sentence.endswith("?"):
        return None
    return Passage(_say(sentence))


def _say(fact: str) -> str:
    fact = fact.strip().strip('"')
    if match := _AGENT_FACT.match(fact):
        fact = f"I {match.group(1)} {match.group(2)}{fact[match.end() :]}"
    return spoken(_to_customer(fact))


def _to_customer(text: str) -> str:
    for pattern, replacement in _TO_CUSTOMER:
        text = pattern.sub(replacement, text)
    return text
