"""Addresses: where ringline listens, where a trunk is, and how ringline is reached."""

import asyncio
import ipaddress
import socket

from ringline.telephony.sip.streams import Address

ANY = "0.0.0.0"


def listen_address(listen: str) -> Address:
    """``RINGLINE_SIP_LISTEN`` (host:port) as an address; empty: any port of the system's
    choosing."""
    if not listen:
        return (ANY, 0)
    host, _, port = listen.rpartition(":")
    return (host or ANY, int(port))


def is_address(host: str) -> bool:
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


async def resolve(host: str, port: int) -> Address:
    """``host`` looked up (in the loop's thread pool), unless it is an address already."""
    if is_address(host):
        return (host, port)
    loop = asyncio.get_running_loop()
    found = await loop.getaddrinfo(host, port, family=socket.AF_INET, type=socket.SOCK_DGRAM)
    return (str(found[0][4][0]), int(found[0][4][1]))


def advertised_host(public_host: str, local_host: str, towards: Address) -> str:
    """The address the far end reaches ringline at (its Contact and SDP): the public one
    if set, the listening one if it is a real address, else the one routed towards it."""
    if public_host:
        return public_host
    if local_host not in (ANY, ""):
        return local_host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(towards)  # sends nothing: asks the routing table for the source
        return str(probe.getsockname()[0])
