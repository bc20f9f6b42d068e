"""The dialogue answers from the assistant's documents: the closest chunks of each question
join the prompt's passages, and the sentence that answers is said."""

import numpy as np

from ringline.knowledge.chunks import chunk_text
from ringline.voice.dialogue import Dialogue, bundled_embedder
from ringline.voice.dialogue.documents import DocumentIndex, best_sentence, within_budget
from ringline.voice.dialogue.text import content_stems

PROMPT = (
    "You are Priya from Acme Insurance calling about a health policy renewal. "
    "The renewal costs 12,400 rupees a year. Answer in one short sentence."
)
POLICY = """Claims

Cashless claims are settled directly with any of our 9,000 network hospitals. For a
reimbursement claim, send the bills within 30 days of discharge.

Waiting periods

Pre-existing illnesses are covered after a waiting period of three years. Maternity
benefits start after nine months.

Add-ons

A critical illness rider can be added at renewal for 2,100 rupees a year. Dental
treatment is covered only after an accident."""
FILLER = "\n\n".join(
    f"Branch {i} of Acme Insurance in city number {i} is open on weekdays." for i in range(40)
)


def index_of(*documents: str) -> DocumentIndex:
    chunks = [c for d in documents for c in chunk_text(d)]
    return DocumentIndex(chunks, ["Policy"] * len(chunks), bundled_embedder().documents(chunks))


def test_a_question_the_prompt_cannot_answer_is_answered_from_a_document():
    dialogue = Dialogue(PROMPT, {}, bundled_embedder(), index_of(POLICY, FILLER))
    dialogue.opening()

    reply = dialogue.respond("How long is the waiting period for pre-existing illnesses?")

    assert "three years" in reply.text


def test_the_prompt_still_answers_its_own_facts():
    dialogue = Dialogue(PROMPT, {}, bundled_embedder(), index_of(POLICY))
    dialogue.opening()

    reply = dialogue.respond("How much does the renewal cost?")

    assert "12,400 rupees" in reply.text


def test_an_answer_from_a_document_said_again_is_said_as_mentioned():
    dialogue = Dialogue(PROMPT, {}, bundled_embedder(), index_of(POLICY))
    dialogue.opening()

    first = dialogue.respond("Is dental treatment covered?")
    again = dialogue.respond("Sorry, is dental treatment covered?")

    assert "accident" in first.text
    assert again.text.startswith("As I mentioned")


def test_without_documents_the_question_is_not_answered():
    dialogue = Dialogue(PROMPT, {}, bundled_embedder())
    dialogue.opening()

    reply = dialogue.respond("How long is the waiting period for pre-existing illnesses?")

    assert "three years" not in reply.text


def test_nearest_orders_by_similarity_and_keeps_the_limit():
    vectors = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], dtype=np.float32)
    index = DocumentIndex(["a", "b", "c"], ["d"] * 3, vectors * 3)  # rows are normalised

    found = index.nearest(np.array([0.0, 1.0], dtype=np.float32), 2)

    assert [f.text for f in found] == ["c", "b"]
    assert round(found[1].score, 3) == 0.8


def test_blobs_round_trip_and_the_budget_keeps_whole_passages():
    vectors = np.eye(3, dtype=np.float32)
    rows = [(t, "d", v.tobytes()) for t, v in zip(["aaaa", "bb", "c"], vectors, strict=True)]
    index = DocumentIndex.from_blobs(rows)

    found = index.nearest(np.array([1.0, 0.5, 0.1], dtype=np.float32), 3)

    assert found[0].text == "aaaa" and np.allclose(index.vectors, vectors)
    assert [f.text for f in within_budget(found, 6)] == ["aaaa", "bb"]
    assert [f.text for f in within_budget(found, 3)] == []


def test_the_sentence_sharing_the_question_s_words_is_said():
    chunk = "Claims. Cashless claims are settled at network hospitals. Bills go by post."

    assert best_sentence(chunk, content_stems("Are cashless claims settled?")) == (
        "Cashless claims are settled at network hospitals."
    )
