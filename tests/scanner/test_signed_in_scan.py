"""A signed-in scan: `--cookie` reaches the scanned site's own host, and only that host.

The site on 127.0.0.1 answers its pages only to a request carrying the session cookie (others
are sent to a sign-in page); each page also loads an image from a second server on 127.0.0.2,
which records every Cookie header it is sent. The preflight (httpx), the browser's pages and the
probes must all be signed in; the other host must never see the cookie; the result must not
hold its value.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from conftest import _send, settings
from elderscan.runner.scan import scan_site
from elderscan.settings import ScanSettings
from incli import elderscan

pytestmark = pytest.mark.browser

SECRET = "s3cret-value-9f2"
OTHER_HOST = "127.0.0.2"


@dataclass
class Seen:
    cookies: dict[str, list[str]] = field(default_factory=dict)

    def add(self, path: str, cookie: str) -> None:
        self.cookies.setdefault(path, []).append(cookie)


def _server(host: str, seen: Seen, page: Any) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            seen.add(path, self.headers.get("Cookie", ""))
            _send(self, *page(path, self.headers.get("Cookie", "")))

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class Rig:
    site: str
    other: str
    site_seen: Seen
    other_seen: Seen


@pytest.fixture(scope="module")
def rig() -> Iterator[Rig]:
    other_seen, site_seen = Seen(), Seen()
    pixel = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
             b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
             b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    other = _server(OTHER_HOST, other_seen,
                    lambda path, cookie: (200, {"Content-Type": "image/png"}, pixel))
    other_url = f"http://{OTHER_HOST}:{other.server_address[1]}"

    def page(path: str, cookie: str) -> tuple[int, dict[str, str], bytes]:
        html = "text/html; charset=utf-8"
        if path == "/login":
            return 200, {"Content-Type": html}, (
                "<!doctype html><html lang='zh-CN'><title>请登录</title>"
                "<main><h1>请先登录</h1></main></html>").encode()
        if path not in ("/", "/inner"):
            return 404, {"Content-Type": "text/plain"}, b"not found"
        if f"session={SECRET}" not in cookie:
            return 302, {"Location": "/login"}, b""
        title = "内部首页" if path == "/" else "内部第二页"
        return 200, {"Content-Type": html}, (
            f"<!doctype html><html lang='zh-CN'><title>{title}</title><main><h1>{title}</h1>"
            f"<p style='font-size:18px'>已登录的内容。</p><a href='/inner'>第二页</a>"
            f"<img alt='标志' src='{other_url}/pixel.png'></main></html>").encode()

    site = _server("127.0.0.1", site_seen, page)
    yield Rig(f"http://127.0.0.1:{site.server_address[1]}/", other_url, site_seen, other_seen)
    site.shutdown()
    other.shutdown()


async def test_a_signed_in_scan_sends_the_cookie_to_the_site_alone(rig: Rig) -> None:
    report = await scan_site(rig.site, settings(max_pages=2, cookies=(f"session={SECRET}",),
                                                obey_robots=False, sitemap=False))
    assert report.status == "ok", report.error
    titles = sorted(p.title or "" for p in report.pages)
    assert titles == ["内部第二页", "内部首页"], titles
    # the preflight and the browser both came signed in
    assert all(f"session={SECRET}" in c for c in rig.site_seen.cookies["/"]), rig.site_seen
    assert "/login" not in rig.site_seen.cookies
    # the image host was reached, never with the cookie
    assert rig.other_seen.cookies.get("/pixel.png"), "the second host was never asked"
    assert not any(SECRET in c for c in rig.other_seen.cookies["/pixel.png"])
    assert SECRET not in json.dumps(report.model_dump(mode="json"), ensure_ascii=False)


async def test_without_the_cookie_the_same_scan_lands_on_the_sign_in_page(rig: Rig) -> None:
    report = await scan_site(rig.site, settings(max_pages=2, obey_robots=False, sitemap=False))
    assert [p.title for p in report.pages] == ["请登录"]


@pytest.mark.parametrize("bad", ["no-equals-sign", "bad name=zzvalue", "a=zzvalue;c=d"])
def test_a_malformed_cookie_is_refused_by_name(bad: str) -> None:
    with pytest.raises(ValueError, match="cookie"):
        ScanSettings().merged(cookies=(bad,))
    done = elderscan(["scan", "http://127.0.0.1:9/", "--cookie", bad], os.environ, timeout=60)
    assert done.returncode == 2, done
    assert "cookie" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "zzvalue" not in done.stderr  # a cookie's value is a secret: never echoed
