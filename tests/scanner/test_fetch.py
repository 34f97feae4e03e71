"""The preflight against a real loopback server, including servers that misbehave on purpose."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from elderscan.devserver import Route, SiteServer
from elderscan.scanner.fetch import (
    decode_html,
    extract_links,
    fetch,
    fetch_text,
    make_client,
    sniff_html,
)
from elderscan.urls import same_site

GBK_TEXT = "老年人服务专区：字体放大、语音播报"
PAGE = b'<!doctype html><html><head><title>t</title></head><body><a href="/a.html">a</a></body>'
BOMB = gzip.compress(bytes(50_000_000), compresslevel=9)  # ~50 KB on the wire, 50 MB inflated


def respond(
    status: int = 200,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> Route:
    """A route that answers with a fixed response (headers exactly as given)."""

    def handler(req: BaseHTTPRequestHandler) -> None:
        req.send_response(status)
        for name, value in (headers or {}).items():
            req.send_header(name, value)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    return handler


def redirect(location: str, status: int = 302) -> Route:
    return respond(status, b"", {"Location": location})


def trickle(req: BaseHTTPRequestHandler) -> None:
    """Headers at once, then one byte every 0.1 s: never finishes, never goes idle long."""
    req.send_response(200)
    req.send_header("Content-Type", "text/html")
    req.send_header("Connection", "close")
    req.end_headers()
    req.close_connection = True
    try:
        for _ in range(300):
            req.wfile.write(b"<")
            req.wfile.flush()
            time.sleep(0.1)
    except OSError:
        return


def silent(req: BaseHTTPRequestHandler) -> None:
    """Accepts the request and never answers."""
    req.close_connection = True
    time.sleep(5)


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    root: Path = tmp_path_factory.mktemp("site")
    (root / "page.html").write_bytes(PAGE)
    (root / "doc.pdf").write_bytes(b"%PDF-1.4\n%fake\n")
    (root / "robots.txt").write_text("User-agent: *\nSitemap: /sitemap.xml\n")
    gbk = f'<html><head><meta charset="gb2312"><title>{GBK_TEXT}</title></head></html>'
    (root / "gbk.html").write_bytes(gbk.encode("gbk"))
    routes: dict[str, Route] = {
        "/r1": redirect("/r2"),
        "/r2": redirect("r3", 301),
        "/r3": redirect("/page.html#section", 307),
        "/loop-a": redirect("/loop-b"),
        "/loop-b": redirect("/loop-a"),
        "/self": redirect("/self"),
        "/mailto": redirect("mailto:a@b.cn"),
        "/ftp": redirect("ftp://127.0.0.1/file"),
        "/bomb": respond(200, BOMB, {"Content-Type": "text/html", "Content-Encoding": "gzip"}),
        "/gzip": respond(
            200,
            gzip.compress(PAGE[:40]) + gzip.compress(PAGE[40:]),  # two gzip members
            {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
        ),
        "/deflate-raw": respond(
            200, raw_deflate(PAGE), {"Content-Type": "text/html", "Content-Encoding": "deflate"}
        ),
        "/deflate-zlib": respond(
            200, zlib.compress(PAGE), {"Content-Type": "text/html", "Content-Encoding": "deflate"}
        ),
        "/corrupt-gzip": respond(
            200,
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff\xff",  # invalid block type
            {"Content-Type": "text/html", "Content-Encoding": "gzip"},
        ),
        "/trickle": trickle,
        "/silent": silent,
        "/attachment": respond(
            200,
            PAGE,
            {"Content-Type": "text/html", "Content-Disposition": 'attachment; filename="a.html"'},
        ),
        "/untyped-html": respond(200, b"\n  <!DOCTYPE html><html><p>hi</p></html>"),
        "/untyped-binary": respond(200, b"PK\x03\x04" + bytes(2000)),
        "/big": respond(200, b"x" * 5000, {"Content-Type": "text/html"}),
        "/error": respond(500, b"<h1>oops</h1>", {"Content-Type": "text/html"}),
        "/xhtml": respond(200, PAGE, {"Content-Type": "Application/XHTML+XML; charset=utf-8"}),
        "/no-location": respond(302, b"", {"Content-Type": "text/html"}),
    }
    for i in range(5):
        routes[f"/chain{i}"] = redirect(f"/chain{i + 1}")
    routes["/chain5"] = respond(200, PAGE, {"Content-Type": "text/html"})
    with SiteServer(root, routes) as server:
        yield server


@pytest.fixture(scope="module")
def other_site(site: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """A second origin (another port = another site) that redirects into `site`."""
    routes = {"/moved": redirect(site.url + "page.html", 301)}
    with SiteServer(tmp_path_factory.mktemp("other"), routes) as server:
        yield server


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client("elderscan-test/0.1") as c:
        yield c


async def test_normal_page(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "page.html")
    assert r.error is None, r.detail
    assert r.status == 200
    assert r.content_type == "text/html"
    assert r.final_url == site.url + "page.html"
    assert r.redirects == ()
    assert r.body == PAGE
    assert r.elapsed_ms > 0


async def test_xhtml_content_type_is_html(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "xhtml")
    assert r.error is None
    assert r.content_type == "application/xhtml+xml"
    assert r.content_type_header == "Application/XHTML+XML; charset=utf-8"


async def test_not_found(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "missing.html")
    assert r.error == "http"
    assert r.status == 404
    assert b"404 Not Found" in r.body
    assert r.detail is not None and "404" in r.detail


async def test_server_error_keeps_body(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "error")
    assert (r.error, r.status, r.body) == ("http", 500, b"<h1>oops</h1>")


async def test_redirect_chain(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "r1")
    assert r.error is None, r.detail
    assert r.redirects == (site.url + "r2", site.url + "r3", site.url + "page.html")
    assert r.final_url == site.url + "page.html"
    assert r.status == 200
    assert r.body == PAGE


async def test_redirect_loop(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "loop-a")
    assert r.error == "too-many-redirects"
    assert r.detail is not None and "loop" in r.detail
    assert len(r.redirects) < 10
    assert set(r.redirects) == {site.url + "loop-a", site.url + "loop-b"}


async def test_self_redirect_loop(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "self")
    assert r.error == "too-many-redirects"
    assert r.redirects == (site.url + "self", site.url + "self")


async def test_too_many_redirects(site: SiteServer, client: httpx.AsyncClient) -> None:
    ok = await fetch(client, site.url + "chain0")
    assert ok.error is None and len(ok.redirects) == 5
    r = await fetch(client, site.url + "chain0", max_redirects=3)
    assert r.error == "too-many-redirects"
    assert r.status == 302
    assert len(r.redirects) == 4


async def test_offsite_redirect_is_recorded(
    site: SiteServer, other_site: SiteServer, client: httpx.AsyncClient
) -> None:
    start = other_site.url + "moved"
    r = await fetch(client, start)
    assert r.error is None, r.detail
    assert r.redirects == (site.url + "page.html",)
    assert r.final_url is not None and not same_site(start, r.final_url)


async def test_redirect_to_non_http_scheme(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "mailto")
    assert r.error == "protocol"
    assert r.detail is not None and "location" in r.detail.lower()
    ftp = await fetch(client, site.url + "ftp")
    assert (ftp.error, ftp.status) == ("protocol", 302)


async def test_redirect_without_location(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "no-location")
    assert (r.error, r.status) == ("protocol", 302)


async def test_gzip_bomb_is_refused_fast_and_small(
    site: SiteServer, client: httpx.AsyncClient
) -> None:
    tracemalloc.start()
    try:
        started = time.perf_counter()
        r = await fetch(client, site.url + "bomb", max_bytes=1_000_000)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.error == "too-large"
    assert r.body == b""
    assert seconds < 5
    assert peak < 16_000_000  # inflating the whole bomb would need 50 MB


async def test_default_cap_refuses_bomb(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "bomb")
    assert r.error == "too-large"


async def test_gzip_and_deflate_bodies(site: SiteServer, client: httpx.AsyncClient) -> None:
    for path in ("gzip", "deflate-raw", "deflate-zlib"):
        r = await fetch(client, site.url + path)
        assert r.error is None, (path, r.detail)
        assert r.body == PAGE, path


async def test_corrupt_gzip(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "corrupt-gzip")
    assert r.error == "protocol"


async def test_plain_body_over_cap(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "big", max_bytes=4000)
    assert r.error == "too-large"
    assert (await fetch(client, site.url + "big", max_bytes=5000)).error is None


async def test_trickling_server_times_out(site: SiteServer, client: httpx.AsyncClient) -> None:
    started = time.perf_counter()
    r = await fetch(client, site.url + "trickle", timeout=1.0)
    seconds = time.perf_counter() - started
    assert r.error == "timeout"
    assert r.status == 200
    assert 0.9 < seconds < 3


async def test_silent_server_times_out(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "silent", timeout=0.5)
    assert r.error == "timeout"
    assert r.status is None
    assert r.elapsed_ms < 2500


async def test_pdf_is_not_html(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "doc.pdf")
    assert r.error == "not-html"
    assert r.content_type == "application/pdf"
    assert r.status == 200
    assert r.body == b""


async def test_attachment_is_download(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "attachment")
    assert r.error == "download"
    assert r.body == b""


async def test_missing_content_type_is_sniffed(site: SiteServer, client: httpx.AsyncClient) -> None:
    html = await fetch(client, site.url + "untyped-html")
    assert html.error is None, html.detail
    assert html.content_type is None
    assert html.body.startswith(b"\n  <!DOCTYPE html>")
    binary = await fetch(client, site.url + "untyped-binary")
    assert binary.error == "not-html"


async def test_gbk_page_decodes(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url + "gbk.html")
    assert r.error is None, r.detail
    assert GBK_TEXT.encode("utf-8") not in r.body
    assert GBK_TEXT in decode_html(r.body, r.content_type_header)


async def test_fetch_text_accepts_any_type(site: SiteServer, client: httpx.AsyncClient) -> None:
    assert (await fetch(client, site.url + "robots.txt")).error == "not-html"
    r = await fetch_text(client, site.url + "robots.txt")
    assert r.error is None, r.detail
    assert r.content_type == "text/plain"
    assert b"Sitemap: /sitemap.xml" in r.body
    missing = await fetch_text(client, site.url + "sitemap.xml")
    assert (missing.error, missing.status) == ("http", 404)


async def test_dns_failure(client: httpx.AsyncClient) -> None:
    r = await fetch(client, "http://elderscan-test.invalid/", timeout=10)
    assert r.error == "dns", r.detail
    assert (r.status, r.final_url) == (None, None)


async def test_connection_refused(client: httpx.AsyncClient) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    r = await fetch(client, f"http://127.0.0.1:{port}/")
    assert r.error == "connect", r.detail
    assert r.status is None


async def test_tls_failure(site: SiteServer, client: httpx.AsyncClient) -> None:
    r = await fetch(client, site.url.replace("http://", "https://") + "page.html")
    assert r.error == "tls", r.detail


async def test_unsupported_url(client: httpx.AsyncClient) -> None:
    r = await fetch(client, "ftp://127.0.0.1/x")
    assert r.error == "protocol"


def test_decode_html_header_beats_meta() -> None:
    body = '<meta charset="utf-8"><p>中文</p>'.encode("gbk")
    assert "中文" in decode_html(body, "text/html; charset=GBK")
    assert "中文" in decode_html(body, 'text/html; charset="gb2312"')


def test_decode_html_bom_beats_everything() -> None:
    body = b"\xef\xbb\xbf" + '<meta charset="gbk">中文'.encode()
    assert decode_html(body, "text/html; charset=gbk") == '<meta charset="gbk">中文'


def test_decode_html_meta_http_equiv() -> None:
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    body = (html + "<title>政务服务</title>").encode("gb18030")
    assert "政务服务" in decode_html(body, "text/html")


def test_decode_html_gbk_superset_characters() -> None:
    body = '<meta charset="gb2312">镕'.encode("gbk")  # 镕 is in GBK but not in GB2312
    assert decode_html(body, None).endswith("镕")


def test_decode_html_meta_beyond_prescan_is_ignored() -> None:
    body = b" " * 3000 + '<meta charset="gbk">中文'.encode("gbk") + b"\xff"
    assert "\ufffd" in decode_html(body, None)


def test_decode_html_fallbacks() -> None:
    assert decode_html("无声明的页面".encode(), None) == "无声明的页面"
    assert decode_html("无声明的页面".encode("gbk"), None) == "无声明的页面"
    assert decode_html(b"\x80\x80\xff", "text/html; charset=bogus") == "\ufffd" * 3


def test_decode_html_utf16_meta_means_utf8() -> None:
    assert decode_html('<meta charset="utf-16">é'.encode(), None).endswith("é")


def test_sniff_html() -> None:
    assert sniff_html(b"  <!DOCTYPE HTML PUBLIC>")
    assert sniff_html(b"\xef\xbb\xbf<html>")
    assert sniff_html(b"<!-- comment -->")
    assert not sniff_html(b"%PDF-1.4")
    assert not sniff_html(b"<?xml version='1.0'?><urlset/>")
    assert not sniff_html(b"<abbr>")


def test_extract_links() -> None:
    html = """<html><head></head><body>
      <nav style="display:none"><a href="/hidden.html">hidden</a></nav>
      <a href="news/1.html#top">1</a>
      <a>no href</a>
      <map><area href="../map.html" shape="rect"></map>
      <a href="mailto:office@gov.cn">mail</a>
      <a href=" javascript:void(0) ">js</a>
      <a href="?page=2">next</a>
      <a href="//cdn.example.cn/x">cdn</a>
      <a href="..\\col\\a.html">backslash</a>
      <a href="http://[bad">bad</a>
    </body></html>"""
    assert extract_links(html, "http://127.0.0.1:5000/dir/index.html") == [
        "http://127.0.0.1:5000/hidden.html",
        "http://127.0.0.1:5000/dir/news/1.html#top",
        "http://127.0.0.1:5000/map.html",
        "mailto:office@gov.cn",
        "javascript:void(0)",
        "http://127.0.0.1:5000/dir/index.html?page=2",
        "http://cdn.example.cn/x",
        "http://127.0.0.1:5000/col/a.html",
    ]


def test_extract_links_honours_base() -> None:
    html = '<head><base href="/sub/"><base href="/ignored/"></head><a href="p.html">p</a>'
    assert extract_links(html, "http://127.0.0.1:5000/x/y.html") == [
        "http://127.0.0.1:5000/sub/p.html"
    ]
    bad_base = '<base href="javascript:x"><a href="p.html">p</a>'
    assert extract_links(bad_base, "http://h/x/y.html") == ["http://h/x/p.html"]


async def test_clients_share_one_tls_context_that_allows_legacy_renegotiation() -> None:
    """Loading the CA bundle costs ~30 ms of CPU; a batch makes a client for every site."""
    import ssl

    def context_of(client: httpx.AsyncClient) -> ssl.SSLContext:
        return client._transport._pool._ssl_context  # type: ignore[attr-defined]

    async with make_client("a") as one, make_client("b") as two, \
            make_client("c", verify=False) as loose:
        assert context_of(one) is context_of(two)
        assert context_of(one).verify_mode == ssl.CERT_REQUIRED
        assert context_of(loose).verify_mode == ssl.CERT_NONE
        legacy = getattr(ssl, "OP_LEGACY_SERVER_CONNECT", 0x4)  # named from Python 3.12
        assert legacy and context_of(one).options & legacy == legacy
