"""Documents of a workspace and the assistants they are attached to: every query here is
filtered by the workspace (a chunk belongs to it through its document)."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ringline.assistants.service import get_assistant
from ringline.db.tenancy import get_owned, list_owned
from ringline.errors import BadRequest
from ringline.knowledge.chunks import chunk_text
from ringline.knowledge.extract import check_size, extract_text
from ringline.models import AssistantDocument, Document, DocumentChunk
from ringline.voice.dialogue.documents import EMBEDDING_DTYPE, DocumentIndex, Found
from ringline.voice.dialogue.embedding import bundled_embedder

# Embedding takes ~15 ms a chunk: this many keep an upload under about 30 s.
MAX_CHUNKS = 2_000
# Chunks: (text, document name, float32 embedding bytes), as a call's index is built from.
ChunkRow = tuple[str, str, bytes]


@dataclass(frozen=True)
class Hit:
    document_id: str
    document_name: str
    found: Found


async def list_documents(session: AsyncSession, workspace_id: str) -> list[Document]:
    return await list_owned(session, Document, workspace_id)


async def get_document(session: AsyncSession, workspace_id: str, document_id: str) -> Document:
    return await get_owned(session, Document, workspace_id, document_id, "document")


async def add_file(
    session: AsyncSession, workspace_id: str, name: str, data: bytes, format: str
) -> Document:
    """A document from an uploaded file's bytes, read as ``format``."""
    check_size(len(data))
    text = await asyncio.to_thread(extract_text, data, format)  # a PDF takes a while
    return await add_document(session, workspace_id, name, text, format, size_bytes=len(data))


async def add_document(
    session: AsyncSession,
    workspace_id: str,
    name: str,
    text: str,
    format: str,
    size_bytes: int | None = None,
) -> Document:
    """Chunks ``text``, embeds the chunks and keeps both; 400 if there is nothing to read."""
    size = len(text.encode()) if size_bytes is None else size_bytes
    check_size(size, "file" if size_bytes is not None else "text")
    chunks = chunk_text(text)
    if not chunks:
        raise BadRequest(f"{name} holds no text to read", {"field": "text"})
    if len(chunks) > MAX_CHUNKS:
        raise BadRequest(
            f"{name} makes {len(chunks)} passages: at most {MAX_CHUNKS} (about 200,000 "
            "words) in one document; split it",
            {"field": "text", "max_chunks": MAX_CHUNKS},
        )
    # Embedding takes ~15 ms a chunk of CPU: off the event loop.
    vectors = await asyncio.to_thread(bundled_embedder().documents, chunks)
    document = Document(
        workspace_id=workspace_id,
        name=name,
        format=format,
        size_bytes=size,
        text=text,
        chunk_count=len(chunks),
    )
    session.add(document)
    await session.flush()
    session.add_all(_chunk_rows(document.id, chunks, vectors))
    await session.flush()
    return document


def _chunk_rows(document_id: str, chunks: list[str], vectors: np.ndarray) -> list[DocumentChunk]:
    return [
        DocumentChunk(
            document_id=document_id,
            position=i,
            text=chunk,
            embedding=vector.astype(EMBEDDING_DTYPE).tobytes(),
        )
        for i, (chunk, vector) in enumerate(zip(chunks, vectors, strict=True))
    ]


async def delete_document(session: AsyncSession, workspace_id: str, document_id: str) -> None:
    """Deletes the document, its chunks and its attachments (the foreign keys cascade)."""
    document = await get_document(session, workspace_id, document_id)
    await session.execute(delete(DocumentChunk).where(DocumentChunk.document_id == document.id))
    await session.execute(
        delete(AssistantDocument).where(AssistantDocument.document_id == document.id)
    )
    await session.delete(document)
    await session.flush()


async def assistant_documents(
    session: AsyncSession, workspace_id: str, assistant_id: str
) -> list[Document]:
    """The documents attached to the assistant, oldest first."""
    await get_assistant(session, workspace_id, assistant_id)
    query = (
        select(Document)
        .join(AssistantDocument, AssistantDocument.document_id == Document.id)
        .where(AssistantDocument.assistant_id == assistant_id)
        .where(Document.workspace_id == workspace_id)
        .order_by(Document.created_at, Document.id)
    )
    return list(await session.scalars(query))


async def attach_documents(
    session: AsyncSession, workspace_id: str, assistant_id: str, document_ids: list[str]
) -> list[Document]:
    """Makes ``document_ids`` the assistant's documents; 400 naming any the workspace does
    not have (and nothing changes)."""
    await get_assistant(session, workspace_id, assistant_id)
    wanted = list(dict.fromkeys(document_ids))
    owned = set(
        await session.scalars(
            select(Document.id).where(
                Document.workspace_id == workspace_id, Document.id.in_(wanted)
            )
        )
    )
    if missing := [i for i in wanted if i not in owned]:
        raise BadRequest(
            f"not documents of this workspace (GET /v1/documents): {', '.join(missing)}",
            {"field": "document_ids", "missing": missing},
        )
    await session.execute(
        delete(AssistantDocument).where(AssistantDocument.assistant_id == assistant_id)
    )
    session.add_all(AssistantDocument(assistant_id=assistant_id, document_id=i) for i in wanted)
    await session.flush()
    return await assistant_documents(session, workspace_id, assistant_id)


async def attached_ids(
    session: AsyncSession, workspace_id: str, assistant_id: str
) -> tuple[str, ...]:
    """The IDs of the assistant's documents, sorted: as documents never change once added,
    they name what a call's index holds."""
    query = (
        select(Document.id)
        .join(AssistantDocument, AssistantDocument.document_id == Document.id)
        .where(AssistantDocument.assistant_id == assistant_id)
        .where(Document.workspace_id == workspace_id)
        .order_by(Document.id)
    )
    return tuple(await session.scalars(query))


async def chunk_rows(
    session: AsyncSession, workspace_id: str, document_ids: Sequence[str] | None = None
) -> list[tuple[str, ChunkRow]]:
    """The workspace's chunks (of ``document_ids`` only, where given), each with its
    document's ID, in document order."""
    query = (
        select(Document.id, DocumentChunk.text, Document.name, DocumentChunk.embedding)
        .join(DocumentChunk, DocumentChunk.document_id == Document.id)
        .where(Document.workspace_id == workspace_id)
        .order_by(Document.created_at, Document.id, DocumentChunk.position)
    )
    if document_ids is not None:
        query = query.where(Document.id.in_(document_ids))
    rows = await session.execute(query)
    return [(doc_id, (text, name, blob)) for doc_id, text, name, blob in rows]


async def documents_index(
    session: AsyncSession, workspace_id: str, document_ids: Sequence[str]
) -> DocumentIndex:
    """The chunks of ``document_ids`` in memory, as a call searches them."""
    rows = await chunk_rows(session, workspace_id, document_ids)
    return DocumentIndex.from_blobs([row for _, row in rows])


async def search(
    session: AsyncSession, workspace_id: str, query: str, assistant_id: str | None, limit: int
) -> list[Hit]:
    """The passages closest to ``query``, best first."""
    document_ids = None
    if assistant_id is not None:
        await get_assistant(session, workspace_id, assistant_id)
        document_ids = await attached_ids(session, workspace_id, assistant_id)
    rows = await chunk_rows(session, workspace_id, document_ids)
    if not rows:
        return []
    index = DocumentIndex.from_blobs([row for _, row in rows])
    found = await asyncio.to_thread(index.search, bundled_embedder(), query, limit)
    return [Hit(rows[f.row][0], f.source, f) for f in found]
