"""A small static HTTP server for the bundled fixture sites.

The quick start scans a fixture site with no network, and the tests need real HTTP (robots.txt,
sitemaps, charsets, status codes), so fixtures are served over loopback, one origin per site.
HTML is sent without a charset parameter on purpose: pages declare their own (GBK pages must be
decoded from their `<meta charset>` exactly as a browser would on a real portal).
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

Route = Callable[[BaseHTTPRequestHandler], None]

_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "application/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".pdf": "application/pdf",
}


def _content_type(path: Path) -> str:
    return _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or (
        "application/octet-stream"
    )


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Silence per-request logging; tests and the CLI have their own output."""

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        route = self.server.routes.get(path)
        if route is not None:
            route(self)
            return
        root = self.server.root
        target = (root / path.lstrip("/")).resolve()
        if root not in target.parents and target != root:
            self._send(404, b"not found", "text/plain")
            return
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            self._send(404, b"<!doctype html><title>404</title><h1>404 Not Found</h1>", "text/html")
            return
        self._send(200, target.read_bytes(), _content_type(target), head=head)

    def _send(self, status: int, body: bytes, ctype: str, *, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


STOP_POLL_S = 0.1
"""how often the serving loop looks whether it has been told to stop"""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    root: Path
    routes: dict[str, Route]

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that hangs up mid-response (a killed page) is normal here, not an error."""


class SiteServer:
    """Serves one directory on a loopback address (127.0.0.1 unless told) on a free port.

    `routes` maps exact paths to handlers, so tests can add dynamic misbehaviour
    (hangs, redirect loops, compression bombs) beside the static files.
    """

    def __init__(self, root: Path | str, routes: dict[str, Route] | None = None,
                 host: str = "127.0.0.1") -> None:
        self.root = Path(root).resolve()
        self.host = host
        if not self.root.is_dir():
            raise FileNotFoundError(f"no such site directory: {self.root}")
        self.routes = dict(routes or {})
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("server not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> str:
        server = _Server((self.host, 0), _Handler)
        server.root = self.root
        server.routes = self.routes
        self._server = server
        # `stop` waits for the serving loop to look at its flag: at the default half second a
        # look, stopping cost ~0.25 s on average (the end of every demo scan; 12 s for the 25
        # fixture sites of a test run). A look every 20 ms cost 25 idle servers 2.7 % of a core.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": STOP_POLL_S},
            name="site-server", daemon=True
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SiteServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
