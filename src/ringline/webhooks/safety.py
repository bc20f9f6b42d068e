"""Webhook URLs: well-formed http(s), and never aimed at the server's own network (SSRF).

A destination is checked when it is registered and again before every attempt, and the
attempt connects to the very address that passed the check, so a DNS answer that changes
in between cannot redirect it.
"""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeUrl(ValueError):
    """The URL is malformed or reaches an address webhooks may not be sent to."""


def check_syntax(url: str) -> str:
    """The URL if it is an absolute http(s) URL with a host; UnsafeUrl says what is wrong."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError as exc:
        raise UnsafeUrl(f"'{url}' is not a valid URL: {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl(f"'{url}' is not an http(s) URL like https://example.com/webhooks")
    if any(char.isspace() for char in url):
        raise UnsafeUrl(f"'{url}' contains whitespace")
    return url


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


async def resolve(host: str, port: int) -> list[IPAddress]:
    """The host's addresses; an IP literal is its own. OSError when the name does not resolve."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0]) for info in infos]


@dataclass(frozen=True)
class Target:
    """Where to connect for a URL: the URL to request, with the headers that keep its host."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, str] = field(default_factory=dict)


def _port(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


async def refuse_private(url: str) -> None:
    """Registration check: UnsafeUrl if the host resolves to a non-public address.

    A name that does not resolve yet is accepted; every attempt checks again.
    """
    host = urlsplit(url).hostname or ""
    try:
        addresses = await resolve(host, _port(url))
    except OSError:
        return
    _require_public(url, addresses)


def _require_public(url: str, addresses: list[IPAddress]) -> None:
    private = [str(address) for address in addresses if not is_public(address)]
    if private:
        raise UnsafeUrl(
            f"'{url}' resolves to a non-public address ({', '.join(private)}); "
            "webhooks are only sent to public addresses"
        )


async def pin(url: str, allow_private: bool) -> Target:
    """The request target for one attempt, pinned to a checked address.

    OSError when the name does not resolve (worth retrying), UnsafeUrl when it is refused.
    """
    if allow_private:
        return Target(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    addresses = await resolve(host, _port(url))
    _require_public(url, addresses)
    address = addresses[0]
    literal = f"[{address}]" if address.version == 6 else str(address)
    userinfo, _, host_header = parts.netloc.rpartition("@")
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    netloc = f"{userinfo}@{netloc}" if userinfo else netloc
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return Target(parts._replace(netloc=netloc).geturl(), {"Host": host_header}, extensions)
