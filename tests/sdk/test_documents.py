"""The knowledge base through both clients against a real ringline server: add, upload,
list, search, attach and delete documents, errors included."""

import pytest

from ringline.sdk import BadRequestError, Document, DocumentSearchResults, NotFoundError
from tests.sdk.support import ADMIN_KEY, Connect, call

FAQ = "The grace period for a missed premium is thirty days from the due date."


async def test_documents_are_added_searched_attached_and_deleted(
    connect: Connect, ringline_url: str
) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    assistant = await call(client.assistants.create, name="Knows", prompt="Be brief.")

    typed = await call(client.documents.create, "FAQ", FAQ)
    uploaded = await call(
        client.documents.upload, b"<p>Our Pune branch is on FC Road.</p>", "branches.html"
    )
    attached = await call(client.documents.attach, assistant.id, [typed.id])
    found = await call(client.documents.search, "grace period", assistant_id=assistant.id, limit=2)
    listed = await call(client.documents.list)

    assert isinstance(typed, Document) and typed.format == "text" and typed.chunk_count == 1
    assert uploaded.format == "html" and uploaded.name == "branches.html"
    assert [d.id for d in attached] == [typed.id]
    assert [d.id for d in await call(client.documents.attached, assistant.id)] == [typed.id]
    assert isinstance(found, DocumentSearchResults)
    assert [hit.document_id for hit in found] == [typed.id] and "thirty days" in found[0].text
    assert {typed.id, uploaded.id} <= {d.id for d in listed}
    assert (await call(client.documents.get, uploaded.id)).id == uploaded.id
    for document in (typed, uploaded):
        assert await call(client.documents.delete, document.id) is None
    with pytest.raises(NotFoundError):
        await call(client.documents.get, typed.id)


async def test_bad_documents_are_refused(connect: Connect, ringline_url: str) -> None:
    client = connect(api_key=ADMIN_KEY, base_url=ringline_url)
    assistant = await call(client.assistants.create, name="Refuses", prompt="Be brief.")

    with pytest.raises(BadRequestError, match="unsupported file type"):
        await call(client.documents.upload, b"MZ", "tool.exe", name="Tool")
    with pytest.raises(BadRequestError, match="doc_missing"):
        await call(client.documents.attach, assistant.id, ["doc_missing"])
