"""The address guard inside Chromium: every connection the browser makes goes through here.

A page can reach an address in many ways that the crawler's own checks never see: a redirect
answered to Chromium but not to the preflight, an image, a frame, `fetch`, XHR, EventSource,
a WebSocket, a prefetch, a meta refresh, a script that sets `location`, a probe's click, and
names such as `foo.localhost` that Chromium resolves to loopback by itself. Intercepting
requests in Playwright sees only the first address of a request (not its redirects) and no
WebSocket at all, so the guard sits below all of them instead: a guarded browser is launched
with this SOCKS5 proxy as its only way out (`launch_flags`), loopback included
(`<-loopback>`), so every TCP connection of every scheme, hop, frame and context arrives here
as a host name (SOCKS5 carries the name, Chromium does no lookup of its own) and a port. The
proxy resolves the name once, checks every address it resolved to, and connects to a checked
address (so DNS rebinding between check and connection gets nowhere); a name that does not
resolve is refused. UDP, the one thing a SOCKS5 CONNECT cannot carry, is closed in Chromium
itself: QUIC is off, WebRTC may use no unproxied UDP, and WebTransport (whose QUIC ignores
`--disable-quic`) sends nothing once a proxy is set; tests watch both.

Refused connections are logged with their reason, and a scan takes the log of its own pool
(`take_log`) into its result's `guard` section.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import struct
import time

from elderscan.capture import GuardLog, GuardRefusal
from elderscan.netguard import AddressGuard, AddressRefused

log = logging.getLogger(__name__)

HANDSHAKE_SECONDS = 10.0
RESOLVE_SECONDS = 5.0
CONNECT_SECONDS = 30.0
DNS_SECONDS = 60.0
"""How long one lookup of a name serves its connections (and one refusal stands)."""
MAX_LOOKUPS = 4096
MAX_REFUSALS = 200
"""Hosts (and ports) refused that one scan lists; further ones are only counted."""
_CHUNK = 64 * 1024

# SOCKS5 (RFC 1928) reply codes
_OK, _FAILURE, _NOT_ALLOWED, _HOST_UNREACHABLE, _REFUSED, _COMMAND, _ATYP = 0, 1, 2, 4, 5, 7, 8


def browser_flags(port: int) -> list[str]:
    """Chromium flags that leave the proxy on 127.0.0.1:`port` as the browser's only way out."""
    return [
        f"--proxy-server=socks5://127.0.0.1:{port}",
        # Chromium sends loopback and *.localhost straight out unless told not to.
        "--proxy-bypass-list=<-loopback>",
        # A SOCKS5 CONNECT carries no UDP: WebRTC gets none that is not proxied.
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    ]


class GuardProxy:
    """A SOCKS5 proxy on 127.0.0.1 that lets a connection through only to a checked address."""

    def __init__(self, guard: AddressGuard, *, resolve_seconds: float = RESOLVE_SECONDS,
                 connect_seconds: float = CONNECT_SECONDS) -> None:
        self._guard = guard
        self._resolve_seconds = resolve_seconds
        self._connect_seconds = connect_seconds
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._refusals: dict[tuple[str, int], GuardRefusal] = {}
        self._lookups: dict[str, tuple[float, asyncio.Future[list[str]]]] = {}
        self._dropped = 0
        self._connections = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the guard proxy is not started")
        sock: socket.socket = self._server.sockets[0]
        return int(sock.getsockname()[1])

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for _at, lookup in self._lookups.values():
            lookup.cancel()
        self._lookups.clear()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)
            self._server = None

    def take_log(self) -> GuardLog:
        """What was refused and let through since the last call: a pool serves one scan at a
        time, and each scan takes the log of its own crawl."""
        log_ = GuardLog(refused=list(self._refusals.values()), dropped=self._dropped,
                        connections=self._connections)
        self._refusals.clear()
        self._dropped = self._connections = 0
        return log_

    def _refuse(self, host: str, port: int, code: str, reason: str) -> None:
        log.warning("address guard: refused %s:%d (%s)", host[:200], port, reason)
        key = (host, port)
        seen = self._refusals.get(key)
        if seen is not None:
            self._refusals[key] = seen.model_copy(update={"count": seen.count + 1})
        elif len(self._refusals) < MAX_REFUSALS:
            self._refusals[key] = GuardRefusal(host=host[:253], port=port, code=code,
                                               reason=reason, count=1)
        else:
            self._dropped += 1

    # ------------------------------------------------------------------------ connections

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async with asyncio.timeout(HANDSHAKE_SECONDS):
            request = await _handshake(reader, writer)
        if request is None:
            return
        host, port = request
        try:
            addresses = await self._checked_addresses(host, port)
        except AddressRefused as exc:
            self._refuse(host, port, exc.code, exc.reason)
            await _reply(writer, _NOT_ALLOWED)
            return
        except (OSError, UnicodeError, TimeoutError) as exc:
            code, reason = (("dns-timeout", f"{host} did not resolve in time")
                            if isinstance(exc, TimeoutError)
                            else ("unresolved", f"{host} does not resolve"))
            self._refuse(host, port, code, reason)
            await _reply(writer, _HOST_UNREACHABLE)
            return
        upstream = await self._connect(addresses, port)
        if upstream is None:
            await _reply(writer, _REFUSED)
            return
        up_reader, up_writer = upstream
        self._connections += 1
        try:
            await _reply(writer, _OK)
            await _relay(reader, writer, up_reader, up_writer)
        finally:
            up_writer.close()

    async def _checked_addresses(self, host: str, port: int) -> list[str]:
        """Addresses to connect to, every one checked; raises AddressRefused, OSError or
        TimeoutError. A name is looked up once for all the connections of the next
        `DNS_SECONDS` (a page with thirty scripts from one dead host waits for one lookup)."""
        name = host.rstrip(".").lower()
        now = time.monotonic()
        cached = self._lookups.get(name)
        if cached is None or now - cached[0] > DNS_SECONDS:
            if len(self._lookups) >= MAX_LOOKUPS:
                self._lookups.clear()
            lookup = asyncio.ensure_future(self._lookup(name, port))
            # a refusal nobody awaits any more is still "retrieved": no warning at exit
            lookup.add_done_callback(lambda f: f.cancelled() or f.exception())
            cached = (now, lookup)
            self._lookups[name] = cached
        return await asyncio.shield(cached[1])

    async def _lookup(self, name: str, port: int) -> list[str]:
        # Names under `localhost` are loopback without a lookup, as Chromium has them.
        if (name == "localhost" or name.endswith(".localhost")) and not self._guard.host_allowed(
                name):
            self._guard.check_addresses(f"//{name}:{port}", name, [
                ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")])
        return await asyncio.wait_for(self._guard.resolve_checked(name, port),
                                      self._resolve_seconds)

    async def _connect(self, addresses: list[str],
                       port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        for address in addresses:
            try:
                return await asyncio.wait_for(asyncio.open_connection(address, port),
                                              self._connect_seconds)
            except (OSError, TimeoutError):
                continue
        return None


async def _handshake(reader: asyncio.StreamReader,
                     writer: asyncio.StreamWriter) -> tuple[str, int] | None:
    """Read a SOCKS5 greeting and CONNECT request: (host, port), or None after answering an
    unsupported request with its error."""
    version, count = await reader.readexactly(2)
    if version != 5:
        return None
    methods = await reader.readexactly(count)
    if 0 not in methods:
        writer.write(b"\x05\xff")
        await writer.drain()
        return None
    writer.write(b"\x05\x00")
    await writer.drain()
    version, command, _reserved, atyp = await reader.readexactly(4)
    if atyp == 1:
        host = str(ipaddress.IPv4Address(await reader.readexactly(4)))
    elif atyp == 4:
        host = str(ipaddress.IPv6Address(await reader.readexactly(16)))
    elif atyp == 3:
        (length,) = await reader.readexactly(1)
        host = (await reader.readexactly(length)).decode("idna")
    else:
        await _reply(writer, _ATYP)
        return None
    (port,) = struct.unpack("!H", await reader.readexactly(2))
    if version != 5 or command != 1:  # only CONNECT: no BIND, no UDP ASSOCIATE
        await _reply(writer, _COMMAND)
        return None
    return host, port


async def _reply(writer: asyncio.StreamWriter, code: int) -> None:
    writer.write(bytes([5, code, 0, 1, 0, 0, 0, 0, 0, 0]))
    await writer.drain()


async def _relay(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter,
                 up_reader: asyncio.StreamReader, up_writer: asyncio.StreamWriter) -> None:
    """Copy both ways until either side closes; then both are closed."""

    async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await src.read(_CHUNK):
                dst.write(data)
                await dst.drain()

    tasks = [asyncio.ensure_future(pipe(client_reader, up_writer)),
             asyncio.ensure_future(pipe(up_reader, client_writer))]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
