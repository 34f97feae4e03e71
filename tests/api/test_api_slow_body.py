"""A client that sends its headers and then stalls or trickles the body is cut off with 408,
over a real socket against a real uvicorn on 127.0.0.1; an honest body still gets through, and
a body over the cap is 413 before it is read."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from elderscan.api import create_app
from elderscan.api.settings import ApiSettings
from elderscan.i18n import text

from .conftest import Recorder

TIMEOUT = 1.0


@pytest.fixture
def server(db_url: str, recorder: Recorder) -> Iterator[tuple[str, int]]:
    """`elderscan serve`'s uvicorn with a 1 s body limit, on a random loopback port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    app = create_app(ApiSettings(BODY_TIMEOUT=TIMEOUT, MAX_BODY_BYTES=4096), submit=recorder)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield sock.getsockname()
    server.should_exit = True
    thread.join(10)
    sock.close()


def _head(address: tuple[str, int], token: str, length: int, extra: str = "") -> socket.socket:
    conn = socket.create_connection(address, timeout=10)
    conn.sendall((f"POST /api/v1/scans HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {length}\r\n{extra}\r\n").encode())
    return conn


def _answer(conn: socket.socket) -> tuple[int, dict[str, str], Any]:
    """(status, headers, JSON body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        assert chunk, f"closed without an answer: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:])}
    while len(body) < int(headers.get("content-length", "0")):
        body += conn.recv(65536)
    return int(lines[0].split()[1]), headers, json.loads(body)


def _closed(conn: socket.socket) -> bool:
    """Whether the server closes the connection after its answer (waits up to 5 s: only the
    tests that ask pay for it)."""
    conn.settimeout(5)
    try:
        return conn.recv(1) == b""
    except (TimeoutError, ConnectionResetError):
        return False


def test_stalled_body_is_408_after_the_limit(server: tuple[str, int],
                                             tokens: dict[str, str]) -> None:
    conn = _head(server, tokens["admin"], 100, "Accept-Language: zh-CN\r\n")
    conn.sendall(b'{"url": "https://www.example.gov.cn/"')  # 38 of the 100 bytes, then nothing
    started = time.monotonic()
    status, headers, body = _answer(conn)
    closed = _closed(conn)
    took = time.monotonic() - started
    conn.close()
    assert status == 408 and body["error"] == "timeout"
    assert body["message"] == text("err.body-timeout", "zh", seconds="1")
    assert headers["connection"] == "close" and closed
    assert TIMEOUT * 0.8 <= took < TIMEOUT + 2


def test_trickled_body_is_408_too(server: tuple[str, int], tokens: dict[str, str]) -> None:
    """A byte every 0.2 s never lets a per-read timeout fire; the limit is on the whole body."""
    payload = b'{"url": "https://www.example.gov.cn/"}'
    conn = _head(server, tokens["admin"], len(payload))
    started = time.monotonic()
    answered: list[Any] = []
    reader = threading.Thread(target=lambda: answered.append(_answer(conn)))
    reader.start()
    for byte in payload:
        if answered or not reader.is_alive():
            break
        try:
            conn.sendall(bytes([byte]))
        except OSError:
            break
        time.sleep(0.2)
    reader.join(10)
    took = time.monotonic() - started
    conn.close()
    status, _, body = answered[0]
    assert status == 408 and body["error"] == "timeout"
    assert body["message"] == text("err.body-timeout", "en", seconds="1")
    assert took < TIMEOUT + 2


def test_honest_body_gets_through(server: tuple[str, int], tokens: dict[str, str],
                                  recorder: Recorder) -> None:
    payload = b'{"url": "https://www.example.gov.cn/"}'
    conn = _head(server, tokens["admin"], len(payload))
    time.sleep(TIMEOUT / 2)  # slow, but within the limit
    conn.sendall(payload)
    status, _, body = _answer(conn)
    conn.close()
    assert status == 202 and recorder.ids == [body["id"]]


def test_body_over_the_cap_is_413_before_it_is_sent(server: tuple[str, int],
                                                    tokens: dict[str, str]) -> None:
    conn = _head(server, tokens["admin"], 10_000)
    status, _, body = _answer(conn)
    conn.close()
    assert status == 413 and body["error"] == "too_large"
