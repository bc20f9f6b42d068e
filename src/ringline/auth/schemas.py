from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ringline.auth.scopes import Scope


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field("api key", min_length=1, max_length=100)
    scope: Scope = Scope.write
    expires_at: datetime | None = Field(None, description="When the key stops working (UTC)")


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    scope: Scope
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The secret: shown only in this response")


class ApiKeyList(BaseModel):
    keys: list[ApiKeyRead]
