from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class WebcallTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assistant_id: str
    visitor_info: dict[str, Any] = Field(
        default_factory=dict,
        max_length=50,
        description="Who is calling (name, page_url, ...): kept with the call; its text "
        "values fill the assistant's {{placeholders}}",
    )


class WebcallTokenRead(BaseModel):
    token: str = Field(description="Give it to the widget; it opens one web call")
    expires_at: datetime
    assistant_id: str
