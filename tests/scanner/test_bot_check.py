"""Portals behind a bot check answer a first request with an error status and a page of script
only (瑞数 412 with `$_ts` and a script file, 加速乐 521 with an inline cookie, a cloud WAF's 403
"checking your browser"): the script sets a cookie and loads the same address again, and then
the server sends the page. A browser gets through; the preflight cannot. Such an answer goes to
the browser, which is given the time to pass, and the page is captured as the reader sees it.
An error page that does not load itself again stays a failure, and a plain error page is still
refused by the preflight, without a browser."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from conftest import serve_pages, settings
from elderscan.capture import Capture, PageFailure
from elderscan.runner.scan import scan_site
from elderscan.scanner.botcheck import looks_like_bot_check
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.fetch import fetch
from elderscan.scanner.page import capture_page
from elderscan.settings import ScanSettings

TEXT = "本页正文：关于进一步做好老年人办事服务工作的通知。" * 4
PAGE = ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{title}</title>"
        "</head><body><nav><a href='a.html'>通知公告</a><a href='b.html'>办事指南</a></nav>"
        "<main><h1>{title}</h1><p>{text}</p></main></body></html>")

CHECKS = {
    # name: (status, the check's page, the cookie it sets)
    "reload": (412, "<script>document.cookie='ts=1; path=/'; location.reload();</script>", "ts=1"),
    "timer": (521, "<script>setTimeout(function () { document.cookie='jsl=1; path=/'; "
                   "location.href = location.pathname + location.search; }, 800);</script>",
              "jsl=1"),
    "file": (412, "<meta id='x9' content='a1b2'><script r='m'>$_ts=window['$_ts'];if(!$_ts)"
                  "$_ts={};$_ts.nsd=1;</script><script src='/check.js' r='m'></script>", "rs=1"),
    "cloud": (403, "<!doctype html><title>Just a moment...</title><p>Checking your browser.</p>"
                   "<script>document.cookie='cf=1; path=/'; location.replace(location.href);"
                   "</script>", "cf=1"),
    "cloud-200": (200, "<script>setTimeout(function () { document.cookie='acw=1; path=/'; "
                       "location.reload(); }, 300);</script>", "acw=1"),
    "refused": (412, "<script>document.cookie='no=1; path=/'; location.reload();</script>",
                "never"),
}
CHECK_JS = "document.cookie = 'rs=1; path=/'; location.replace(location.href);"
NOT_FOUND_HOME = ("<!doctype html><html><head><meta charset='utf-8'><title>404</title></head>"
                  "<body><p>页面不存在，1秒后返回首页</p><script>setTimeout(function () "
                  "{ location.href = '/'; }, 300);</script></body></html>")


def _checked(name: str) -> dict[str, object]:
    """The routes of a site whose every page is behind the check `name`."""
    status, check, cookie = CHECKS[name]

    def page(title: str) -> object:
        def handle(request: BaseHTTPRequestHandler) -> None:
            if cookie in (request.headers.get("Cookie") or ""):
                body, code = PAGE.format(title=title, text=TEXT).encode(), 200
            else:
                body, code = check.encode(), status
            request.send_response(code)
            request.send_header("Content-Type", "text/html; charset=utf-8")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)
        return handle

    return {f"/{name}/": page("县人民政府"), f"/{name}/a.html": page("通知公告"),
            f"/{name}/b.html": page("办事指南")}


def _respond(status: int, body: bytes, ctype: str) -> object:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        request.send_header("Content-Type", ctype)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
    return handle


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    routes: dict[str, object] = {k: v for name in CHECKS for k, v in _checked(name).items()}
    routes["/check.js"] = _respond(200, CHECK_JS.encode(), "application/javascript")
    routes["/api-error"] = _respond(412, CHECKS["reload"][1].encode(), "application/json")
    routes["/gone-home.html"] = _respond(404, NOT_FOUND_HOME.encode(), "text/html; charset=utf-8")
    root: Path = tmp_path_factory.mktemp("botcheck")
    yield from serve_pages(root, {"index.html": PAGE.format(title="首页", text=TEXT)}, routes)


@pytest.mark.parametrize("name", ["reload", "timer", "file", "cloud"])
async def test_the_preflight_passes_a_bot_check_on_to_the_browser(base: str, name: str) -> None:
    async with httpx.AsyncClient() as client:
        result = await fetch(client, f"{base}{name}/")
    assert (result.error, result.status) == ("http", CHECKS[name][0]), result
    assert result.bot_check


async def test_the_preflight_still_refuses_a_plain_error_page(base: str) -> None:
    async with httpx.AsyncClient() as client:
        result = await fetch(client, f"{base}missing.html")
    assert (result.error, result.status, result.bot_check) == ("http", 404, False)


def test_what_looks_like_a_bot_check() -> None:
    assert all(looks_like_bot_check(check.encode()) for _, check, _ in CHECKS.values())
    assert looks_like_bot_check(b"<html><body><script src='/x.js'></script>\n\n</body></html>")
    assert not looks_like_bot_check(b"<h1>404 Not Found</h1>")  # no script
    article = PAGE.format(title="页面不存在", text=TEXT + TEXT).replace("</main>", "</main>"
                          "<script>location.href='/';</script>")
    assert not looks_like_bot_check(article.encode())  # a page a reader reads
    assert not looks_like_bot_check(b"<script></script>" + b" " * 300_000)  # too big


async def test_an_error_answer_that_is_not_html_is_refused(base: str) -> None:
    async with httpx.AsyncClient() as client:
        result = await fetch(client, f"{base}api-error")
    assert (result.error, result.status, result.bot_check) == ("http", 412, False)


@pytest.mark.browser
@pytest.mark.parametrize(("name", "probes"), [
    ("reload", True), ("file", True), ("cloud", True),
    # a check that reloads from a timer, on the page's clock (ours) and on real time
    ("timer", True), ("timer", False), ("cloud-200", True), ("cloud-200", False),
], ids=lambda v: {True: "page-clock", False: "real-clock"}.get(v, v))
async def test_the_browser_passes_the_check_and_captures_the_page(base: str, name: str,
                                                                  probes: bool) -> None:
    # The default settle: a check that answers 200 and reloads from a timer (300 ms) is a page
    # replacing itself, followed when that happens within the settle.
    scan = settings(probes=probes, settle_ms=ScanSettings().SETTLE_MS)
    async with BrowserPool(scan) as pool:
        page = await capture_page(pool, f"{base}{name}/", "desktop", scan)
    assert isinstance(page, Capture), page
    assert page.http_status == 200 and page.title == "县人民政府", (page.http_status, page.title)
    assert any(TEXT[:10] in run.text for run in page.text_runs)
    first = CHECKS[name][0]  # a check that answers 200 is a page that replaces itself
    assert any(f"HTTP {first}" in w for w in page.warnings) == (first >= 400), page.warnings


@pytest.mark.browser
@pytest.mark.parametrize(("path", "status", "said"), [
    ("refused/", 412, "HTTP 412 (the page's script loaded it again and was refused again"),
    ("gone-home.html", 404, "HTTP 404"),
], ids=["refused-again", "sends-the-reader-home"])
async def test_an_error_page_the_browser_does_not_get_past_stays_an_error(
        base: str, path: str, status: int, said: str) -> None:
    """A check that refuses the browser too is the server's refusal, known by its third refused
    load, not by the load timeout running out; an error page whose script sends the reader
    elsewhere (home, after a countdown) is the error it says it is."""
    scan = settings(probes=True, load_timeout=30, page_timeout=60)
    async with BrowserPool(scan) as pool:
        started = time.monotonic()
        page = await capture_page(pool, f"{base}{path}", "desktop", scan)
        elapsed = time.monotonic() - started
    assert elapsed < 6, elapsed  # the bot check's wait at most, not the 30 s load timeout
    assert isinstance(page, PageFailure), page
    assert (page.reason, page.http_status) == ("http", status)
    assert page.message.startswith(said), page.message


@pytest.mark.browser
@pytest.mark.parametrize("depth", [1, 3], ids=["last-level", "levels-below"])
async def test_a_site_behind_a_check_is_scanned_page_by_page(base: str, depth: int) -> None:
    """Every page passes its own check, on the crawl's last level too (whose pages' bodies the
    crawl drops, their links unread)."""
    report = await scan_site(f"{base}file/", settings(max_pages=3, concurrency=2,
                                                      max_depth=depth))
    assert report.status == "ok", (report.error, [(p.url, p.errors, [
        (f.rule, f.message) for f in p.findings if f.rule == "page.load"]) for p in report.pages],
        report.skipped)
    assert sorted(p.url.removeprefix(base) for p in report.pages) == [
        "file/", "file/a.html", "file/b.html"]
    assert not any(f.rule == "page.load" for p in report.pages for f in p.findings)


@pytest.mark.browser
async def test_the_tab_of_a_refused_check_goes_on_to_the_next_page(base: str) -> None:
    """A refused check reloads for ever: its tab is taken off it, and the crawl's next page in
    that tab is captured as itself."""
    scan = settings(probes=True)
    async with BrowserPool(scan) as pool:
        refused = await capture_page(pool, f"{base}refused/", "desktop", scan, tab_key="site")
        then = await capture_page(pool, f"{base}reload/a.html", "desktop", scan, tab_key="site")
    assert isinstance(refused, PageFailure) and refused.reason == "http", refused
    assert isinstance(then, Capture) and then.title == "通知公告", then
