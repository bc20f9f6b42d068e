"""One call's dialogue: what the customer did, what the agent says back, and when the call
is over. Every fact the agent states is a passage of its prompt or of the assistant's
documents; everything else it says comes from the short templates below, filled with the
prompt's identity and variables."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ringline.voice.dialogue.answers import Confidence, Knowledge, Match
from ringline.voice.dialogue.documents import DocumentIndex
from ringline.voice.dialogue.embedding import Embedder
from ringline.voice.dialogue.intents import Intent, IntentRecogniser
from ringline.voice.dialogue.menu import MenuOption, choose, menu_options, names_purpose
from ringline.voice.dialogue.prompt import PromptFacts, read_prompt
from ringline.voice.dialogue.text import at_most_two_sentences, spoken
from ringline.voice.dialogue.tools import ToolChooser, ToolUse, answer_of, asking_for
from ringline.voice.tools import ToolCall, ToolSpec

# A call ends on the second refusal: the first gets one more reason to stay.
DECLINES_BEFORE_ENDING = 2
# How much closer than a tool's description a passage must be to answer instead.
_PASSAGE_LEAD = 0.06


class Asked(StrEnum):
    """The yes-or-no question the agent's last reply ended on, which "yes" or "no" answers."""

    NOTHING = ""
    GOOD_TIME = "good_time"
    PROCEED = "proceed"
    ANYTHING_ELSE = "anything_else"
    CALL_LATER = "call_later"


@dataclass(frozen=True)
class State:
    """What a conversation has come to; kept to take back a reply that was never spoken."""

    said: tuple[str, ...] = ()
    asked: Asked = Asked.NOTHING
    agreed: bool = False
    declines: int = 0
    ended: bool = False
    told: tuple[int, ...] = ()
    menu: tuple[MenuOption, ...] = ()  # a phone menu's options heard so far
    pending: ToolUse | None = None  # a tool waiting for the argument the agent asked for
    callback: str | None = None  # a call back asked for: when, in the customer's words


@dataclass(frozen=True)
class Reply:
    text: str
    intent: Intent | None  # what the customer's turn was taken for (None: the opening)
    end_call: bool = False
    keys: str = ""  # pressed instead of speaking: a phone menu's choice
    tool: ToolUse | None = None  # to call before speaking: ``tool_answered`` says its answer


_IDENTITY_QUESTION = re.compile(
    r"\b(?:who(?: is| are| am| was|'s|s)? (?:this|it|that|you|i (?:speaking|talking)|calling|"
    r"speaking|on the line)|where (?:are you|is this) calling from|which company|"
    r"what company|"
    r"what is this (?:about|regarding)|what's this (?:about|regarding)|why (?:are you|did you|"
    r"you) call|what (?:do you want|is it about|are you calling|is the call)|calling from|"
    r"what is it regarding|"
    # The person a phone menu put the call through to: "How can I help you?"
    r"how (?:can|may) i help|what can i do for you)\b"
)
_NAME_QUESTION = re.compile(r"\b(?:your name|who am i (?:speaking|talking) (?:to|with))\b")
_MACHINE_QUESTION = re.compile(
    r"\b(?:robot|a bot|bot\?|machine|computer|an ai|a real person|a human|human being|recording|"
    r"automated)\b"
)
_YES_NO_START = re.compile(
    r"^(?:(?:so|and|but|okay|ok|well|yes|yeah)[, ]+)*(?:is|are|does|do|did|can|could|will|would|"
    r"has|have|was|were|should|shall)\b"
)
_NEGATIVE_FACT = re.compile(r"\b(?:not|no|never|none|without|excludes?|n't)\b", re.IGNORECASE)
_PERMISSION = re.compile(
    r"\b(?:i have (?:a few|some|a|the) (?:minutes?|time|moment)|i can talk|i'm listening|"
    r"go on|carry on|tell me more)\b"
)
_THANKS = re.compile(r"\b(?:thanks|thank you)\b")
_LOWER_STARTS = frozenset(
    [
        "the",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "they",
        "their",
        "you",
        "your",
        "we",
        "our",
        "a",
        "an",
        "all",
        "each",
        "every",
        "both",
    ]
)


class Dialogue:
    """Holds one conversation; ``respond`` takes each customer turn's text."""

    def __init__(
        self,
        prompt: str,
        variables: Mapping[str, object] | None = None,
        embedder: Embedder | None = None,
        documents: DocumentIndex | None = None,
        tools: Sequence[ToolSpec] = (),
    ) -> None:
        self.facts: PromptFacts = read_prompt(prompt, variables)
        self._embedder = embedder
        self.tools = ToolChooser(tools, embedder, variables or {})
        self.knowledge = Knowledge(self.facts.passages, embedder, documents)
        self.recogniser = IntentRecogniser(embedder, self.facts.customer_name)
        self.restore(State())

    def state(self) -> State:
        return State(
            tuple(self.said),
            self.asked,
            self.agreed,
            self.declines,
            self.ended,
            tuple(self._told),
            self._menu,
            self._pending,
            self.callback,
        )

    def restore(self, state: State) -> None:
        self.said: list[str] = list(state.said)
        self.asked = state.asked
        self.agreed = state.agreed
        self.declines = state.declines
        self.ended = state.ended
        self._told: list[int] = list(state.told)  # passages already said, by index
        self._menu = state.menu
        self._pending = state.pending
        self.callback = state.callback

    # -- the agent's opening ------------------------------------------------------------

    def opening(self, first_message: str = "") -> Reply:
        """The agent's first words: the assistant's first message, else a greeting."""
        text = first_message.strip() or self._greeting()
        self.asked = Asked.GOOD_TIME if text.endswith("?") else Asked.NOTHING
        purpose = self.facts.purpose_passage()
        if purpose is not None and self.facts.purpose.lower() in text.lower():
            self._told.append(self.facts.passages.index(purpose))  # the opening said it
        return self._say(Reply(text, None), check=not first_message.strip())

    def _greeting(self) -> str:
        name = f" {self.facts.customer_name}" if self.facts.customer_name else ""
        hello = f"Hello{name}, {self.facts.introduction()}."
        if self.facts.purpose:
            return f"{hello} I'm calling about {self.facts.purpose}, is now a good time?"
        return f"{hello} Is now a good time to talk?"

    # -- each customer turn -------------------------------------------------------------

    def respond(self, heard: str) -> Reply:
        """The reply to what the customer just said; ``end_call`` once the call is over."""
        if not isinstance(heard, str):
            raise TypeError(f"a customer turn is text, not {type(heard).__name__}")
        if self.ended:
            raise RuntimeError("the call has ended: no more turns")
        if (keys := self._menu_choice(heard)) is not None:
            return Reply("", None, keys=keys)  # no keys yet: the menu is heard out in silence
        recognised = self.recogniser.recognise(heard)
        intent = recognised.intent
        if (use := self._tool_use(heard, intent)) is not None:
            return use
        handler = {
            Intent.AGREE: self._agreed,
            Intent.DECLINE: self._declined,
            Intent.QUESTION: self._question,
            Intent.CALLBACK: lambda _: self._call_back(recognised.when),
            Intent.WRONG_PERSON: lambda _: self._wrong_person(),
            Intent.GOODBYE: lambda _: self._goodbye(),
            Intent.UNCLEAR: lambda _: self._unclear(),
            Intent.REPEAT: lambda _: self._repeat(),
            Intent.GREETING: lambda _: self._hello(),
            Intent.BACKCHANNEL: self._backchannel,
            Intent.STATEMENT: self._statement,
        }[intent]
        text, end = handler(heard)
        return self._say(Reply(text, intent, end))

    def _menu_choice(self, heard: str) -> str | None:
        """A phone menu reached instead of a person: the key towards the prompt's purpose,
        "" while the menu is still being read out, None when ``heard`` is no menu.

        A menu pausing between its options reaches the dialogue as several turns, so the
        options are gathered across them. A key is pressed once an option names the
        purpose, or once the menu repeats itself (nothing new heard): it has been heard in
        full and the closest option is the way on.
        """
        options = menu_options(heard)
        if not options:
            return None
        known = {option.key for option in self._menu}
        new = [option for option in options if option.key not in known]
        gathered = [*self._menu, *new]
        purpose = " ".join(passage.text for passage in self.facts.passages)
        chosen = choose(gathered, purpose, self._embedder)
        if chosen is None or (new and not names_purpose(chosen, purpose)):
            self._menu = tuple(gathered)
            return ""
        self._menu = ()
        return chosen.key

    def _tool_use(self, heard: str, intent: Intent) -> Reply | None:
        """A tool to call for this turn (or the question for its missing argument).

        A tool's words outweigh the generic reading of a turn ("I lost my card, block
        it" is no wrong person), but not a goodbye or a call back; and a fact of the
        prompt that answers better than the tool matches is said instead.
        """
        pending, self._pending = self._pending, None
        if pending is not None:
            arguments = self.tools.read_arguments(pending.spec, heard, pending.arguments)
            use = ToolUse(pending.spec, arguments)
            if not use.missing():
                return Reply("", intent, tool=use)
        if intent in (Intent.GOODBYE, Intent.CALLBACK):
            return None  # the customer has moved on from whatever the tool was for
        if pending is not None:  # asked once: not again
            sorry = "I'm sorry, without that I can't look it up."
            return self._say(Reply(f"{sorry} {self._follow_up()}", intent))
        found = self.tools.choose(heard)
        if found is None or self._answered_better(heard, found):
            return None
        if missing := found.missing():
            self._pending = found
            return self._say(Reply(asking_for(found.spec, missing[0]), intent))
        return Reply("", intent, tool=found)

    def _answered_better(self, heard: str, use: ToolUse) -> bool:
        """Whether a passage answers the turn clearly more closely than the tool's
        description: by more than the shared words and the kind of fact can add to a
        passage's score (on the tests' requests, passages that answer lead by 0.07-0.13,
        tools that were wanted trailed by at most 0.05)."""
        if use.spec.required and not use.missing():
            return False  # the turn carries what the tool needs: it is asking for it
        match = self.knowledge.find(heard)
        return (
            match is not None
            and match.confidence == Confidence.SURE
            and (match.score >= use.similarity + _PASSAGE_LEAD)
        )

    def tool_answered(self, called: ToolCall) -> Reply:
        """What the agent says once the tool it called has answered (or failed)."""
        if called.error is not None:
            said = self._fresh(
                [
                    "I'm sorry, I couldn't check that just now.",
                    "I'm afraid I can't look that up at the moment.",
                ]
            )
        else:
            said = answer_of(called) or "That's done."
        return self._say(Reply(f"{said} {self._follow_up()}", Intent.QUESTION))

    def _agreed(self, heard: str) -> tuple[str, bool]:
        if self.asked == Asked.PROCEED and _PERMISSION.search(heard.lower()):
            # "I have a few minutes" lets the agent go on; it does not accept the proposal.
            return self._carry_on(["Thank you, ", "Great, "])
        if self.asked == Asked.CALL_LATER:
            return self._call_back("")
        if self.asked == Asked.ANYTHING_ELSE:
            self.asked = Asked.NOTHING
            return self._fresh(
                ["Sure, what would you like to know?", "Of course, go ahead."]
            ), False
        if self.asked == Asked.PROCEED or (
            self.asked == Asked.NOTHING and not self.agreed and self._told
        ):
            self.agreed = True
            self.asked = Asked.ANYTHING_ELSE
            name = f", {self.facts.customer_name}" if self.facts.customer_name else ""
            return self._fresh(
                [
                    f"Wonderful, thank you for confirming{name}. Is there anything else you would "
                    "like to know?",
                    "Great, thank you. Is there anything else I can help you with?",
                ]
            ), False
        return self._pitch(), False

    def _pitch(self) -> str:
        """After a yes to the opening: the first fact not yet said, and the proposal."""
        if not self.facts.purpose:  # nothing to propose (a receptionist): offer help
            self.asked = Asked.ANYTHING_ELSE
            return self._fresh(["How can I help you today?", "What can I help you with?"])
        fact = self._next_fact()
        ask = self._proceed_question()
        if fact is None:
            return self._fresh([self._lead("Great, ", ask), self._lead("Thank you, ", ask)])
        return self._fresh([self._lead("Great, ", fact) + " " + ask, f"{fact} {ask}"])

    def _declined(self, _heard: str) -> tuple[str, bool]:
        if self.asked == Asked.GOOD_TIME:
            return self._call_back("")  # "No." to "is now a good time?"
        if self.asked in (Asked.ANYTHING_ELSE, Asked.CALL_LATER):
            return self._goodbye()  # nothing else, or no call back wanted: the call is done
        self.declines += 1
        if self.declines >= DECLINES_BEFORE_ENDING:
            self.ended = True
            name = f", {self.facts.customer_name}" if self.facts.customer_name else ""
            return self._fresh(
                [
                    f"I understand, thank you for your time{name}. Goodbye!",
                    "No problem at all, thank you for your time. Goodbye!",
                ]
            ), True
        fact = self._next_fact()
        if fact is None:
            self.asked = Asked.CALL_LATER
            return (
                "I understand. Would you like me to call you back at another time instead?",
                False,
            )
        self.asked = Asked.PROCEED
        return self._lead(
            "I understand, but just so you know, ", fact
        ) + " Would you like to reconsider?", False

    def _question(self, heard: str) -> tuple[str, bool]:
        said = heard.lower()
        if _NAME_QUESTION.search(said) and self.facts.agent_name:
            answer = f"My name is {self.facts.agent_name}" + (
                f", from {self.facts.company}." if self.facts.company else "."
            )
        elif _MACHINE_QUESTION.search(said):
            company = f" for {self.facts.company}" if self.facts.company else ""
            answer = f"I'm an automated assistant calling{company}."
        elif _IDENTITY_QUESTION.search(said):
            answer = self._who_and_why()
        else:
            answer = self._answer(heard, self.knowledge.find(heard))
        return f"{answer} {self._follow_up()}", False

    def _answer(self, heard: str, match: Match | None) -> str:
        if match is None:
            return self._fresh(
                [
                    "I'm sorry, I don't have that information with me.",
                    "I'm afraid I don't have those details right now.",
                ]
            )
        index = self.knowledge.number(match.passage)
        fact = match.passage.text
        if index in self._told:
            return self._lead("As I mentioned, ", fact)
        self._told.append(index)
        if match.confidence == Confidence.CLOSE:
            return self._lead("I don't have the exact details on that, but ", fact)
        yes_no = _YES_NO_START.match(heard.lower().strip())
        if yes_no and match.shares_all_words and not _NEGATIVE_FACT.search(fact):
            return self._lead("Yes, ", fact)
        return fact

    def _who_and_why(self) -> str:
        intro = self.facts.introduction()
        about = f", calling about {self.facts.purpose}" if self.facts.purpose else ""
        return f"{intro[:1].upper()}{intro[1:]}{about}."

    def _follow_up(self) -> str:
        """A question that moves the call on, not the one just asked."""
        if self.agreed or not self.facts.purpose:
            self.asked = Asked.ANYTHING_ELSE
            options = [
                "Is there anything else you would like to know?",
                "Anything else I can help with?",
            ]
        else:
            self.asked = Asked.PROCEED
            options = [self._proceed_question(), "Shall I go ahead with it?"]
        last = self.said[-1] if self.said else ""
        return next((o for o in options if not last.endswith(o)), options[0])

    def _proceed_question(self) -> str:
        self.asked = Asked.PROCEED
        if self.facts.purpose:
            purpose = re.sub(r"^(?:a|an)\s+", "the ", self.facts.purpose)
            return f"Would you like to go ahead with {purpose}?"
        return "Would you like to go ahead?"

    def _call_back(self, when: str) -> tuple[str, bool]:
        self.ended = True
        self.callback = when
        later = f" {when}" if when else " at a better time"
        name = f", {self.facts.customer_name}" if self.facts.customer_name else ""
        return self._fresh(
            [
                f"Of course, I'll call you back{later}. Thank you{name}, goodbye!",
                f"No problem, I'll call you back{later}. Goodbye!",
            ]
        ), True

    def _wrong_person(self) -> tuple[str, bool]:
        self.ended = True
        return "I'm sorry for the trouble. Have a good day, goodbye!", True

    def _goodbye(self) -> tuple[str, bool]:
        self.ended = True
        name = f", {self.facts.customer_name}" if self.facts.customer_name else ""
        return self._fresh(
            [
                f"Thank you for your time{name}. Goodbye!",
                "Thank you, have a great day. Goodbye!",
            ]
        ), True

    def _unclear(self) -> tuple[str, bool]:
        return self._fresh(
            [
                "Sorry, I didn't catch that. Could you say it again?",
                "I'm sorry, the line is unclear. Could you repeat that?",
                "Sorry, I still couldn't hear you. Could you say that once more?",
            ]
        ), False

    def _repeat(self) -> tuple[str, bool]:
        if not self.said:
            return self._hello()
        last = self.said[-1]
        for lead in ("Sure, ", "Of course, ", "Once more: "):
            if not last.startswith(lead.strip()):
                return self._lead(lead, _drop_lead(last)), False
        return last, False

    def _hello(self) -> tuple[str, bool]:
        name = f" {self.facts.customer_name}" if self.facts.customer_name else ""
        intro = self.facts.introduction()
        about = f", calling about {self.facts.purpose}" if self.facts.purpose else ""
        if self.asked == Asked.NOTHING and not self.said:
            self.asked = Asked.GOOD_TIME
        return self._fresh(
            [
                f"Hello{name}, yes, I can hear you. {intro[:1].upper()}{intro[1:]}{about}.",
                f"Hi{name}, can you hear me now? {intro[:1].upper()}{intro[1:]}.",
                "Yes, hello, I'm still here. Can you hear me?",
            ]
        ), False

    def _backchannel(self, heard: str) -> tuple[str, bool]:
        said = heard.lower()
        word_yes = re.search(r"\b(?:okay|ok|alright|all right|fine)\b", said)
        if self.asked == Asked.GOOD_TIME or (
            word_yes and self.asked in (Asked.PROCEED, Asked.CALL_LATER)
        ):
            return self._agreed(heard)  # "Okay." to a yes-or-no question says yes
        if _THANKS.search(said) and self.asked == Asked.ANYTHING_ELSE:
            return self._goodbye()
        return self._carry_on(["Also, ", "And ", "One more thing: "])

    def _statement(self, heard: str) -> tuple[str, bool]:
        # "I wanted to ask about parking" asks without a question mark.
        match = self.knowledge.find(heard)
        if match is not None and match.confidence == Confidence.SURE:
            return f"{self._answer(heard, match)} {self._follow_up()}", False
        return self._carry_on(["I see, ", "Understood, ", "Thank you for telling me, "])

    def _carry_on(self, leads: list[str]) -> tuple[str, bool]:
        """The next fact not yet said, or else the question that moves the call on."""
        fact = self._next_fact()
        if fact is None:
            return self._follow_up(), False
        return self._fresh([self._lead(lead, fact) for lead in leads]), False

    # -- bookkeeping ---------------------------------------------------------------------

    def _lead(self, lead: str, fact: str) -> str:
        names = frozenset(f"{self.facts.company} {self.facts.agent_name}".split())
        return _lead(lead, fact, names)

    def _next_fact(self) -> str | None:
        for index, passage in enumerate(self.facts.passages):
            if index not in self._told:
                self._told.append(index)
                return passage.text
        return None

    def _fresh(self, options: list[str]) -> str:
        """The first option not said before in this call (no reply is said twice)."""
        return next((o for o in options if o not in self.said), options[-1])

    def _say(self, reply: Reply, *, check: bool = True) -> Reply:
        text = at_most_two_sentences(spoken(reply.text)) if check else reply.text
        if text in self.said:  # every option used up: vary it rather than repeat it
            text = f"Again, {text[:1].lower()}{text[1:]}" if not text.startswith("Again") else text
        self.said.append(text)
        self.ended = self.ended or reply.end_call
        return Reply(text, reply.intent, reply.end_call)


def _lead(lead: str, fact: str, names: frozenset[str] = frozenset()) -> str:
    """ "Great, " + "The renewal costs..." -> "Great, the renewal costs...". A lead is a
    clause, not a sentence of its own: spoken alone, "Great." would leave the line silent
    while the next sentence is synthesized, long enough for the caller to take a turn."""
    if lead.endswith(". ") or not fact:
        return lead + fact
    first = fact.split(" ", 1)[0].strip(",.")
    # A name or an acronym keeps its capital ("Also, Acme covers..."); a word does not.
    keeps_capital = (
        first == "I" or first.startswith("I'") or (len(first) > 1 and first.isupper())
    ) or first in names
    return lead + (fact if keeps_capital else fact[:1].lower() + fact[1:])


def _drop_lead(text: str) -> str:
    text = re.sub(
        r"^(?:Sure|Of course|Once more|Again|Great|Wonderful|Also|And)[.:,]?\s+", "", text
    )
    return text[:1].upper() + text[1:]
