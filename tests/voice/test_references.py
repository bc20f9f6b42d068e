"""A hosted LLM's context gets the passages closest to the last turn, before that turn,
within the budget, and only this turn's."""

from pipecat.frames.frames import LLMContextFrame
from pipecat.processors.aggregators.llm_context import LLMContext
from pipecat.tests.utils import run_test

from ringline.voice.dialogue import bundled_embedder
from ringline.voice.dialogue.documents import DocumentIndex
from ringline.voice.references import BUDGET_CHARACTERS, DocumentReferences

CHUNKS = [
    "Pre-existing illnesses are covered after a waiting period of three years.",
    "Cashless claims are settled at any of our 9,000 network hospitals.",
    "Our Pune branch is on FC Road and opens at 9 am.",
]


def references() -> DocumentReferences:
    vectors = bundled_embedder().documents(CHUNKS)
    return DocumentReferences(DocumentIndex(CHUNKS, ["Policy"] * 3, vectors), bundled_embedder())


def turn(references: DocumentReferences, context: LLMContext, said: str) -> None:
    context.add_message({"role": "user", "content": said})
    references.place(context, references.note_for(said))


def test_the_closest_passages_go_just_before_the_last_turn():
    context = LLMContext(messages=[{"role": "assistant", "content": "Hello Rahul."}])
    refs = references()

    turn(refs, context, "How long is the waiting period?")

    messages = context.get_messages()
    assert [m["role"] for m in messages] == ["assistant", "system", "user"]
    note = messages[1]["content"]
    assert note.index("three years") < note.index("FC Road")  # best first
    assert "[Policy]" in note and len(note) < BUDGET_CHARACTERS + 300


def test_each_turn_replaces_the_passages_of_the_last():
    context = LLMContext()
    refs = references()

    turn(refs, context, "How long is the waiting period?")
    context.add_message({"role": "assistant", "content": "Three years."})
    turn(refs, context, "Where is the branch?")

    roles = [m["role"] for m in context.get_messages()]
    assert roles == ["user", "assistant", "system", "user"]
    assert context.get_messages()[2]["content"].count("[Policy]") == 3


def test_a_turn_with_no_words_adds_nothing():
    context = LLMContext()
    refs = references()

    turn(refs, context, "  ")

    assert [m["role"] for m in context.get_messages()] == ["user"]


async def test_the_processor_informs_the_context_it_passes_on():
    context = LLMContext(messages=[{"role": "user", "content": "Where is the Pune branch?"}])

    down, _ = await run_test(
        references(),
        frames_to_send=[LLMContextFrame(context)],
        expected_down_frames=[LLMContextFrame],
    )

    messages = down[0].context.get_messages()
    assert [m["role"] for m in messages] == ["system", "user"]
    assert messages[0]["content"].index("FC Road") < messages[0]["content"].index("three")
