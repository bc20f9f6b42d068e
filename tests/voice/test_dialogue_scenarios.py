"""Scripted conversations through the dialogue layer with the bundled embedding model: facts
given when asked and never contradicted, no reply said twice or echoing the customer, spoken
text only, and the call ending exactly when it should."""

import re
from dataclasses import dataclass, field

import pytest

from ringline.voice.dialogue import Dialogue, Intent, bundled_embedder
from ringline.voice.dialogue.text import sentences

RENEWAL = (
    "You are Priya from Acme Insurance calling about a health policy renewal. "
    "The renewal costs 12,400 rupees a year. It covers both parents up to age 80. "
    "The policy renews on 15 January. Cashless treatment is available at over 9,000 network "
    "hospitals. There is a 30 day grace period after the renewal date. "
    "Answer in one short sentence."
)
DENTAL = (
    "Your name is Meera. You work for Sunrise Dental Clinic. You are calling to remind the "
    "patient about their appointment on Friday at 4 pm.\n"
    "- Address: 12 MG Road, Pune\n"
    "- Parking: free in the basement\n"
    "If they ask about cancellation, tell them that they can reschedule up to 24 hours before. "
    "Be polite and brief."
)
RECEPTION = (
    "You are Sam, the receptionist of Acme Dental. The clinic is open from 9 am to 6 pm, "
    "Monday to Saturday. A cleaning costs 1,500 rupees. Answer in one short sentence."
)
CUSTOMER = {"customer_name": "Rahul"}


@dataclass
class Step:
    says: str
    must_include: tuple[str, ...] = ()  # words the reply must contain (a fact asked for)
    intent: Intent | None = None


@dataclass
class Scenario:
    name: str
    steps: list[Step]
    ends: bool  # whether the last step ends the call (and no earlier one does)
    prompt: str = RENEWAL
    variables: dict = field(default_factory=lambda: dict(CUSTOMER))
    first_message: str = ""
    inbound: bool = False  # the caller speaks first: no opening


def s(says, *must_include, intent=None):
    return Step(says, tuple(must_include), intent)


SCENARIOS = [
    Scenario(
        "asks the price",
        [
            s("Yes, this is Rahul speaking.", intent=Intent.AGREE),
            s("What does the renewal cost this year?", "12,400", intent=Intent.QUESTION),
        ],
        ends=False,
    ),
    Scenario(
        "asks about parents",
        [s("Speaking."), s("Does it cover my parents?", "parents", "80")],
        ends=False,
    ),
    Scenario(
        "asks the renewal date",
        [s("Yes."), s("When does the policy renew?", "15 January")],
        ends=False,
    ),
    Scenario(
        "asks about hospitals",
        [s("Yes, go ahead."), s("Which hospitals can I go to?", "9,000")],
        ends=False,
    ),
    Scenario(
        "asks about paying late",
        [s("Sure."), s("Is there a grace period if I pay late?", "30 day")],
        ends=False,
    ),
    Scenario(
        "asks something the prompt does not say",
        [s("Yes."), s("Does it cover dental treatment?", "don't have")],
        ends=False,
    ),
    Scenario(
        "asks who is calling",
        [s("Hello, who is this?", "Priya", "Acme Insurance", intent=Intent.QUESTION)],
        ends=False,
    ),
    Scenario(
        "asks if it is a robot",
        [s("Yes."), s("Am I talking to a robot?", "automated")],
        ends=False,
    ),
    Scenario(
        "one-word yes then agrees to renew and says goodbye",
        [
            s("Yes."),
            s("Yes, please go ahead with the renewal.", intent=Intent.AGREE),
            s("No, that's all, thanks.", intent=Intent.GOODBYE),
        ],
        ends=True,
    ),
    Scenario(
        "says hello twice before answering",
        [
            s("Hello?", "Priya", intent=Intent.GREETING),
            s("Hello?", intent=Intent.GREETING),
            s("Speaking."),
        ],
        ends=False,
    ),
    Scenario(
        "declines twice",
        [
            s("Yes."),
            s("I'm not interested.", intent=Intent.DECLINE),
            s("No, I'm really not interested.", intent=Intent.DECLINE),
        ],
        ends=True,
    ),
    Scenario(
        "declines once, then asks a question",
        [s("Yes."), s("Not interested."), s("How much did you say it costs?", "12,400")],
        ends=False,
    ),
    Scenario(
        "busy, call back later",
        [s("I'm busy right now, can you call me later?", intent=Intent.CALLBACK)],
        ends=True,
    ),
    Scenario(
        "call back tomorrow at a time",
        [s("Yes."), s("Call me tomorrow at 5.", "tomorrow at 5", intent=Intent.CALLBACK)],
        ends=True,
    ),
    Scenario(
        "no to a good time",
        [s("No.", intent=Intent.DECLINE)],
        ends=True,
    ),
    Scenario(
        "wrong number",
        [s("Sorry, you have the wrong number.", intent=Intent.WRONG_PERSON)],
        ends=True,
    ),
    Scenario(
        "not the customer",
        [s("No, I am not Rahul.", intent=Intent.WRONG_PERSON)],
        ends=True,
    ),
    Scenario(
        "goodbye straight away",
        [s("Okay, bye.", intent=Intent.GOODBYE)],
        ends=True,
    ),
    Scenario(
        "backchannels do not end the call",
        [s("Mm-hmm."), s("Mm-hmm.", intent=Intent.BACKCHANNEL), s("Okay."), s("Mm-hmm.")],
        ends=False,
    ),
    Scenario(
        "nothing heard, then asks to repeat",
        [s("", intent=Intent.UNCLEAR), s("Sorry?", intent=Intent.REPEAT), s("Yes.")],
        ends=False,
    ),
    Scenario(
        "not busy is not a call back",
        [s("I'm not busy, go ahead.", intent=Intent.AGREE)],
        ends=False,
    ),
    Scenario(
        "asks the same question twice",
        [s("Yes."), s("How much is it?", "12,400"), s("Sorry, how much is it again?", "12,400")],
        ends=False,
    ),
    Scenario(
        "dental reminder: the address",
        [s("Yes, speaking."), s("Where is the clinic?", "12 MG Road")],
        ends=False,
        prompt=DENTAL,
        first_message="Hi Rahul, this is Meera from Sunrise Dental Clinic. Is now a good time?",
    ),
    Scenario(
        "dental reminder: when the appointment is",
        [s("Sorry, when is it?", "Friday at 4 pm"), s("Where do I park?", "basement")],
        ends=False,
        prompt=DENTAL,
    ),
    Scenario(
        "dental reminder: cancellation",
        [s("Yes."), s("What if I need to cancel the appointment?", "24 hours")],
        ends=False,
        prompt=DENTAL,
    ),
    Scenario(
        "dental reminder: parking, then thanks and bye",
        [s("Is there parking?", "basement"), s("Great, thank you, bye.", intent=Intent.GOODBYE)],
        ends=True,
        prompt=DENTAL,
    ),
    Scenario(
        "inbound: opening hours and a price, then goodbye",
        [
            s("Hi, what are your opening hours?", "9 am"),
            s("How much is a cleaning?", "1,500"),
            s("Thanks, bye.", intent=Intent.GOODBYE),
        ],
        ends=True,
        prompt=RECEPTION,
        variables={},
        inbound=True,
    ),
    Scenario(
        "inbound: a statement that asks",
        [s("Hello."), s("I wanted to know the price of a cleaning.", "1,500")],
        ends=False,
        prompt=RECEPTION,
        variables={},
        inbound=True,
    ),
]

NUMBER = re.compile(r"\d[\d,:]*")


@pytest.fixture(scope="module")
def embedder():
    return bundled_embedder()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[sc.name for sc in SCENARIOS])
def test_scenario(scenario, embedder):
    dialogue = Dialogue(scenario.prompt, scenario.variables, embedder)
    said = [] if scenario.inbound else [dialogue.opening(scenario.first_message).text]
    for i, step in enumerate(scenario.steps):
        reply = dialogue.respond(step.says)
        _check_spoken(reply.text, scenario)
        assert reply.text not in said, f"said twice: {reply.text!r}"
        _check_no_echo(step.says, reply.text)
        for fact in step.must_include:
            assert fact.lower() in reply.text.lower(), (step.says, reply.text)
        if step.intent is not None:
            assert reply.intent == step.intent, (step.says, reply)
        last = i == len(scenario.steps) - 1
        assert reply.end_call == (scenario.ends and last), (step.says, reply)
        said.append(reply.text)


def _check_spoken(text, scenario):
    assert text and len(sentences(text)) <= 2, text
    assert not re.search(r"https?://|www\.|[*#`\[\]]", text), text
    # Every number the agent says is one the prompt (or the first message) has.
    source = scenario.prompt + scenario.first_message + " 1 2 3 4 5 6 7 8 9 0"
    for number in NUMBER.findall(text):
        assert number.strip(",:") in source, f"{number} is not in the prompt: {text!r}"


def _check_no_echo(heard, reply):
    if len(heard.split()) >= 3:
        assert heard.lower().strip(".?!") not in reply.lower(), (heard, reply)


def test_at_least_twenty_scenarios():
    assert len(SCENARIOS) >= 20
