"""A call's plan holds its assistant's documents in memory, shared by the calls that have
the same documents."""

from ringline.knowledge import service
from ringline.runtime.plan import DocumentIndexes
from tests.fixtures.rows import assistant_in, workspace_with_assistant


async def test_the_index_holds_the_attached_documents_and_is_shared(session):
    workspace, assistant = await workspace_with_assistant(session, "plans")
    other = await assistant_in(session, workspace.id)
    faq = await service.add_document(session, workspace.id, "FAQ", "Open at nine.", "text")
    terms = await service.add_document(session, workspace.id, "Terms", "Grace: 30 days.", "text")
    await service.attach_documents(session, workspace.id, assistant.id, [faq.id])
    await service.attach_documents(session, workspace.id, other.id, [faq.id])
    indexes = DocumentIndexes()

    first = await indexes.of(session, workspace.id, assistant.id)
    shared = await indexes.of(session, workspace.id, other.id)
    await service.attach_documents(session, workspace.id, assistant.id, [faq.id, terms.id])
    both = await indexes.of(session, workspace.id, assistant.id)

    assert first is not None and first.texts == ("Open at nine.",)
    assert shared is first
    assert both is not None and set(both.texts) == {"Open at nine.", "Grace: 30 days."}


async def test_no_documents_no_index_and_none_of_another_workspace(session):
    workspace, assistant = await workspace_with_assistant(session, "bare")
    elsewhere, _ = await workspace_with_assistant(session, "elsewhere")
    await service.add_document(session, elsewhere.id, "FAQ", "Open at nine.", "text")

    assert await DocumentIndexes().of(session, workspace.id, assistant.id) is None
    assert await DocumentIndexes().of(session, elsewhere.id, assistant.id) is None
