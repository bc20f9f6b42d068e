"""Knowledge base: documents a workspace adds, that its assistants answer calls from."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.convertors import StringConvertor, register_url_convertor

from ringline.auth.dependencies import Reader, Session, Writer
from ringline.auth.service import Principal
from ringline.knowledge import service
from ringline.knowledge.extract import MAX_FILE_BYTES, file_format
from ringline.knowledge.schemas import (
    AssistantDocuments,
    DocumentCreate,
    DocumentList,
    DocumentRead,
    DocumentSearch,
    SearchHit,
    SearchResults,
)


class DocumentIdConvertor(StringConvertor):
    """A document ID segment, never ``search`` or ``upload``: ``GET /documents/search`` is
    then no document's page, and a 405 there lists only POST in its ``Allow`` header."""

    regex = "(?!(?:search|upload)$)[^/]+"


register_url_convertor("document_id", DocumentIdConvertor())
router = APIRouter(prefix="/documents", tags=["knowledge"])
assistant_documents_router = APIRouter(prefix="/assistants", tags=["knowledge"])


@router.get("", response_model=DocumentList)
async def list_documents(
    principal: Principal = Reader, session: AsyncSession = Session
) -> DocumentList:
    """List the workspace's documents, oldest first."""
    documents = await service.list_documents(session, principal.workspace_id)
    return DocumentList(documents=[DocumentRead.model_validate(d) for d in documents])


@router.post("", response_model=DocumentRead, status_code=201)
async def create_document(
    body: DocumentCreate, principal: Principal = Writer, session: AsyncSession = Session
) -> DocumentRead:
    """Add a document from its text (plain or Markdown): it is chunked and embedded."""
    document = await service.add_document(
        session, principal.workspace_id, body.name, body.text, body.format
    )
    return DocumentRead.model_validate(document)


@router.post("/upload", response_model=DocumentRead, status_code=201)
async def upload_document(
    file: Annotated[UploadFile, File(description="A .txt, .md, .html or .pdf file, 5 MB at most")],
    name: Annotated[str | None, Form(min_length=1, max_length=200)] = None,
    principal: Principal = Writer,
    session: AsyncSession = Session,
) -> DocumentRead:
    """Add a document from a file (text, Markdown, HTML or PDF): its text is extracted,
    chunked and embedded."""
    filename = file.filename or "document"
    format = file_format(filename, file.content_type)
    data = await file.read(MAX_FILE_BYTES + 1)  # one byte more tells a file too large
    document = await service.add_file(
        session, principal.workspace_id, name or filename, data, format
    )
    return DocumentRead.model_validate(document)


@router.get("/{document_id:document_id}", response_model=DocumentRead)
async def get_document(
    document_id: str, principal: Principal = Reader, session: AsyncSession = Session
) -> DocumentRead:
    """One document of the workspace."""
    document = await service.get_document(session, principal.workspace_id, document_id)
    return DocumentRead.model_validate(document)


@router.delete("/{document_id:document_id}", status_code=204)
async def delete_document(
    document_id: str, principal: Principal = Writer, session: AsyncSession = Session
) -> Response:
    """Delete a document: assistants no longer answer from it."""
    await service.delete_document(session, principal.workspace_id, document_id)
    return Response(status_code=204)


@router.post("/search", response_model=SearchResults)
async def search_documents(
    body: DocumentSearch, principal: Principal = Reader, session: AsyncSession = Session
) -> SearchResults:
    """The passages of the workspace's documents (or an assistant's) closest to a query."""
    hits = await service.search(
        session, principal.workspace_id, body.query, body.assistant_id, body.limit
    )
    return SearchResults(
        results=[
            SearchHit(
                document_id=h.document_id,
                document_name=h.document_name,
                text=h.found.text,
                score=round(h.found.score, 4),
            )
            for h in hits
        ]
    )


@assistant_documents_router.get("/{assistant_id}/documents", response_model=DocumentList)
async def list_assistant_documents(
    assistant_id: str, principal: Principal = Reader, session: AsyncSession = Session
) -> DocumentList:
    """The documents the assistant answers from."""
    documents = await service.assistant_documents(session, principal.workspace_id, assistant_id)
    return DocumentList(documents=[DocumentRead.model_validate(d) for d in documents])


@assistant_documents_router.put("/{assistant_id}/documents", response_model=DocumentList)
async def attach_documents(
    assistant_id: str,
    body: AssistantDocuments,
    principal: Principal = Writer,
    session: AsyncSession = Session,
) -> DocumentList:
    """Set the documents the assistant answers from (replacing those before)."""
    documents = await service.attach_documents(
        session, principal.workspace_id, assistant_id, body.document_ids
    )
    return DocumentList(documents=[DocumentRead.model_validate(d) for d in documents])
