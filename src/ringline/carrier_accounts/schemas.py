import ssl
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

CarrierKind = Literal["twilio", "plivo", "exotel", "sip"]
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


class SipTrunkCreate(BaseModel):
    """A SIP trunk (or a PBX): calls go to its proxy as INVITEs, audio as RTP."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    carrier: Literal["sip"]
    name: str | None = Field(None, min_length=1, max_length=64, examples=["Airtel trunk"])
    host: str = Field(
        min_length=1,
        max_length=253,
        pattern=r"^[A-Za-z0-9.-]+$",
        examples=["sip.example.net"],
        description="The trunk's registrar/proxy: a host name or IPv4 address",
    )
    port: int = Field(5060, strict=True, ge=1, le=65535)
    transport: Literal["udp", "tcp", "tls"] = Field(
        "udp", description="How SIP reaches the trunk; tls checks its certificate"
    )
    username: str | None = Field(
        None, min_length=1, max_length=128, description="For digest authentication"
    )
    password: Secret | None = None
    # "register" in the API; another name here, where BaseModel has a "register" of its own.
    registers: bool = Field(
        False,
        strict=True,
        alias="register",
        description="REGISTER with the trunk; false for trunks that trust the IP",
    )
    caller_id: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        pattern=r"^\+?[0-9A-Za-z._-]+$",
        description="The user part of From; empty: the number the call is from",
    )
    rtp_port_min: int = Field(10000, strict=True, ge=1024, le=65535)
    rtp_port_max: int = Field(20000, strict=True, ge=1024, le=65535)
    tls_ca_certificates: str | None = Field(
        None,
        max_length=65536,
        description="PEM CA certificates the trunk's TLS certificate must chain to (a "
        "PBX's own CA); empty: the system's trusted CAs",
    )

    @model_validator(mode="after")
    def _port_range_in_order(self) -> "SipTrunkCreate":
        if self.rtp_port_max < self.rtp_port_min:
            raise ValueError("rtp_port_max must not be below rtp_port_min")
        return self

    @field_validator("tls_ca_certificates")
    @classmethod
    def _certificates_load(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        if info.data.get("transport") != "tls":
            raise ValueError("tls_ca_certificates needs transport 'tls'")
        try:
            ssl.create_default_context(cadata=value)
        except (ssl.SSLError, ValueError, TypeError) as exc:  # TypeError: not ASCII
            raise ValueError(f"not PEM CA certificates: {exc}") from exc
        return value


CarrierAccountCreate = Annotated[
    TwilioAccountCreate | PlivoAccountCreate | ExotelAccountCreate | SipTrunkCreate,
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
