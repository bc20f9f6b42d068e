"""Settings: the one place that reads the environment (variables prefixed ``RINGLINE_``)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from limits import parse as parse_rate
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RINGLINE_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("ringline-data")
    # Empty means the embedded default: SQLite in ``data_dir``.
    database_url: str = ""
    secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    # An admin key to create on first start instead of a random one (for scripted set-ups).
    bootstrap_api_key: SecretStr | None = None

    host: str = "127.0.0.1"
    port: int = 8000
    # ``serve`` also dials waiting calls and delivers webhooks; false leaves that to
    # ``ringline worker`` processes (it still carries call audio and answers the API).
    background: bool = True
    # ``serve`` loads and runs the bundled models before it reports ready, so the first
    # call has no extra silence; false for processes that place no call (tests).
    warm_up: bool = True

    # Per API key; any string the ``limits`` library parses ("60/minute", "1000 per hour").
    rate_limit: str = "60/minute"
    # "memory://" for one process; "redis://host:6379" to share limits between processes.
    rate_limit_storage: str = "memory://"

    # calls and the voice engine
    # Where phone carriers reach this server (https://, through a tunnel for a local
    # trial): their answer and status URLs; empty: this server on loopback.
    public_url: str = ""
    # Where carriers send call audio (ws:// or wss://); empty: the public URL's socket.
    media_url: str = ""
    # An OpenAI-compatible chat endpoint for the agents; empty: the bundled SmolLM2.
    llm_base_url: str = ""
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr = SecretStr("")
    # How often the dialer looks for calls to place when nothing wakes it sooner.
    dial_poll_seconds: float = 1.0
    # How often the campaign scheduler looks for contacts due when nothing wakes it sooner.
    campaign_poll_seconds: float = 1.0
    # SIP trunks: where inbound INVITEs arrive (host:port, UDP); empty: no inbound SIP,
    # and outbound calls leave from a port of the system's choosing.
    sip_listen: str = ""
    # The address a trunk reaches this server at (SIP Contact and SDP) when it is not the
    # listening one: a public IP in front of NAT; empty: the listening (or local) address.
    sip_public_host: str = ""
    # A call whose peer sent no RTP for this long has vanished without BYE: it is hung up.
    sip_rtp_timeout_seconds: float = Field(30.0, gt=0)
    # How long an outbound INVITE may ring before it is cancelled (no-answer).
    sip_ring_seconds: float = Field(60.0, gt=0)
    # SIP over TLS from trunks and PBXs calling in (host:port; 5061 by custom), with the
    # certificate (PEM, its chain after it) and key ringline presents; empty: no TLS
    # listener (outbound TLS trunks need none of these).
    sip_tls_listen: str = ""
    sip_tls_certificate: Path | None = None
    sip_tls_key: Path | None = None
    # One ring of a simulated callee's phone.
    sandbox_ring_seconds: float = 3.0
    # Each process renews its claim on its live calls this often; a process silent for
    # ``worker_lease_seconds`` is taken for dead and its live calls are failed.
    worker_heartbeat_seconds: float = 5.0
    worker_lease_seconds: float = 20.0

    # The customers' clock for calls outside any campaign (a campaign has its own): when
    # "call me back at 5" is, and when the workspace's quiet hours are.
    default_timezone: str = "Asia/Kolkata"

    # web calls: how long a widget token stays usable after it is made
    webcall_token_seconds: int = Field(300, ge=1, le=86_400)

    # webhooks
    # Refuse webhook URLs that resolve to loopback, private or link-local addresses (SSRF).
    allow_private_webhooks: bool = False
    webhook_timeout_seconds: float = 10.0
    # Seconds to wait before each retry; its length is the number of retries (~27 h in all).
    webhook_retry_schedule: list[float] = [5, 300, 1800, 7200, 18000, 36000, 36000]
    webhook_concurrency: int = 32
    webhook_per_endpoint_concurrency: int = 4
    # Consecutive failed attempts after which an endpoint shows as 'failing'.
    webhook_failing_after: int = 5
    # A claimed message whose process died is retried once its lease runs out.
    webhook_lease_seconds: float = 60.0
    webhook_poll_seconds: float = 1.0

    @field_validator("default_timezone")
    @classmethod
    def _timezone_known(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not an IANA time zone like Asia/Kolkata") from None
        return value

    @field_validator("rate_limit")
    @classmethod
    def _rate_limit_parses(cls, value: str) -> str:
        parse_rate(value)
        return value

    @model_validator(mode="after")
    def _tls_listener_has_its_certificate(self) -> "Settings":
        if self.sip_tls_listen and (self.sip_tls_certificate is None or self.sip_tls_key is None):
            raise ValueError(
                "RINGLINE_SIP_TLS_LISTEN needs RINGLINE_SIP_TLS_CERTIFICATE and "
                "RINGLINE_SIP_TLS_KEY"
            )
        return self

    @model_validator(mode="after")
    def _secrets_set_outside_development(self) -> "Settings":
        if self.environment == "production" and (
            self.secret_key.get_secret_value() == PLACEHOLDER_SECRET
        ):
            raise ValueError("RINGLINE_SECRET_KEY must be set in production")
        return self

    @property
    def resolved_public_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"

    @property
    def resolved_media_url(self) -> str:
        if self.media_url:
            return self.media_url.rstrip("/")
        return "ws" + self.resolved_public_url.removeprefix("http")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'ringline.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
