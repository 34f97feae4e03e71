"""The address guard: a scan started by the service must not reach the service's own network.

A public API that fetches any URL it is given is a server-side request forgery tool: without a
guard, `POST /scans {"url": "http://169.254.169.254/latest/meta-data/"}` would have the scanner
read the cloud's credentials, and `http://127.0.0.1:6379/` would poke the Redis broker. The
guard refuses:

- schemes other than http and https;
- hosts that are, or resolve to, loopback, private, link-local, multicast, unspecified,
  reserved or otherwise non-global addresses (IPv4-mapped, NAT64 and 6to4 IPv6 forms are
  unwrapped first), and the cloud metadata endpoints (169.254.169.254, fd00:ec2::254,
  100.100.100.200, 168.63.129.16, …), some of which are public addresses;
- a name that resolves to several addresses, if any one of them is refused (the connection
  could go to any of them).

`ELDERSCAN_ALLOW_HOSTS` lets chosen hosts through: host names (`intranet.example.gov.cn`,
`*.test` for a whole domain) and addresses or CIDRs (`127.0.0.1`, `10.20.0.0/16`).

It acts in four places: the API checks a URL when a scan is requested (`check_url`, answer
422); inside the scan, every HTTP request of the crawler's client — each redirect hop, robots.txt
and sitemaps — is checked before it is sent (`install`'s request hook); that client's
connection itself is made only to an address that was resolved and checked in the same step
(`GuardedBackend`), so a name that resolves to a public address for the check and to 127.0.0.1
for the connection (DNS rebinding) gets nowhere; and every connection Chromium makes, of any
scheme, at any hop, goes through `guardproxy`, which does the same for the browser.

The command-line scanner does not use the guard unless asked (`ELDERSCAN_GUARD_ADDRESSES`): a
user scanning a site on their own machine may scan localhost.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpcore

from elderscan.errors import ElderscanError, PhrasedValueError
from elderscan.i18n import Lang, english, text

if TYPE_CHECKING:  # importing httpx cost `serve` ~50 ms of its ~1 s start, for annotations only
    import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

SCHEMES = ("http", "https")
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, GCP, Azure, OpenStack, Tencent Cloud, Huawei Cloud …
    "169.254.170.2",    # AWS ECS task metadata
    "169.254.169.123",  # AWS time sync
    "100.100.100.200",  # Alibaba Cloud
    "168.63.129.16",    # Azure wire server (a public address)
    "192.0.0.192",      # Oracle Cloud
    "fd00:ec2::254",    # AWS over IPv6
    "fd00:ec2::23",     # AWS time sync over IPv6
))
METADATA_HOSTS = frozenset({
    "metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.internal",
    "instance-data", "instance-data.ec2.internal", "metadata.tencentyun.com",
})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
RESOLVE_TIMEOUT = 5.0
"""Seconds a request-time DNS lookup may take before the check leaves it to the scan."""


PROBLEMS: dict[str, str] = {code: english(f"guard.problem.{code}") for code in (
    "metadata", "unspecified", "loopback", "link-local", "multicast", "reserved", "private",
    "non-public")}
"""Why an address is refused: a code (what results record) and its English words (the
catalogue's `guard.problem.*` says them in Chinese too)."""


class AddressRefused(ElderscanError):
    """The guard refused a URL; `reason` says why, in words for a person, and `code` in one
    word a result can record (`loopback`, `private`, `metadata`, `scheme`, `unresolved`, …)."""

    def __init__(self, url: str, code: str, key: str, **values: object) -> None:
        self.url = url
        self.code = code
        self.key = key
        self.values = values
        self.reason = self._why("en")
        super().__init__(self.reason + english("guard.tail"))

    def _why(self, lang: Lang) -> str:
        """The catalogue phrase `key` (a `problem` value is a PROBLEMS code) in `lang`; in
        English with the values as they are (`english`), as results record it."""
        values = dict(self.values)
        if "problem" in values:
            values["problem"] = text(f"guard.problem.{values['problem']}", lang)
        return english(self.key, **values) if lang == "en" else text(self.key, lang, **values)

    def said(self, lang: Lang) -> str:
        """The refusal and the guard's rule in `lang` (`reason` and the message are English,
        as results record them)."""
        return self._why(lang) + text("guard.tail", lang)


def _unwrap(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), else itself."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.sixtofour is not None:
            return ip.sixtofour
    return ip


def address_problem(ip: IPAddress) -> str | None:
    """Why the guard refuses an address ("a loopback address" …), or None for a public one."""
    code = address_problem_code(ip)
    return PROBLEMS[code] if code else None


def address_problem_code(ip: IPAddress) -> str | None:
    """The `PROBLEMS` code of a refused address, or None for a public one."""
    inner = _unwrap(ip)
    for candidate in dict.fromkeys((ip, inner)):
        if candidate in METADATA_ADDRESSES:
            return "metadata"
    ip = inner
    checks = (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
              ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
              ("reserved", ip.is_reserved), ("private", ip.is_private),
              ("non-public", not ip.is_global))
    return next((code for code, refused in checks if refused), None)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def _norm_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def parse_allow_entry(entry: str) -> IPNetwork | str:
    """One allow-list entry: an address or CIDR (an IPNetwork), or a host name or `*.domain`
    (a lower-case string). Raises ValueError for anything else."""
    text = entry.strip()
    if not text:
        raise PhrasedValueError("setting.empty_entry")
    try:
        return ipaddress.ip_network(text.strip("[]"), strict=False)
    except ValueError:
        pass
    host = _norm_host(text)
    bare = host.removeprefix("*.")
    labels = bare.split(".")
    if not bare or any(not label or len(label) > 63 for label in labels) or any(
            not all(c.isalnum() or c in "-_" for c in label) for label in labels):
        raise PhrasedValueError("setting.not_host", value=repr(entry))
    return host


@dataclass(frozen=True)
class AddressGuard:
    """The guard with its allow-list. `AddressGuard.from_allow(["127.0.0.1"])`."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()
    resolve_timeout: float = field(default=RESOLVE_TIMEOUT, compare=False)

    @classmethod
    def from_allow(cls, entries: Iterable[str] = ()) -> AddressGuard:
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        suffixes: list[str] = []
        for entry in entries:
            parsed = parse_allow_entry(entry)
            if isinstance(parsed, str):
                if parsed.startswith("*."):
                    suffixes.append(parsed[1:])
                else:
                    hosts.add(parsed)
            else:
                networks.append(parsed)
        return cls(tuple(networks), frozenset(hosts), tuple(suffixes))

    # ------------------------------------------------------------------------- decisions

    def host_allowed(self, host: str) -> bool:
        """Whether the allow-list names this host (then its addresses are not checked)."""
        name = _norm_host(host)
        return name in self.hosts or any(name.endswith(s) for s in self.suffixes)

    def address_allowed(self, ip: IPAddress) -> bool:
        candidates = {ip, _unwrap(ip)}
        return any(c in net for c in candidates for net in self.networks
                   if c.version == net.version)

    def refusal(self, ip: IPAddress) -> str | None:
        """Why `ip` is refused under this allow-list (a `PROBLEMS` code), or None."""
        if self.address_allowed(ip):
            return None
        return address_problem_code(ip)

    def split(self, url: str) -> tuple[str, int, bool]:
        """(host, port, decided): checks the scheme and everything that needs no DNS. `decided`
        is True when the host needs no lookup (allow-listed, or a literal address that
        passed). Raises AddressRefused."""
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as exc:
            raise AddressRefused(url, "invalid", "guard.invalid",
                                 address=repr(url[:200])) from exc
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            if scheme:
                raise AddressRefused(url, "scheme", "guard.scheme", scheme=f"{scheme}:")
            raise AddressRefused(url, "scheme", "guard.no_scheme")
        host = _norm_host(parts.hostname or "")
        if not host:
            raise AddressRefused(url, "invalid", "guard.no_host", address=repr(url[:200]))
        port = port or (443 if scheme == "https" else 80)
        if self.host_allowed(host):
            return host, port, True
        if host in METADATA_HOSTS:
            raise AddressRefused(url, "metadata", "guard.metadata_host", host=host)
        ip = _literal(host)
        if ip is not None:
            self.check_addresses(url, host, [ip])
            return host, port, True
        return host, port, False

    def check_addresses(self, url: str, host: str, addresses: Sequence[IPAddress]) -> None:
        """Refuse if any address `host` resolved to is refused."""
        for ip in addresses:
            code = self.refusal(ip)
            if code is not None:
                if _literal(host) is not None:
                    raise AddressRefused(url, code, "guard.is", host=host, problem=code)
                raise AddressRefused(url, code, "guard.resolves", host=host, ip=ip,
                                     problem=code)

    # ----------------------------------------------------------------------------- checks

    def check_url(self, url: str) -> None:
        """Request-time check, blocking (DNS through the system resolver). A name that does not
        resolve passes: the scan then fails with a `dns` error, and checks again anyway."""
        host, port, decided = self.split(url)
        if decided:
            return
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return
        self.check_addresses(url, host, _addresses(infos))

    async def check_url_async(self, url: str) -> None:
        """The same check without blocking the event loop (lookups bounded by
        `resolve_timeout`: one that takes longer is left to the connection-time check)."""
        host, port, decided = self.split(url)
        if decided:
            return
        try:
            infos = await asyncio.wait_for(asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM), self.resolve_timeout)
        except (OSError, UnicodeError, TimeoutError):
            return
        self.check_addresses(url, host, _addresses(infos))

    async def refused_among(self, urls: Mapping[Any, str],
                            budget: float) -> dict[Any, AddressRefused]:
        """Which of many URLs (keyed by the caller) are refused, for a request naming a whole
        list. Schemes, literal addresses and allow-listed names are decided at once; names are
        resolved concurrently (16 at a time) within `budget` seconds, and those not resolved by
        then are left to the scan's own check. A URL listed twice is reported once, under its
        first key."""
        refused: dict[Any, AddressRefused] = {}
        pending: dict[str, Any] = {}
        for key, url in urls.items():
            try:
                _, _, decided = self.split(url)
            except AddressRefused as exc:
                refused[key] = exc
                continue
            if not decided:
                pending.setdefault(url, key)
        if not pending or budget <= 0:
            return refused
        limit = asyncio.Semaphore(16)

        async def one(url: str, key: Any) -> None:
            async with limit:
                try:
                    await self.check_url_async(url)
                except AddressRefused as exc:
                    refused[key] = exc

        tasks = [asyncio.ensure_future(one(u, k)) for u, k in pending.items()]
        _, late = await asyncio.wait(tasks, timeout=budget)
        for task in late:
            task.cancel()
        return refused

    async def resolve_checked(self, host: str, port: int) -> list[str]:
        """Addresses to connect to for `host`, every one checked (connection time). Raises
        socket.gaierror when the name does not resolve, AddressRefused when refused."""
        name = _norm_host(host)
        ip = _literal(name)
        if ip is not None:
            if not self.host_allowed(name):
                self.check_addresses(f"//{host}:{port}", name, [ip])
            return [str(ip)]
        infos = await asyncio.get_running_loop().getaddrinfo(name, port,
                                                             type=socket.SOCK_STREAM)
        addresses = _addresses(infos)
        if not self.host_allowed(name):
            self.check_addresses(f"//{host}:{port}", name, addresses)
        return [str(a) for a in addresses]

    # ---------------------------------------------------------------------------- clients

    def install(self, client: httpx.AsyncClient) -> None:
        """Guard every request `client` sends: a request hook checks the URL (scheme, host,
        DNS) before each request, redirects included, and the client's own transport connects
        only to checked addresses."""
        client.event_hooks["request"] = [*client.event_hooks["request"], self._on_request]
        transport = getattr(client, "_transport", None)
        pool = getattr(transport, "_pool", None)
        if isinstance(pool, httpcore.AsyncConnectionPool) and hasattr(pool, "_network_backend"):
            backend = pool._network_backend
            if not isinstance(backend, GuardedBackend):
                pool._network_backend = GuardedBackend(backend, self)

    async def _on_request(self, request: httpx.Request) -> None:
        await self.check_url_async(str(request.url))


def _addresses(infos: Iterable[tuple[Any, ...]]) -> list[IPAddress]:
    found: dict[IPAddress, None] = {}
    for info in infos:
        sockaddr = info[4]
        ip = _literal(str(sockaddr[0]))
        if ip is not None:
            found[ip] = None
    return list(found)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that resolves the host itself, checks every address, and
    connects to the checked address (TLS still verifies the certificate for the host name)."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend, guard: AddressGuard) -> None:
        self._inner = inner
        self._guard = guard

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> Any:
        try:
            addresses = await self._guard.resolve_checked(host, port)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"{host}: {exc}") from exc
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(address, port, timeout=timeout,
                                                     local_address=local_address,
                                                     socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        if last is None:
            raise httpcore.ConnectError(f"{host} resolves to no address")
        raise last

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> Any:
        raise httpcore.ConnectError("the address guard refuses Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
