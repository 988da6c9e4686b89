"""Decide which addresses a feed may make newsgen connect to, and hold every connection to that.

A feed is a URL someone else controls; its redirects can point anywhere, and a CI runner or a
server can reach services that the outside world cannot (loopback ports, the private network,
a cloud's metadata address 169.254.169.254). The rule, checked on every hop after DNS
resolution and at the moment of connecting, so a name that resolves twice cannot slip through:

- public (globally routable) addresses are always allowed;
- any other address is allowed only for the host and port the configured feed URL names
  itself (`http://127.0.0.1:8080/feed.xml` may be fetched, and may redirect to its own
  `/other.xml`, but not to `127.0.0.1:9090` nor to `10.0.0.5`), or when the configuration
  allows private addresses for that feed (`fetch: {allow_private: true}` or a feed's own
  `allow_private: true`), which lets an intranet feed redirect across the private network;
- multicast and unspecified addresses (`0.0.0.0`, `::`) are never allowed unless named.

Connections are opened by `GuardedBackend`, which resolves the name itself, checks every
address and connects to a checked one, so the address checked is the address used.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """A connection the rule above forbids; the message says which address and why."""


@dataclass(frozen=True, slots=True)
class Destination:
    """Where one feed's configuration allows newsgen to go beyond the public internet."""

    host: str  # of the configured URL, lower case
    port: int
    allow_private: bool = False
    # What the configured host resolved to when it was connected to: a redirect from
    # http://localhost:8080/ to http://127.0.0.1:8080/ stays at the named place.
    named: set[IPAddress] = field(default_factory=set, compare=False)

    @classmethod
    def of(cls, url: str, *, allow_private: bool = False) -> Destination:
        parsed = httpx.URL(url)
        return cls(parsed.host.lower(), _port(parsed), allow_private)

    def refusal(self, host: str, port: int, address: IPAddress) -> str:
        """Say why `address` (which `host:port` resolved to) may not be reached, or ""."""
        kind = address_class(address)
        if kind == "public" or (host.lower(), port) == (self.host, self.port):
            return ""
        if port == self.port and address in self.named:
            return ""
        if self.allow_private and kind not in ("multicast", "unspecified"):
            return ""
        named = f"{host}:{port}"
        shown = named if host == str(address) else f"{named} ({address})"
        return f"refused to connect to {kind} address {shown}: only {self.host}:{self.port} " + (
            "was configured" if kind in ("multicast", "unspecified") else
            "was configured; set allow_private: true for intranet feeds"
        )  # fmt: skip


def address_class(address: IPAddress) -> str:
    """Name the kind of an address: public, loopback, private, link-local, multicast, ..."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    return "public" if address.is_global else "reserved"


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


# The destination of the feed the current task is fetching; each feed runs in its own task.
current_destination: ContextVar[Destination | None] = ContextVar("destination", default=None)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check and connect: the only way the fetch client opens a TCP connection."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        destination = current_destination.get()
        if destination is None:
            raise AddressRefused(f"no feed named {host}:{port}; refused to connect")
        addresses = await _resolve(host, port)
        if (host.lower(), port) == (destination.host, destination.port):
            destination.named.update(addresses)
        allowed = [a for a in addresses if not destination.refusal(host, port, a)]
        if not allowed:
            raise AddressRefused(destination.refusal(host, port, addresses[0]))
        error: Exception | None = None
        for address in allowed:  # as a browser does: the next address when one will not answer
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


async def _resolve(host: str, port: int) -> list[IPAddress]:
    literal = _literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
    found = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not found:
        raise httpcore.ConnectError(f"cannot resolve {host}: no address")
    return list(dict.fromkeys(found))


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None  # a name, to be resolved


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with every connection opened through `GuardedBackend`.

    No connection is kept for reuse: a kept one would carry a later request to its address
    without the check at connect time. Proxies from the environment are not used either: the
    address a proxy connects to cannot be checked here.
    """

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_keepalive_connections=0,
            network_backend=GuardedBackend(),
        )
