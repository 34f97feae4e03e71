"""A crawl's tab goes from page to page, and each page still sees a first visit: no cookie,
localStorage or sessionStorage flag from the page before (a pop-up shown "once per visit" must
be shown on every page captured, whichever tab captured it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import settings
from elderscan.capture import Capture
from elderscan.devserver import SiteServer
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page

pytestmark = pytest.mark.browser

# The title says whether the page found any trace of an earlier visit, then leaves traces of
# every kind, as a "show this pop-up once" script does.
PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>-</title></head>
<body><p>第 NAME 页</p><script>
const seen = [document.cookie.includes('seen=1') && 'cookie',
  localStorage.getItem('seen') && 'local', sessionStorage.getItem('seen') && 'session']
  .filter(Boolean);
document.title = seen.length ? 'seen:' + seen.join(',') : 'first visit';
document.cookie = 'seen=1; path=/; max-age=3600';
localStorage.setItem('seen', '1');
sessionStorage.setItem('seen', '1');
</script></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("tabs")
    for name in "abcd":
        (root / f"{name}.html").write_text(PAGE.replace("NAME", name), "utf-8")
    server = SiteServer(root)
    server.start()
    yield server.url
    server.stop()


async def test_pages_in_one_tab_each_see_a_first_visit(site: str) -> None:
    opts = settings(concurrency=1, axe=False)
    async with BrowserPool(opts) as pool:
        titles = []
        for name in "abcd":
            capture = await capture_page(pool, f"{site}{name}.html", "desktop", opts,
                                         tab_key="crawl-1")
            assert isinstance(capture, Capture), capture
            titles.append(capture.title)
    assert titles == ["first visit"] * 4


async def test_a_tab_is_lent_again_cleared_then_replaced(site: str) -> None:
    opts = settings(concurrency=1, axe=False, tab_pages=2)
    async with BrowserPool(opts) as pool:
        async with pool.tab("desktop", "crawl-1") as first:
            await first.page.goto(f"{site}a.html")
            assert await first.page.title() == "first visit"
        async with pool.tab("desktop", "crawl-1") as second:
            assert second is first and second.uses == 2
            # The same renderer, state gone: a reload would say 'seen' if anything was left.
            await second.page.goto(f"{site}a.html")
            assert await second.page.title() == "first visit"
            await second.page.goto(f"{site}b.html")
            assert await second.page.title() == "seen:cookie,local,session"  # the control
        async with pool.tab("desktop", "crawl-1") as third:
            assert third is not first  # TAB_PAGES=2: its context was replaced
        async with pool.tab("desktop", "crawl-2") as other:
            assert other is not third  # another crawl never borrows this crawl's tab
        await pool.forget("crawl-1")
        async with pool.tab("desktop", "crawl-1") as after:
            assert after is not third


async def test_a_tab_whose_page_failed_is_not_lent_again(site: str) -> None:
    opts = settings(concurrency=1, axe=False)
    async with BrowserPool(opts) as pool:
        async with pool.tab("desktop", "crawl-1") as first:
            first.reusable = False  # as capture_page does after a timeout or a crash
        async with pool.tab("desktop", "crawl-1") as second:
            assert second is not first
