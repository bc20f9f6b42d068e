from ringline.knowledge.chunks import MAX_WORDS, chunk_text
from ringline.knowledge.extract import html_text


def paragraph(topic: str, sentences: int) -> str:
    return " ".join(
        f"The {topic} fact number {i} is stated here in full." for i in range(sentences)
    )


def test_short_text_is_one_chunk():
    assert chunk_text("Open at nine.\n\nClosed on Sunday.") == ["Open at nine. Closed on Sunday."]


def test_blank_text_has_no_chunks():
    assert chunk_text(" \n\n \n") == []


def test_chunks_end_at_paragraphs_past_the_target_and_overlap_by_a_sentence():
    text = "\n\n".join(paragraph(topic, 8) for topic in ("price", "branch", "claims"))

    chunks = chunk_text(text)

    assert len(chunks) == 3
    assert all(len(c.split()) <= MAX_WORDS + 10 for c in chunks)
    assert chunks[1].startswith("The price fact number 7")  # the overlap
    assert "claims fact number 7" in chunks[-1]


def test_a_long_paragraph_is_cut_at_sentences_and_nothing_is_lost():
    text = paragraph("price", 40)

    chunks = chunk_text(text)

    assert all(len(c.split()) <= MAX_WORDS for c in chunks)
    assert all(f"number {i} " in " ".join(chunks) for i in range(40))


def test_a_sentence_longer_than_a_chunk_is_cut_into_runs():
    chunks = chunk_text("word " * (MAX_WORDS * 2 + 5))

    assert [len(c.split()) for c in chunks] == [MAX_WORDS, MAX_WORDS, 5]


def test_html_keeps_blocks_apart_and_drops_scripts_and_styles():
    html = (
        "<head><title>T</title><style>p {color: red}</style></head><body><h1>Hours</h1>"
        "<p>Open at&nbsp;nine.</p><script>var x = 1;</script><ul><li>Closed Sunday</li></ul>"
    )

    assert html_text(html) == "Hours\n\nOpen at nine.\n\nClosed Sunday"
