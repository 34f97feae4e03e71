"""A page that replaces itself while it is measured: followed when the new page loads, a failed
redirect when it does not — never an "error", whichever comes first, the DOM pass or the new
document (CI once saw the error page's own reload destroy three passes in a row)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import serve_pages, settings
from elderscan.capture import Capture
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page

pytestmark = pytest.mark.browser

HEAD = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
PAGES = {
    # Port 9 on loopback: nothing listens, so the target fails at once with an error page.
    "away.html": HEAD.format(title="away")
    + '<meta http-equiv="refresh" content="0; http://127.0.0.1:9/gone"></head><body></body>',
    "script.html": HEAD.format(title="script")
    + "</head><body><p>正在跳转</p><script>location.replace('target.html')</script></body>",
    "target.html": HEAD.format(title="target") + "</head><body><p>新页面</p></body>",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_pages(tmp_path_factory.mktemp("selfnav"), PAGES)


async def test_a_refresh_to_a_dead_page_is_a_failed_redirect_every_time(site: str) -> None:
    opts = settings(concurrency=1, axe=False, settle_ms=0)
    async with BrowserPool(opts) as pool:
        outcomes = []
        for _ in range(6):
            got = await capture_page(pool, f"{site}away.html", "desktop", opts, tab_key="c")
            outcomes.append(got.title if isinstance(got, Capture) else got.reason)
    # Measured before it left (the page itself), or a failed redirect; never an error and
    # never Chromium's error page measured as if it were the site.
    assert set(outcomes) <= {"away", "redirect"}, outcomes


async def test_a_script_redirect_is_followed_to_the_page_it_loads(site: str) -> None:
    opts = settings(concurrency=1, axe=False, settle_ms=0)
    async with BrowserPool(opts) as pool:
        got = await capture_page(pool, f"{site}script.html", "desktop", opts)
    assert isinstance(got, Capture), got
    assert got.title == "target"
    assert got.final_url.endswith("target.html")
