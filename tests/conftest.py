"""Shared test fixtures: local HTTP servers for the fixture sites and the hostile test site;
the hooks that keep the `browser` marker true (tests/browserguard.py); a closed network's name
resolver for the test process (tests/closeddns.py)."""

from __future__ import annotations

import atexit
import gc
import gzip
import json
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from tests import closeddns
from tests.browserguard import ADVICE, ChromiumGuard
from tests.quick_settings import TEST_SETTINGS

from elderscan.devserver import SiteServer
from elderscan.settings import ScanSettings

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_SITES = ROOT / "fixtures" / "sites"
TEST_SITES = Path(__file__).resolve().parent / "sites"

# What Node compiles of the browser driver is kept in a folder of the test run, not in the
# developer's cache (scanner/driver_process.py); the commands the tests start inherit it.
os.environ.setdefault("NODE_COMPILE_CACHE", tempfile.mkdtemp(prefix="elderscan-test-node-"))


_GUARD = pytest.StashKey[ChromiumGuard]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_GUARD] = ChromiumGuard()
    closeddns.install()
    # The interpreter's collections at exit walked everything a test process kept (up to ~1.3M
    # objects in a worker): 3.5–4 s at the end of every run with all cores idle but one.
    # Frozen once pytest's own last collection (which reports what freeing raised) is done,
    # the objects are freed by their counts alone.
    atexit.register(gc.freeze)


def pytest_unconfigure(config: pytest.Config) -> None:
    closeddns.uninstall()
    if _GUARD in config.stash:
        config.stash[_GUARD].close()


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is alive once the tests are collected (imported modules, the tests) lives to the
    end: frozen out of the collector's reach, no full collection walks it again (~310k
    objects a test process; a worker spent 2–4 s of CPU in full collections a run)."""
    gc.collect()
    gc.freeze()
    # A young collection every 20,000 allocations, not every 700: at 700 what a test still
    # used (Hypothesis's, pydantic's, SQLAlchemy's objects) was promoted and walked again by
    # full collections. Browser-free run: 9.9 → 5.1 s of CPU in collections (gen2 6.9 →
    # 1.4 s), the run's CPU 118.6 → 112.8 s (three runs each, the machine otherwise idle).
    gc.set_threshold(20_000, 10, 10)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture of the test (module- and session-wide ones included) is set up."""
    item.config.stash[_GUARD].enter(item.get_closest_marker("browser") is not None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    guard = item.config.stash[_GUARD]
    if guard.tried() and item.get_closest_marker("browser") is None:
        report: pytest.TestReport = outcome.get_result()
        report.outcome = "failed"
        report.longrepr = ADVICE.format(test=item.nodeid)
    if call.when == "teardown":
        guard.restore()


@pytest.fixture(scope="session", autouse=True)
async def _one_driver() -> AsyncIterator[None]:
    """The pools of the session's loop (the async tests') share one Playwright driver: ~160
    pools a run, each starting and stopping its own, cost 0.65 CPU s apiece on two cores.
    Each pool still launches its own Chromium. Tests of the driver itself opt out
    (`own_driver`)."""
    from elderscan.scanner import driver_process

    async with driver_process.kept():
        yield


@pytest.fixture
def own_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pools start and stop a driver of their own, as outside the test session."""
    from elderscan.scanner import driver_process

    monkeypatch.setattr(driver_process, "_kept", {})


@pytest.fixture(scope="session", autouse=True)
def _clean_env() -> Iterator[None]:
    """Tests must not pick up a developer's ELDERSCAN_* settings (the browser path aside)."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("ELDERSCAN_")}
    for key in saved:
        if key != "ELDERSCAN_CHROMIUM":
            del os.environ[key]
    yield
    os.environ.update(saved)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite store at the newest schema, migrated once a test process: a test's store
    is a copy of the file (`copy_store`). Migrating one took ~30 ms of CPU, for ~100 tests of
    the store and ~300 of the API."""
    from elderscan.store import upgrade

    path = tmp_path_factory.mktemp("migrated") / "store.db"
    upgrade(f"sqlite:///{path}")
    return path


def copy_store(migrated: Path, to: Path) -> str:
    """A copy of the `migrated_sqlite` file at `to`; returns its URL."""
    for suffix in ("", "-wal"):  # the write-ahead log, if the migration left one
        source = migrated.with_name(migrated.name + suffix)
        if source.exists():
            shutil.copyfile(source, to.with_name(to.name + suffix))
    return f"sqlite:///{to}"


ELDER_TEXT = "".join(f"<p>第{i}条：老年人办理社保卡、医保报销的服务指南与常见问题解答。</p>"
                     for i in range(12))
"""Main text for a page whose elder mode the probe is to prove: enough of it to be the main
text, at whatever size the page sets."""


def settings(**overrides: Any) -> ScanSettings:
    """Defaults tuned for tests: a short settle and timeouts, so a hostile page costs seconds.
    The interaction probes are off unless a test is about them (they cost ~0.3 s a page), and so
    is axe-core unless a test is about it or judges whole scans (`axe=True`), at ~30 % of a
    capture's time."""
    return ScanSettings().merged(**{**TEST_SETTINGS, **overrides})


class SiteFarm:
    """One server per fixture site, started on first use and kept for the session."""

    def __init__(self) -> None:
        self._servers: dict[str, SiteServer] = {}

    def url(self, name: str) -> str:
        if name not in self._servers:
            server = SiteServer(FIXTURE_SITES / name)
            server.start()
            self._servers[name] = server
        return self._servers[name].url

    def truth(self, name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((FIXTURE_SITES / name / "truth.json").read_text("utf-8"))
        return data

    def close(self) -> None:
        for server in self._servers.values():
            server.stop()


def serve_pages(root: Path, pages: dict[str, str],
                routes: dict[str, Any] | None = None) -> Iterator[str]:
    """Write `pages` (name → HTML, closed with </html> here) under `root` and serve them, with
    `routes` beside them; yields the base URL. For a module's own small site:
    `yield from serve_pages(tmp, PAGES)`."""
    for name, html in pages.items():
        (root / name).write_text(html + "</html>", "utf-8")
    server = SiteServer(root, routes=routes)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sites() -> Iterator[SiteFarm]:
    farm = SiteFarm()
    yield farm
    farm.close()


def _send(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str],
          body: bytes) -> None:
    handler.send_response(status)
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def answered_late(seconds: float, content_type: str, body: bytes) -> Any:
    """A route that answers `body` after `seconds`: a stylesheet or script a press loads slowly."""
    def route(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        _send(handler, 200, {"Content-Type": content_type}, body)

    return route


def _redirect(target: str) -> Any:
    def route(handler: BaseHTTPRequestHandler) -> None:
        _send(handler, 302, {"Location": target}, b"")

    return route


def _slow_image(handler: BaseHTTPRequestHandler) -> None:
    """Headers, then a byte now and then for up to two minutes: `load` never fires."""
    handler.send_response(200)
    handler.send_header("Content-Type", "image/png")
    handler.send_header("Content-Length", "100000000")
    handler.end_headers()
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            handler.wfile.write(b"\0")
            handler.wfile.flush()
            time.sleep(0.5)
    except OSError:
        return


_BOMB: bytes | None = None


def _bomb(handler: BaseHTTPRequestHandler) -> None:
    """~200 KB on the wire, 200 MB of HTML once inflated."""
    global _BOMB
    if _BOMB is None:
        page = b"<!doctype html><title>bomb</title><p>" + b" " * (200 * 1024 * 1024)
        _BOMB = gzip.compress(page, compresslevel=9)
    _send(handler, 200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, _BOMB)


def _download(handler: BaseHTTPRequestHandler) -> None:
    _send(handler, 200, {"Content-Type": "text/html",
                         "Content-Disposition": 'attachment; filename="a.html"'},
          b"<!doctype html><p>download me</p>")


def _binary(handler: BaseHTTPRequestHandler) -> None:
    _send(handler, 200, {"Content-Type": "application/octet-stream"}, os.urandom(4096))


def _env(handler: BaseHTTPRequestHandler) -> None:
    """Echoes the User-Agent the server saw, and what the page itself sees, as visible text."""
    agent = (handler.headers.get("User-Agent") or "").replace("<", "&lt;")
    body = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>env</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f'<body><p id="server-ua">{agent}</p><p id="page-env"></p><script>'
        "document.getElementById('page-env').textContent = 'dpr=' + devicePixelRatio +"
        " ' touch=' + navigator.maxTouchPoints + ' width=' + innerWidth;</script></body></html>"
    ).encode()
    _send(handler, 200, {"Content-Type": "text/html; charset=utf-8"}, body)


def _refusing_check(handler: BaseHTTPRequestHandler) -> None:
    """A bot check that never lets the browser through: 412 and a reload, every time."""
    _send(handler, 412, {"Content-Type": "text/html; charset=utf-8"},
          b"<script>document.cookie = 'ts=1; path=/'; location.reload();</script>")


HOSTILE_ROUTES = {
    "/env.html": _env,
    "/refusing-check/": _refusing_check,
    "/redirect-loop": _redirect("/redirect-loop-2"),
    "/redirect-loop-2": _redirect("/redirect-loop"),
    "/slow-image": _slow_image,
    "/bomb.html": _bomb,
    "/download": _download,
    "/binary": _binary,
}


@pytest.fixture(scope="session")
def hostile_url() -> Iterator[str]:
    with SiteServer(TEST_SITES / "hostile", routes=HOSTILE_ROUTES) as server:
        yield server.url
