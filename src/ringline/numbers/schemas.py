from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ringline.phone import E164

Carrier = Literal["sandbox", "twilio", "plivo", "exotel", "sip"]


class NumberCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: E164 = Field(description="With its country code, like +91 80012 34567")
    carrier: Carrier = Field(
        "sandbox", description="Implied by carrier_account_id where that is given"
    )
    carrier_account_id: str | None = Field(
        None, description="The workspace's carrier account the number is on (not the sandbox)"
    )
    assistant_id: str | None = Field(None, description="The assistant that answers this number")
    concurrent_call_limit: int | None = Field(
        None,
        strict=True,
        ge=1,
        le=10000,
        description="Calls this number may carry at once; none: no limit",
    )


class NumberAssign(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assistant_id: str | None = Field(description="The assistant to assign; null unassigns")


class NumberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    number: str
    carrier: Carrier
    carrier_account_id: str | None
    assistant_id: str | None
    concurrent_call_limit: int | None
    created_at: datetime


class NumberList(BaseModel):
    numbers: list[NumberRead]
