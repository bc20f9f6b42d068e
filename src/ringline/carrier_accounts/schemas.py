from datetime import datetime
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, SecretStr

CarrierKind = Literal["twilio", "plivo", "exotel"]
Secret = Annotated[SecretStr, Field(min_length=1, max_length=256)]


class _AccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=64, examples=["Sales lines"])
    api_base_url: AnyHttpUrl | None = Field(
        None, description="The carrier's REST API; empty: its public one (regions need another)"
    )


class TwilioAccountCreate(_AccountCreate):
    carrier: Literal["twilio"]
    account_sid: str = Field(pattern=r"^AC[0-9a-fA-F]{32}$", examples=["AC" + "0" * 32])
    auth_token: Secret


class PlivoAccountCreate(_AccountCreate):
    carrier: Literal["plivo"]
    auth_id: str = Field(pattern=r"^[MS]A[A-Z0-9]{18}$", examples=["MAXXXXXXXXXXXXXXXXXX"])
    auth_token: Secret


class ExotelAccountCreate(_AccountCreate):
    carrier: Literal["exotel"]
    api_key: Secret
    api_token: Secret
    account_sid: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$", examples=["acme1"])
    subdomain: str = Field(
        pattern=r"^api(\.[a-z]{2})?\.exotel\.com$",
        examples=["api.in.exotel.com"],
        description="api.exotel.com (Singapore) or api.in.exotel.com (Mumbai)",
    )


CarrierAccountCreate = Annotated[
    TwilioAccountCreate | PlivoAccountCreate | ExotelAccountCreate,
    Field(discriminator="carrier"),
]


class CarrierAccountRead(BaseModel):
    """A carrier account; its credentials are never shown again."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    carrier: CarrierKind
    name: str | None
    api_base_url: str
    created_at: datetime


class CarrierAccountList(BaseModel):
    carrier_accounts: list[CarrierAccountRead]
