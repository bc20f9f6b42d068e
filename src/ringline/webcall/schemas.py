import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

VISITOR_INFO_MAX_CHARS = 4_000


class WebcallTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assistant_id: str
    visitor_info: dict[str, Any] = Field(
        default_factory=dict,
        max_length=50,
        description="Who is calling (name, page_url, ...): kept with the call; its text "
        "values fill the assistant's {{placeholders}}",
    )

    @field_validator("visitor_info")
    @classmethod
    def _storable(cls, value: dict[str, Any]) -> dict[str, Any]:
        text = json.dumps(value)
        if len(text) > VISITOR_INFO_MAX_CHARS:
            raise ValueError(f"must be at most {VISITOR_INFO_MAX_CHARS} characters as JSON")
        if "\\u0000" in text:  # PostgreSQL's JSON cannot store NUL characters
            raise ValueError("must not contain NUL characters")
        return value


class WebcallTokenRead(BaseModel):
    token: str = Field(description="Give it to the widget; it opens one web call")
    expires_at: datetime
    assistant_id: str
