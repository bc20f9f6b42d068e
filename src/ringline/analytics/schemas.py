from pydantic import BaseModel, Field

from ringline.calls.schemas import CallStatusRead


class CallHistoryItem(CallStatusRead):
    campaign_id: str | None = Field(None, description="The campaign that placed the call")


class CallHistory(BaseModel):
    calls: list[CallHistoryItem]
    total: int = Field(description="Calls matching the filters, over every page")
    limit: int
    offset: int


class CallCounts(BaseModel):
    total_calls: int
    completed: int
    failed: int
    no_answer: int
    avg_duration_seconds: int = Field(description="Of completed calls, rounded; 0 when none")
    dispositions: dict[str, int] = Field(description="Calls per disposition label")
    busy: int
    by_status: dict[str, int] = Field(description="Calls per status, every status listed")


class AnalyticsGroup(CallCounts):
    key: str = Field(
        description="The day (YYYY-MM-DD, UTC), the assistant ID or the campaign ID "
        "('none' for calls outside campaigns)"
    )


class Analytics(CallCounts):
    groups: list[AnalyticsGroup] | None = Field(
        None, description="The same counts per day or per assistant, when group_by is given"
    )
    extracted: dict[str, int] | None = Field(
        None,
        description="Calls per value of extracted_field (true, false and numbers as JSON "
        "writes them), when it is given",
    )
