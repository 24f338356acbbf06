"""No request to places content should not send citecheck: loopback, private, link-local,
multicast, unspecified or non-http(s) targets.

A page is written by editors; a CI runner or the audit host sits inside a network. A link (or a
redirect) to `http://169.254.169.254/` or `http://intranet/` must not become a request from
there. The check is made where the connection is opened, on the address actually dialled, so it
covers every redirect hop and a name that resolves to a private address (no second lookup an
attacker's DNS could answer differently). Hosts the site's own configuration names (attachment,
Crossref and doi.org base URLs, the site's base URL, `remap` targets) are trusted;
`network.allow-private = true` trusts everything.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable

import httpcore2

from citecheck.site.urls import split_url

Resolve = Callable[[str, int], Awaitable[list[str]]]
SCHEMES = ("http", "https")
_NO_SUCH_HOST = {getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, name)}


class Refused(Exception):
    """No request can be made, and trying again will not change that (the guard would not let it
    out, the URL is invalid, the host's certificate is not trusted); `reason` says why, in words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class NoSuchHost(Exception):
    """The name does not exist (NXDOMAIN): evidence, unlike a lookup that failed."""


class LookupFailed(Exception):
    """The name could not be looked up this time (resolver down, EAI_AGAIN)."""


async def system_resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def origin(url: str) -> tuple[str, int] | None:
    parts = split_url(url)
    if parts is None or parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    return parts.hostname.lower(), port or (443 if parts.scheme.lower() == "https" else 80)


def trusted_origins(config, remap_targets: Iterable[str] = ()) -> set[tuple[str, int]]:
    """(host, port) of every base URL the site's configuration names."""
    urls = [*config.get("attachments.base-url"), config.get("crossref.base-url"),
            config.get("doi.resolver-url"), config.get("site.base-url") or "", config.hugo.base_url,
            *remap_targets]
    return {o for o in map(origin, urls) if o is not None}


# IPv6 forms that carry an IPv4 address in their last 32 bits and reach it through a translator
# or a tunnel: NAT64's well-known prefix (RFC 6052), SIIT's IPv4-translated form (RFC 2765) and the
# old IPv4-compatible form. A request to 64:ff9b::a9fe:a9fe is one to 169.254.169.254.
_CARRY_LOW_32 = tuple(map(ipaddress.ip_network, ("64:ff9b::/96", "::ffff:0:0:0/96", "::/96")))
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local use, never global


def public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        embedded = _embedded(ip)
        if ip.ipv4_mapped is not None:  # the IPv4 address itself, as a dual-stack socket dials it
            ip = ip.ipv4_mapped
        elif ip in _LOCAL_NAT64 or not all(map(public, embedded)):
            return False
    return ip.is_global and not ip.is_multicast


def _embedded(ip: ipaddress.IPv6Address) -> list[str]:
    """The IPv4 addresses an IPv6 address leads to (mapped, NAT64, 6to4, Teredo's server and client)."""
    found = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if any(ip in network for network in _CARRY_LOW_32):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [str(v4) for v4 in found if v4 is not None]


def check_scheme(url: str) -> None:
    parts = split_url(url)
    if parts is None or parts.scheme.lower() not in SCHEMES:
        raise Refused("refused: not an http(s) URL")


class Guard:
    def __init__(self, trusted: set[tuple[str, int]], allow_private: bool = False, resolve: Resolve | None = None):
        self.trusted = trusted
        self.allow_private = allow_private
        self.resolve = resolve or system_resolve

    @classmethod
    def from_config(cls, config, remap_targets: Iterable[str] = (), resolve: Resolve | None = None) -> Guard:
        return cls(trusted_origins(config, remap_targets), bool(config.get("network.allow-private")), resolve)

    async def addresses(self, host: str, port: int, timeout: float | None) -> list[str]:
        """The addresses citecheck may dial for host:port, in resolver order. Raises Refused,
        NoSuchHost or LookupFailed."""
        try:
            async with asyncio.timeout(timeout):
                found = await self.resolve(host, port)
        except socket.gaierror as exc:
            if exc.errno in _NO_SUCH_HOST:
                raise NoSuchHost(host) from None
            raise LookupFailed(f"DNS lookup failed ({exc.strerror or exc})") from None
        except TimeoutError:
            raise LookupFailed("DNS lookup timed out") from None
        if not found:
            raise NoSuchHost(host)
        if self.allow_private or (host.lower().strip("[]"), port) in self.trusted:
            return found
        allowed = [a for a in found if public(a)]
        if not allowed:
            raise Refused(f"refused: private address ({found[0]})")
        return allowed


class GuardedBackend(httpcore2.AsyncNetworkBackend):
    """httpcore's network backend, dialling only addresses the guard allows."""

    def __init__(self, guard: Guard, inner: httpcore2.AsyncNetworkBackend | None = None):
        self.guard = guard
        self.inner = inner or httpcore2.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        last: Exception | None = None
        for address in await self.guard.addresses(host, port, timeout):
            try:
                return await self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                    socket_options=socket_options)
            except (httpcore2.ConnectError, httpcore2.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise Refused("refused: not an http(s) URL")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
