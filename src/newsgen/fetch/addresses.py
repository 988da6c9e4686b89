"""Tell whether a URL's host is on a private, local or otherwise non-public address.

A name is looked up once per run; one non-public address among its answers is enough. A name
that does not resolve is not called private: fetching it fails with a clear reason anyway.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


def ip_literal(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host name spells (`10.0.0.1`, `::1`, `fe80::1%eth0`), or None for a name."""
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def non_public(address: str) -> bool:
    """Say whether an IP address is one the public internet cannot reach (or should not)."""
    ip = ip_literal(address)
    return ip is not None and not ip.is_global


class Addresses:
    """Looks hosts up and remembers, for one run, the first non-public address of each."""

    def __init__(self) -> None:
        self._known: dict[str, asyncio.Task[str]] = {}

    async def private_address(self, url: str) -> str:
        """The URL host's first non-public address, or "" when all of them are public."""
        host = (urlsplit(url).hostname or "").lower()
        if host not in self._known:
            self._known[host] = asyncio.create_task(_first_private(host))
        return await self._known[host]


async def _first_private(host: str) -> str:
    if not host:
        return ""
    if ip_literal(host) is not None:
        return host if non_public(host) else ""
    try:
        answers = await asyncio.get_running_loop().getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return ""
    for *_, sockaddr in answers:
        address = str(sockaddr[0])
        if non_public(address):
            return address
    return ""
