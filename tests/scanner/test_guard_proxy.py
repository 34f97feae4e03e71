"""The address guard inside Chromium: a hostile public page must not reach an internal listener.

A hostile server on 127.0.0.1 (the allow-listed "public" site) tries every way a page can make
Chromium connect somewhere: redirects of the document (answered only to Chromium, the preflight
gets a 200), of a sub-resource, of a frame, of fetch, XHR and EventSource; a WebSocket; a
prefetch; a meta refresh; a script setting `location`; the elder-mode control the probe clicks;
`*.localhost`; IPv4-mapped IPv6; WebRTC's and WebTransport's UDP. The "internal service" is a
raw listener on 127.0.0.2 (and one on the loopback ports `localhost` names reach) that counts
every connection it accepts. Each path runs twice: with the guard the listener must see no
connection and the result must list the refusal; without it the same page must reach the
listener, which proves the path is real.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from conftest import settings
from elderscan.contract import ScanReport
from elderscan.runner.scan import scan_site
from elderscan.scanner.browser import BrowserPool

pytestmark = pytest.mark.browser

INTERNAL_HOST = "127.0.0.2"


@dataclass
class Listener:
    """A TCP (and UDP) listener that counts what reaches it and answers any request with a page."""

    hosts: tuple[str, ...]
    port: int = 0
    connections: list[str] = field(default_factory=list)
    datagrams: int = 0
    _socks: list[socket.socket] = field(default_factory=list)

    def start(self) -> None:
        for host in self.hosts:
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            tcp = socket.socket(family, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            tcp.bind((host, self.port))
            self.port = tcp.getsockname()[1]
            tcp.listen(64)
            udp = socket.socket(family, socket.SOCK_DGRAM)
            udp.bind((host, self.port))
            self._socks += [tcp, udp]
            threading.Thread(target=self._accept, args=(tcp, host), daemon=True).start()
            threading.Thread(target=self._receive, args=(udp,), daemon=True).start()

    def _accept(self, sock: socket.socket, host: str) -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            self.connections.append(host)
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    @staticmethod
    def _answer(conn: socket.socket) -> None:
        body = b"<!doctype html><title>internal</title><p>INTERNAL SECRET</p>"
        with conn:
            conn.settimeout(3)
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
            except OSError:
                pass

    def _receive(self, sock: socket.socket) -> None:
        while True:
            try:
                sock.recvfrom(65536)
            except OSError:
                return
            self.datagrams += 1

    def reset(self) -> None:
        self.connections.clear()
        self.datagrams = 0

    def close(self) -> None:
        for sock in self._socks:
            sock.close()


def _hostile_pages(internal: str, loopback_port: int, udp: str) -> dict[str, str]:
    """Path → body of the hostile site's pages (each a whole small document)."""
    page = ('<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>公开页面</title>'
            '<body><main><h1>政务服务</h1><p>这是一个公开的页面。</p>{}</main></body></html>')
    return {
        "/img.html": page.format('<img src="/r/302" alt="图">'),
        "/iframe.html": page.format('<iframe src="/r/301" title="框"></iframe>'),
        "/fetch.html": page.format("<script>fetch('/r/307').catch(() => {})</script>"),
        "/xhr.html": page.format("<script>const x = new XMLHttpRequest(); x.open('GET', "
                                 "'/r/308'); x.send();</script>"),
        "/eventsource.html": page.format("<script>new EventSource('/r/303')</script>"),
        "/websocket.html": page.format(
            f"<script>try {{ new WebSocket('ws://{internal.removeprefix('http://')}ws') }} "
            "catch (e) {}</script>"),
        "/prefetch.html": page.format(f'<link rel="prefetch" href="{internal}prefetched">'),
        "/meta.html": page.format(f'<meta http-equiv="refresh" content="0;url={internal}meta">'),
        "/location.html": page.format(
            f"<script>setTimeout(() => {{ location.href = '{internal}js' }}, 10)</script>"),
        "/localhost.html": page.format(
            f'<meta http-equiv="refresh" content="0;url=http://foo.localhost:{loopback_port}/">'),
        "/mapped.html": page.format(
            f'<img src="http://[::ffff:{INTERNAL_HOST}]:{internal.rsplit(":", 1)[1]}" alt="图">'),
        "/webrtc.html": page.format(
            "<script>const pc = new RTCPeerConnection({iceServers: [{urls: "
            f"'stun:{udp}'}}]}}); pc.createDataChannel('d'); pc.createOffer()"
            ".then(o => pc.setLocalDescription(o));</script>"),
        "/webtransport.html": page.format(
            f"<script>try {{ new WebTransport('https://{udp}/').ready.catch(() => {{}}) }} "
            "catch (e) {}</script>"),
        "/elder.html": page.format(
            '<button id="care" onclick="location.href=\'/r/302\'">关怀版</button>'),
    }


class _Hostile(BaseHTTPRequestHandler):
    """Pages as listed; `/doc/NNN` answers the preflight 200 and Chromium NNN to the internal
    listener; `/r/NNN` redirects everyone there."""

    server: Any
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        internal = self.server.internal
        path = self.path.split("?", 1)[0]
        chromium = "Sec-Fetch-Mode" in self.headers
        if (path.startswith("/doc/") and chromium) or path.startswith("/r/"):
            self.send_response(int(path.rsplit("/", 1)[1]))
            self.send_header("Location", f"{internal}hop")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = (self.server.pages.get(path) or self.server.pages["/img.html"]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclass
class Rig:
    public: str
    internal: Listener
    loopback: Listener


@pytest.fixture(scope="module")
def rig() -> Iterator[Rig]:
    internal = Listener((INTERNAL_HOST,))
    internal.start()
    loopback = Listener(("127.0.0.1", "::1"))
    loopback.start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.internal = f"http://{INTERNAL_HOST}:{internal.port}/"  # type: ignore[attr-defined]
    server.pages = _hostile_pages(server.internal,  # type: ignore[attr-defined]
                                  loopback.port, f"{INTERNAL_HOST}:{internal.port}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Rig(f"http://127.0.0.1:{server.server_address[1]}", internal, loopback)
    finally:
        server.shutdown()
        server.server_close()
        internal.close()
        loopback.close()


def _settings(guard: bool, elder: bool = False) -> Any:
    return settings(axe=False, guard_addresses=guard, allow_hosts=("127.0.0.1",), max_pages=1,
                    obey_robots=False, sitemap=False, probe_elder=elder, probe_voice=False,
                    settle_ms=400)


@pytest.fixture(scope="module")
async def pools() -> AsyncIterator[dict[tuple[bool, bool], BrowserPool]]:
    made: dict[tuple[bool, bool], BrowserPool] = {}
    try:
        for guard in (True, False):
            for elder in (True, False):
                made[guard, elder] = BrowserPool(_settings(guard, elder))
                await made[guard, elder].start()
        yield made
    finally:
        for pool in made.values():
            await pool.close()


PATHS = {
    # name: (page path, what the guard must refuse: "internal" or "loopback")
    **{f"document {code}": (f"/doc/{code}", "internal") for code in (301, 302, 303, 307, 308)},
    "sub-resource redirect": ("/img.html", "internal"),
    "iframe redirect": ("/iframe.html", "internal"),
    "fetch redirect": ("/fetch.html", "internal"),
    "XHR redirect": ("/xhr.html", "internal"),
    "EventSource redirect": ("/eventsource.html", "internal"),
    "WebSocket": ("/websocket.html", "internal"),
    "prefetch": ("/prefetch.html", "internal"),
    "meta refresh": ("/meta.html", "internal"),
    "script location": ("/location.html", "internal"),
    "elder-mode click": ("/elder.html", "internal"),
    "*.localhost": ("/localhost.html", "loopback"),
    "IPv4-mapped IPv6": ("/mapped.html", "internal"),
}


async def _scan(rig: Rig, pools: dict[tuple[bool, bool], BrowserPool], path: str,
                guard: bool) -> ScanReport:
    rig.internal.reset()
    rig.loopback.reset()
    elder = path == "/elder.html"
    return await scan_site(rig.public + path, _settings(guard, elder), pool=pools[guard, elder])


@pytest.mark.parametrize("name", list(PATHS))
async def test_the_guard_refuses(rig: Rig, pools: dict[tuple[bool, bool], BrowserPool],
                                 name: str) -> None:
    path, target = PATHS[name]
    report = await _scan(rig, pools, path, guard=True)
    listener = rig.internal if target == "internal" else rig.loopback
    assert listener.connections == [], f"{name}: the internal listener was reached"
    assert report.guard is not None
    refused = {(r.host, r.port, r.code) for r in report.guard.refused}
    if target == "internal":
        assert any(port == rig.internal.port and code == "loopback"
                   for _host, port, code in refused), refused
    else:
        assert ("foo.localhost", rig.loopback.port, "loopback") in refused, refused
    assert report.guard.connections > 0  # the public page itself came through the proxy
    for page in report.pages:
        assert page.title != "internal"


@pytest.mark.parametrize("name", list(PATHS))
async def test_without_the_guard_the_path_is_real(
        rig: Rig, pools: dict[tuple[bool, bool], BrowserPool], name: str) -> None:
    path, target = PATHS[name]
    report = await _scan(rig, pools, path, guard=False)
    listener = rig.internal if target == "internal" else rig.loopback
    assert listener.connections, f"{name}: the path never reached the listener unguarded"
    assert report.guard is None


@pytest.mark.parametrize("path", ["/webrtc.html", "/webtransport.html"])
async def test_no_udp_leaves_the_browser(rig: Rig, pools: dict[tuple[bool, bool], BrowserPool],
                                         path: str) -> None:
    """A SOCKS5 CONNECT carries no UDP: WebRTC's STUN and WebTransport's QUIC (which ignores
    `--disable-quic`) must not reach the internal address around the proxy."""
    await _scan(rig, pools, path, guard=True)
    assert rig.internal.datagrams == 0
    await _scan(rig, pools, path, guard=False)
    assert rig.internal.datagrams > 0, f"{path} sent no UDP packet unguarded"


async def test_names_that_do_not_resolve_are_refused(
        rig: Rig, pools: dict[tuple[bool, bool], BrowserPool]) -> None:
    rig.internal.reset()
    pool = pools[True, False]
    async with pool.context("desktop") as ctx:
        page = await ctx.new_page()
        await page.goto(rig.public + "/img.html")
        failed = await page.evaluate(
            "fetch('http://no-such-host.invalid/').then(() => 'ok', e => String(e))")
    assert failed != "ok"
    log = pool.proxy.take_log() if pool.proxy is not None else None
    assert log is not None
    assert any(r.host == "no-such-host.invalid" and r.code == "unresolved" for r in log.refused)
