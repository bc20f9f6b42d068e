"""The dialogue layer's parts: reading a prompt, recognising intents (negation included),
spoken text, and the Pipecat service that puts it in a call's pipeline."""

import pytest
from pipecat.frames.frames import (
    EagerEndOfTurnCancelFrame,
    EndWorkerFrame,
    LLMContextFrame,
    LLMFullResponseEndFrame,
    LLMFullResponseStartFrame,
    LLMServiceMetadataFrame,
    LLMTextFrame,
    UserStoppedSpeakingFrame,
)
from pipecat.processors.aggregators.llm_context import LLMContext
from pipecat.tests.utils import SleepFrame, run_test

from ringline.voice.dialogue import Dialogue, Intent, IntentRecogniser, read_prompt
from ringline.voice.dialogue.embedding import bundled_embedder
from ringline.voice.dialogue.service import DialogueLLMService, last_customer_turn
from ringline.voice.dialogue.text import sentences, spoken

PROMPT = (
    "You are Priya from Acme Insurance calling about a health policy renewal. "
    "The renewal costs 12,400 rupees a year. It covers both parents up to age 80. "
    "Answer in one short sentence. Never make up facts."
)


def test_the_prompt_gives_identity_and_facts_but_not_instructions():
    facts = read_prompt(PROMPT, {"customer_name": "Rahul"})
    assert (facts.agent_name, facts.company, facts.customer_name) == (
        "Priya",
        "Acme Insurance",
        "Rahul",
    )
    assert facts.purpose == "a health policy renewal"
    assert [p.text for p in facts.passages] == [
        "The renewal costs 12,400 rupees a year.",
        "It covers both parents up to age 80.",
    ]


def test_the_customer_is_spoken_to_and_labelled_facts_become_sentences():
    facts = read_prompt(
        "You are Sam, calling Anita from Bright Bank. Their card expires in March.\n"
        "- Late fee: 500 rupees\nYou can offer a 10% cashback."
    )
    assert facts.customer_name == "Anita" and facts.company == "Bright Bank"
    assert [p.text for p in facts.passages] == [
        "Your card expires in March.",
        "The late fee is 500 rupees.",
        "I can offer a 10 percent cashback.",
    ]


def test_a_prompt_must_be_text():
    with pytest.raises(TypeError, match="text"):
        read_prompt(None)


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("I'm not interested.", Intent.DECLINE),
        ("I'm not busy, go ahead.", Intent.AGREE),
        ("No problem, go ahead.", Intent.AGREE),
        ("Of course not.", Intent.DECLINE),
        ("Not sure.", Intent.STATEMENT),
        ("Please don't call me again.", Intent.DECLINE),
        ("Can you call me back in an hour?", Intent.CALLBACK),
        ("Is it a good time? Not really, I'm driving.", Intent.CALLBACK),
        ("He's not home right now.", Intent.WRONG_PERSON),
        ("I'm not Rahul.", Intent.WRONG_PERSON),
        ("Uh-huh.", Intent.BACKCHANNEL),
        ("Um", Intent.UNCLEAR),
        ("Hello?", Intent.GREETING),
        ("Yes, but how much is it?", Intent.QUESTION),
        # As speech-to-text writes it: no punctuation, apostrophes dropped.
        ("i dont want it", Intent.DECLINE),
        ("uh huh", Intent.BACKCHANNEL),
        ("rahul is not at home", Intent.WRONG_PERSON),
        ("sorry i could not hear you", Intent.REPEAT),
        ("No no, go ahead.", Intent.AGREE),
        ("That is too expensive.", Intent.DECLINE),
        ("I already have insurance with another company.", Intent.DECLINE),
        ("hello can you hear me", Intent.GREETING),
        ("Yes, tell me.", Intent.AGREE),
        ("Tell me about the processing fee.", Intent.QUESTION),
        # Whisper ends a spoken question with a full stop as often as with "?".
        ("Sorry. who's calling me right now.", Intent.QUESTION),
    ],
)
def test_intents_by_rule(said, intent):
    assert IntentRecogniser(None, "Rahul").recognise(said).intent == intent


def test_spoken_text_has_no_markdown_links_or_symbols():
    text = spoken("**Renew** at [our page](https://acme.example/renew) for ₹12,400 & save 5%")
    assert text == "Renew at our page for 12,400 rupees and save 5 percent."


def test_a_turn_must_be_text_and_an_ended_call_takes_no_more():
    dialogue = Dialogue(PROMPT, {"customer_name": "Rahul"}, bundled_embedder())
    with pytest.raises(TypeError):
        dialogue.respond(None)
    assert dialogue.respond("Bye.").end_call
    with pytest.raises(RuntimeError, match="ended"):
        dialogue.respond("Hello?")


def _context(*user_turns):
    return LLMContext(messages=[{"role": "user", "content": t} for t in user_turns])


def test_the_last_customer_turn_is_read_from_the_context():
    assert last_customer_turn(_context("Hello?", "What does it cost?")) == "What does it cost?"
    parts = LLMContext(messages=[{"role": "user", "content": [{"type": "text", "text": "Yes."}]}])
    assert last_customer_turn(parts) == "Yes."
    assert last_customer_turn(LLMContext()) == ""


async def test_the_service_answers_a_turn_with_llm_frames():
    dialogue = Dialogue(PROMPT, {"customer_name": "Rahul"}, bundled_embedder())
    dialogue.opening()
    down, _ = await run_test(
        DialogueLLMService(dialogue),
        frames_to_send=[LLMContextFrame(_context("Does it cover my parents?"))],
        expected_down_frames=[
            LLMServiceMetadataFrame,
            LLMFullResponseStartFrame,
            LLMTextFrame,
            LLMFullResponseEndFrame,
        ],
    )
    assert down[2].text.startswith("Yes, it covers both parents up to age 80.")


async def test_the_service_hangs_up_behind_a_goodbye():
    ended = []

    async def on_end():
        ended.append(True)

    dialogue = Dialogue(PROMPT, {"customer_name": "Rahul"}, bundled_embedder())
    down, _ = await run_test(
        DialogueLLMService(dialogue, on_end=on_end),
        frames_to_send=[LLMContextFrame(_context("Wrong number."))],
        expected_down_frames=[
            LLMServiceMetadataFrame,
            LLMFullResponseStartFrame,
            LLMTextFrame,
            LLMFullResponseEndFrame,
            EndWorkerFrame,
        ],
    )
    assert "goodbye" in down[2].text.lower() and ended == [True]


async def test_a_speculative_goodbye_hangs_up_only_once_its_turn_is_confirmed():
    ended = []

    async def on_end():
        ended.append(True)

    def service():
        dialogue = Dialogue(PROMPT, {"customer_name": "Rahul"}, bundled_embedder())
        return DialogueLLMService(dialogue, on_end=on_end)

    drafted = [LLMContextFrame(_context("There is no Rahul here."), speculation=True)]
    # The customer went on ("...you have the wrong number"): the draft is withdrawn.
    withdrawn, _ = await run_test(
        service(), frames_to_send=[*drafted, SleepFrame(0.5), EagerEndOfTurnCancelFrame()]
    )
    assert not any(isinstance(f, (EndWorkerFrame, LLMTextFrame)) for f in withdrawn)
    assert ended == []

    confirmed, _ = await run_test(
        service(), frames_to_send=[*drafted, SleepFrame(0.5), UserStoppedSpeakingFrame()]
    )
    kinds = [type(f) for f in confirmed]
    assert kinds.index(LLMTextFrame) < kinds.index(EndWorkerFrame) and ended == [True]


def test_a_reply_taken_back_leaves_the_dialogue_as_it_was():
    # A speculative reply to a turn the customer went on with is never heard.
    dialogue = Dialogue(PROMPT, {"customer_name": "Rahul"}, bundled_embedder())
    dialogue.opening()
    before = dialogue.state()
    first = dialogue.respond("Yes.")
    dialogue.restore(before)
    assert dialogue.respond("Yes.") == first


def test_a_statement_that_asks_is_answered_from_the_prompt():
    dialogue = Dialogue(PROMPT, {"customer_name": "Rahul"}, bundled_embedder())
    dialogue.opening()
    reply = dialogue.respond("My parents are both over seventy, I worry about their cover.")
    assert reply.intent == Intent.STATEMENT
    assert "both parents up to age 80" in reply.text


@pytest.mark.parametrize("asked", ["Sorry, who is calling?", "Sorry, who was calling?"])
def test_who_is_calling_is_answered_with_the_agent_and_company(asked):
    dialogue = Dialogue(PROMPT, {"customer_name": "Rahul"}, None)
    dialogue.opening()
    assert "Priya from Acme Insurance" in dialogue.respond(asked).text


async def test_a_turn_after_the_goodbye_hangs_up_without_a_word():
    dialogue = Dialogue(PROMPT, {"customer_name": "Rahul"}, bundled_embedder())
    dialogue.respond("Goodbye.")
    await run_test(
        DialogueLLMService(dialogue),
        frames_to_send=[LLMContextFrame(_context("Goodbye.", "Wait, one more thing."))],
        expected_down_frames=[LLMServiceMetadataFrame, EndWorkerFrame],
    )


async def test_a_withdrawn_speculative_reply_is_unsaid():
    # The customer paused, a reply was drafted, then they went on: the draft never counts.
    dialogue = Dialogue(PROMPT, {"customer_name": "Rahul"}, bundled_embedder())
    dialogue.opening()
    before = dialogue.state()
    down, _ = await run_test(
        DialogueLLMService(dialogue),
        frames_to_send=[
            LLMContextFrame(_context("I'm not interested."), speculation=True),
            SleepFrame(0.5),  # the draft is ready before the customer goes on
            EagerEndOfTurnCancelFrame(),
        ],
    )
    assert not any(isinstance(f, LLMTextFrame) for f in down)
    assert dialogue.state() == before


DENTAL = (
    "You are Maya from Bright Smile Dental calling about an appointment reminder. "
    "The appointment is on Tuesday at 4 pm with Dr. Mehta. The clinic is at 22 MG Road. "
    "Keep replies short."
)


@pytest.mark.parametrize(
    "asked", ["Which doctor is it with?", "Who is the doctor?", "Who will I be seeing?"]
)
def test_a_question_about_a_person_finds_the_titled_name(asked):
    dialogue = Dialogue(DENTAL, {"customer_name": "Anita"}, bundled_embedder())
    dialogue.opening()
    assert "Dr. Mehta" in dialogue.respond(asked).text


@pytest.mark.parametrize(
    "turns",
    [["Yes.", "I have a few minutes."], ["Yes."], ["Yes.", "Sorry, say that again?"]],
)
def test_a_reply_never_opens_with_a_sentence_of_one_or_two_words(turns):
    # Spoken alone, "Great." leaves the line silent while the next sentence is synthesized.
    dialogue = Dialogue(PROMPT, {"customer_name": "Rahul"}, bundled_embedder())
    dialogue.opening()
    for said in turns:
        first = sentences(dialogue.respond(said).text)[0]
        assert len(first.split()) > 2, first
