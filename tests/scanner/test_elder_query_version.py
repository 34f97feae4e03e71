"""An elder version at the standard home's own address, told apart only by its query, that a
button reaches by reloading with a cache-buster (`?mode=care&_t=<time>`, as vendor toggles
do): the probe follows it, and the version's further pages are the links that keep
`mode=care` — not the elder home again under another name, not the way out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import ELDER_TEXT, serve_pages, settings
from elderscan.capture import Capture
from elderscan.checks.elder import main_text_px
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.elder import probe_elder
from elderscan.scanner.page import capture_page

pytestmark = pytest.mark.browser

CARE = ("<script>if (/[?&]mode=care(&|$)/.test(location.search)) "
        "document.documentElement.className = 'care';</script>")


def _page(title: str, links: str) -> str:
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<title>{title}</title><style>main p{{font-size:14px}} "
            f".care main p{{font-size:22px}}</style>{CARE}</head><body><header>"
            f"<button id='care' onclick=\"location.href = '/index.html?mode=care&_t=' + "
            f"Date.now()\">关怀版</button></header><nav>{links}</nav><main>{ELDER_TEXT}</main>"
            f"</body>")  # serve_pages closes it


NAV = ("<a href='/?mode=care'>首页</a><a href='/index.html?mode=care'>首页</a>"
       "<a href='/news.html?mode=care'>新闻</a><a href='/guide.html?mode=care'>办事指南</a>"
       "<a href='/?mode=std'>返回标准版</a><a href='/about.html'>概况</a>")
PAGES = {name: _page(title, NAV) for name, title in (
    ("index.html", "县政府"), ("news.html", "新闻"), ("guide.html", "办事指南"),
    ("about.html", "概况"))}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_pages(tmp_path_factory.mktemp("elder-query"), PAGES)


async def test_a_reload_with_a_cache_buster_still_leads_to_the_versions_pages(
        base: str) -> None:
    scan = settings(concurrency=2)
    async with BrowserPool(scan) as pool:
        home = await capture_page(pool, base, "desktop", scan)
        assert isinstance(home, Capture)
        probe, captures = await probe_elder(pool, home, scan)
    assert probe.kind == "link", probe.trials
    assert "mode=care" in (probe.elder_url or "") and "_t=" in (probe.elder_url or "")
    pages = [c for c in captures if isinstance(c, Capture)]
    assert len(pages) == len(captures) == 3, captures
    assert [p.url for p in pages[1:]] == [base + "news.html?mode=care",
                                          base + "guide.html?mode=care"]
    assert all(p.mode == "elder" and main_text_px(p) == 22 for p in pages), [
        (p.url, main_text_px(p)) for p in pages]
