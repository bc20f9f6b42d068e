import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject

from ringline.knowledge.extract import MAX_FILE_BYTES

FAQ = (
    "Renewals\n\nThe grace period for a missed premium is thirty days from the due date. "
    "After that the policy lapses and a medical check is needed to revive it.\n\n"
    "Claims\n\nCashless claims are settled at any of our 4,000 network hospitals."
)


async def add(client, auth, name="Renewal FAQ", text=FAQ, **fields):
    body = {"name": name, "text": text, **fields}
    response = await client.post("/v1/documents", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


async def upload(client, auth, filename, data, content_type="application/octet-stream", **form):
    files = {"file": (filename, data, content_type)}
    return await client.post("/v1/documents/upload", files=files, data=form, headers=auth)


async def new_assistant(client, auth):
    body = {"name": "Agent", "prompt": "Be brief.", "language": "en", "voice": "female-1"}
    return (await client.post("/v1/assistants", json=body, headers=auth)).json()["id"]


def pdf_with(text: str) -> bytes:
    """A one-page PDF saying ``text`` in Helvetica."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    content = StreamObject()
    content.set_data(f"BT /F1 12 Tf 72 700 Td ({text}) Tj ET".encode())
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): font})
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def test_a_document_is_listed_read_and_deleted(client, auth):
    document = await add(client, auth)

    listed = (await client.get("/v1/documents", headers=auth)).json()
    read = (await client.get(f"/v1/documents/{document['id']}", headers=auth)).json()
    deleted = await client.delete(f"/v1/documents/{document['id']}", headers=auth)
    gone = await client.get(f"/v1/documents/{document['id']}", headers=auth)

    assert document["id"].startswith("doc_")
    assert document["format"] == "text" and document["chunk_count"] >= 1
    assert document["size_bytes"] == len(FAQ.encode())
    assert listed == {"documents": [document]} and read == document
    assert deleted.status_code == 204
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"
    assert (await client.get("/v1/documents", headers=auth)).json() == {"documents": []}


async def test_search_finds_the_passage_that_answers(client, auth):
    await add(client, auth)
    await add(client, auth, "Branches", "Our Pune branch is on FC Road, open 9 am to 5 pm.")

    response = await client.post(
        "/v1/documents/search", json={"query": "How long is the grace period?"}, headers=auth
    )

    results = response.json()["results"]
    assert response.status_code == 200
    assert results[0]["document_name"] == "Renewal FAQ"
    assert "thirty days" in results[0]["text"]
    assert results[0]["score"] >= results[-1]["score"]


@pytest.mark.parametrize(
    ("filename", "content_type", "data", "expected"),
    [
        ("faq.txt", "text/plain", b"The office opens at nine.", "The office opens at nine."),
        ("faq.md", "text/markdown", b"# Hours\n\nOpen at *nine*.", "Open at *nine*."),
        (
            "faq.html",
            "text/html",
            b"<html><head><style>p{}</style></head><body><p>Open at nine.</p>"
            b"<script>alert(1)</script></body></html>",
            "Open at nine.",
        ),
    ],
)
async def test_text_markdown_and_html_files_are_read(
    client, auth, filename, content_type, data, expected
):
    response = await upload(client, auth, filename, data, content_type)

    assert response.status_code == 201, response.text
    assert response.json()["name"] == filename
    search = await client.post("/v1/documents/search", json={"query": "opening"}, headers=auth)
    text = search.json()["results"][0]["text"]
    assert expected in text and "alert" not in text and "p{}" not in text


async def test_a_pdf_is_read_and_named_as_asked(client, auth):
    response = await upload(
        client, auth, "plan.pdf", pdf_with("The premium is 12000 rupees a year."), name="Plan"
    )

    assert response.status_code == 201, response.text
    assert response.json()["format"] == "pdf" and response.json()["name"] == "Plan"
    search = await client.post("/v1/documents/search", json={"query": "premium"}, headers=auth)
    assert "12000 rupees" in search.json()["results"][0]["text"]


@pytest.mark.parametrize(
    ("filename", "data", "words"),
    [
        ("tool.exe", b"MZ...", "unsupported file type"),
        ("empty.txt", b"  \n\n ", "no text"),
        ("broken.pdf", b"%PDF-1.4 not really", "PDF cannot be read"),
        ("latin.txt", "caf\u00e9".encode("latin-1"), "not UTF-8"),
        ("big.txt", b"word " * (MAX_FILE_BYTES // 5 + 1), "over 5 MB"),
    ],
)
async def test_unreadable_files_are_a_400_and_add_nothing(client, auth, filename, data, words):
    response = await upload(client, auth, filename, data)

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "bad_request" and words in error["message"]
    assert error["details"]["field"] in ("file", "text")
    assert (await client.get("/v1/documents", headers=auth)).json() == {"documents": []}


async def test_blank_text_is_a_400(client, auth):
    response = await client.post(
        "/v1/documents", json={"name": "Blank", "text": "   "}, headers=auth
    )

    assert response.status_code == 400 and "no text" in response.json()["error"]["message"]


async def test_documents_attach_to_an_assistant_and_narrow_its_search(client, auth):
    faq = await add(client, auth)
    branches = await add(client, auth, "Branches", "Our Pune branch is on FC Road.")
    assistant_id = await new_assistant(client, auth)
    path = f"/v1/assistants/{assistant_id}/documents"

    attached = await client.put(path, json={"document_ids": [branches["id"]]}, headers=auth)
    search = await client.post(
        "/v1/documents/search",
        json={"query": "grace period", "assistant_id": assistant_id},
        headers=auth,
    )
    listed = (await client.get(path, headers=auth)).json()
    await client.delete(f"/v1/documents/{branches['id']}", headers=auth)

    assert attached.status_code == 200
    assert [d["id"] for d in attached.json()["documents"]] == [branches["id"]]
    assert listed == attached.json()
    assert {r["document_id"] for r in search.json()["results"]} == {branches["id"]}
    assert faq["id"] not in str(search.json())
    assert (await client.get(path, headers=auth)).json() == {"documents": []}


async def test_attaching_an_unknown_document_is_a_400_that_changes_nothing(client, auth):
    document = await add(client, auth)
    assistant_id = await new_assistant(client, auth)
    path = f"/v1/assistants/{assistant_id}/documents"
    await client.put(path, json={"document_ids": [document["id"]]}, headers=auth)

    response = await client.put(
        path, json={"document_ids": [document["id"], "doc_missing"]}, headers=auth
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"]["missing"] == ["doc_missing"]
    assert [d["id"] for d in (await client.get(path, headers=auth)).json()["documents"]] == [
        document["id"]
    ]


async def test_another_workspace_can_neither_see_nor_attach_the_documents(client, auth, make_key):
    document = await add(client, auth)
    other = (await make_key("globex")).headers
    their_assistant = await new_assistant(client, other)
    our_assistant = await new_assistant(client, auth)

    listed = (await client.get("/v1/documents", headers=other)).json()
    read = await client.get(f"/v1/documents/{document['id']}", headers=other)
    deleted = await client.delete(f"/v1/documents/{document['id']}", headers=other)
    attached = await client.put(
        f"/v1/assistants/{their_assistant}/documents",
        json={"document_ids": [document["id"]]},
        headers=other,
    )
    into_ours = await client.put(
        f"/v1/assistants/{our_assistant}/documents", json={"document_ids": []}, headers=other
    )
    search = await client.post("/v1/documents/search", json={"query": "grace"}, headers=other)

    assert listed == {"documents": []}
    assert read.status_code == 404 and deleted.status_code == 404
    assert attached.status_code == 400 and into_ours.status_code == 404
    assert search.json() == {"results": []}
    assert (await client.get(f"/v1/documents/{document['id']}", headers=auth)).status_code == 200


async def test_a_document_of_too_many_passages_is_a_400(client, auth, monkeypatch):
    monkeypatch.setattr("ringline.knowledge.service.MAX_CHUNKS", 2)
    text = "\n\n".join(f"Paragraph {i}. " + "word " * 70 for i in range(3))

    response = await client.post("/v1/documents", json={"name": "Long", "text": text}, headers=auth)

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"field": "text", "max_chunks": 2}


async def test_text_over_the_limit_in_utf8_is_a_400_naming_the_text(client, auth):
    text = "\u0928" * (MAX_FILE_BYTES // 3 + 1)  # three bytes each in UTF-8

    response = await client.post("/v1/documents", json={"name": "Big", "text": text}, headers=auth)

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"field": "text", "max_bytes": MAX_FILE_BYTES}
