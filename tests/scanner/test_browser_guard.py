"""With the address guard on, Chromium's own requests cannot reach non-public addresses."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from conftest import settings
from elderscan.capture import Capture
from elderscan.devserver import SiteServer
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page

pytestmark = pytest.mark.browser


async def _scan(tmp_path: Path, guard: bool) -> tuple[Capture, list[str]]:
    hits: list[str] = []

    def record(handler: BaseHTTPRequestHandler) -> None:
        hits.append(handler.path)
        body = b"<p>internal</p>"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    internal_root = tmp_path / "internal"
    internal_root.mkdir(exist_ok=True)
    with SiteServer(internal_root, routes={"/secret": record, "/pixel.png": record},
                    host="127.0.0.2") as internal:
        site = tmp_path / "site"
        site.mkdir(exist_ok=True)
        (site / "index.html").write_text(
            '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>t</title>'
            f'<p>公开页面</p><iframe src="{internal.url}secret"></iframe>'
            f'<img src="{internal.url}pixel.png" alt="x">', "utf-8")
        with SiteServer(site) as public:
            opts = settings(axe=False, guard_addresses=guard, allow_hosts=("127.0.0.1",))
            async with BrowserPool(opts) as pool:
                result = await capture_page(pool, public.url, "desktop", opts)
    assert isinstance(result, Capture), result
    return result, hits


async def test_guard_blocks_frames_and_images_on_internal_addresses(tmp_path: Path) -> None:
    page, hits = await _scan(tmp_path, guard=True)
    assert hits == []
    blocked = [n for n in page.network if "127.0.0.2" in n.url]
    assert blocked and all(n.failure for n in blocked)


async def test_without_the_guard_the_same_page_reaches_them(tmp_path: Path) -> None:
    _, hits = await _scan(tmp_path, guard=False)
    assert sorted(hits) == ["/pixel.png", "/secret"]
