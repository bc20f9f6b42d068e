from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ringline.knowledge.extract import FORMATS, MAX_FILE_BYTES

Name = Annotated[str, Field(min_length=1, max_length=200)]
DocumentFormat = Annotated[str, Field(json_schema_extra={"enum": list(FORMATS)})]


class DocumentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    text: str = Field(
        min_length=1,
        max_length=MAX_FILE_BYTES,
        description="Plain text or Markdown; upload files at POST /v1/documents/upload",
    )
    format: str = Field("text", pattern="^(text|markdown)$", description="text or markdown")


class DocumentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    format: DocumentFormat
    size_bytes: int
    chunk_count: int = Field(description="Passages the document was cut into for search")
    created_at: datetime


class DocumentList(BaseModel):
    documents: list[DocumentRead]


class DocumentSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=1_000)
    assistant_id: str | None = Field(
        None, description="Search only the documents attached to this assistant"
    )
    limit: int = Field(5, strict=True, ge=1, le=50)


class SearchHit(BaseModel):
    document_id: str
    document_name: str
    text: str
    score: float = Field(description="Cosine similarity of the passage to the query")


class SearchResults(BaseModel):
    results: list[SearchHit]


class AssistantDocuments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_ids: list[str] = Field(
        max_length=100, description="The documents the assistant answers from; [] detaches all"
    )
