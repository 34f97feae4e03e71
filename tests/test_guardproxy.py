"""The guard proxy spoken to as Chromium speaks to it (SOCKS5), without a browser."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator

import pytest

from elderscan.guardproxy import GuardProxy
from elderscan.netguard import AddressGuard


@pytest.fixture
async def upstream() -> AsyncIterator[tuple[int, list[bytes]]]:
    """An echo server on 127.0.0.1 that records what it received."""
    got: list[bytes] = []

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        data = await reader.read(1024)
        got.append(data)
        writer.write(b"echo:" + data)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1], got
    finally:
        server.close()
        await server.wait_closed()


async def _proxy(*allow: str) -> GuardProxy:
    proxy = GuardProxy(AddressGuard.from_allow(allow), resolve_seconds=2)
    await proxy.start()
    return proxy


async def _connect(proxy: GuardProxy, host: str, port: int, *, atyp: int = 3,
                   command: int = 1) -> tuple[int, asyncio.StreamReader, asyncio.StreamWriter]:
    """A SOCKS5 CONNECT by name (atyp 3) or IPv4 (atyp 1); returns the reply code."""
    reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
    writer.write(b"\x05\x01\x00")
    assert await reader.readexactly(2) == b"\x05\x00"
    if atyp == 3:
        address = bytes([len(host)]) + host.encode()
    else:
        address = bytes(int(part) for part in host.split("."))
    writer.write(bytes([5, command, 0, atyp]) + address + struct.pack("!H", port))
    reply = await reader.readexactly(10)
    return reply[1], reader, writer


async def test_an_allowed_address_is_relayed(upstream: tuple[int, list[bytes]]) -> None:
    port, got = upstream
    proxy = await _proxy("127.0.0.1")
    try:
        code, reader, writer = await _connect(proxy, "127.0.0.1", port, atyp=1)
        assert code == 0
        writer.write(b"hello")
        assert await reader.read(100) == b"echo:hello"
        writer.close()
        log = proxy.take_log()
        assert (log.connections, log.refused) == (1, [])
    finally:
        await proxy.close()
    assert got == [b"hello"]


@pytest.mark.parametrize(("host", "code"), [
    ("127.0.0.1", "loopback"), ("localhost", "loopback"), ("a.b.localhost", "loopback"),
    ("169.254.169.254", "metadata"), ("10.1.2.3", "private"),
    ("no-such-host.invalid", "unresolved"),
])
async def test_refused_hosts_get_no_connection(upstream: tuple[int, list[bytes]], host: str,
                                               code: str) -> None:
    port, got = upstream
    proxy = await _proxy()
    try:
        reply, _reader, writer = await _connect(proxy, host, port)
        writer.close()
        assert reply in (2, 4)  # not allowed by ruleset / host unreachable
        log = proxy.take_log()
        assert [(r.host, r.port, r.code, r.count) for r in log.refused] == [(host, port, code, 1)]
        assert log.connections == 0
        assert proxy.take_log().refused == []  # taken once
    finally:
        await proxy.close()
    assert got == []


async def test_repeated_refusals_are_counted_once_per_host() -> None:
    proxy = await _proxy()
    try:
        for _ in range(3):
            _code, _reader, writer = await _connect(proxy, "127.0.0.9", 81, atyp=1)
            writer.close()
        [refusal] = proxy.take_log().refused
        assert (refusal.host, refusal.count) == ("127.0.0.9", 3)
    finally:
        await proxy.close()


async def test_only_connect_is_spoken(upstream: tuple[int, list[bytes]]) -> None:
    port, got = upstream
    proxy = await _proxy("127.0.0.1")
    try:
        bind, _reader, writer = await _connect(proxy, "127.0.0.1", port, atyp=1, command=2)
        writer.close()
        assert bind == 7  # command not supported: no BIND, no UDP ASSOCIATE
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        writer.write(b"GET / HTTP/1.1\r\n\r\n")  # not SOCKS at all
        assert await reader.read(10) in (b"", b"\x05\xff")
        writer.close()
    finally:
        await proxy.close()
    assert got == []


async def test_a_name_is_looked_up_once_for_many_connections(
        upstream: tuple[int, list[bytes]], monkeypatch: pytest.MonkeyPatch) -> None:
    port, _got = upstream
    proxy = await _proxy("127.0.0.1", "allowed.test")
    lookups: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        lookups.append(host)
        await asyncio.sleep(0.05)
        return ["127.0.0.1"]

    monkeypatch.setattr(AddressGuard, "resolve_checked",
                        lambda _self, host, port: resolve(host, port))
    try:
        replies = await asyncio.gather(*(_connect(proxy, "allowed.test", port)
                                         for _ in range(5)))
        for _code, _reader, writer in replies:
            writer.close()
        assert [code for code, _r, _w in replies] == [0] * 5
        assert lookups == ["allowed.test"]
    finally:
        await proxy.close()
