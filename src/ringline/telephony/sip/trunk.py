"""A SIP trunk, read from its carrier account's decrypted fields."""

import ssl
from dataclasses import dataclass
from typing import Any

from aiosipua import SipDigestAuth

DEFAULT_RTP_PORTS = range(10000, 20001)


@dataclass(frozen=True)
class Trunk:
    account_id: str
    host: str
    port: int
    username: str | None
    password: str | None
    register: bool
    caller_id: str | None
    rtp_ports: range
    transport: str = "UDP"  # UDP, TCP or TLS: how the trunk's SIP messages travel
    tls_ca: str | None = None  # PEM CA certificates it must chain to; None: the system's

    @classmethod
    def of(cls, account_id: str, fields: dict[str, Any]) -> "Trunk":
        return cls(
            account_id=account_id,
            host=str(fields["host"]),
            port=int(fields.get("port") or 5060),
            username=fields.get("username") or None,
            password=fields.get("password") or None,
            register=bool(fields.get("registers")),
            caller_id=fields.get("caller_id") or None,
            rtp_ports=range(int(fields["rtp_port_min"]), int(fields["rtp_port_max"]) + 1),
            transport=str(fields.get("transport") or "udp").upper(),
            tls_ca=fields.get("tls_ca_certificates") or None,
        )

    @property
    def auth(self) -> SipDigestAuth | None:
        if self.username is None:
            return None
        return SipDigestAuth(self.username, self.password or "")

    @property
    def domain(self) -> str:
        return self.host if self.port == 5060 else f"{self.host}:{self.port}"

    @property
    def uri_parameters(self) -> str:
        """What a SIP URI at this trunk (or at ringline, for it) says of the transport."""
        return "" if self.transport == "UDP" else f";transport={self.transport.lower()}"

    def tls_context(self) -> ssl.SSLContext | None:
        """How the trunk's certificate is checked (name and chain); None unless TLS."""
        if self.transport != "TLS":
            return None
        return ssl.create_default_context(cadata=self.tls_ca)
