"""A page whose load event waits on another site that never answers is captured once nothing
else is loading, not after the whole load timeout; one that waits on its own site still gets
the whole timeout (its own slow resources are part of the page)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bench.blackhole import Blackhole

from conftest import HOSTILE_ROUTES, serve_pages, settings
from elderscan.capture import Capture
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page

pytestmark = pytest.mark.browser

BODY = "<main><h1>县政府门户</h1><p>老年人办事指南。</p></main>"


@pytest.fixture(scope="module")
def silent_host() -> Iterator[str]:
    """An address on another site that accepts connections and never answers."""
    with Blackhole(ports=1) as hole:
        yield hole.origins[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, silent_host: str) -> Iterator[str]:
    head = "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>县</title>"
    pages = {"other.html": f"{head}</head><body>{BODY}<img src='{silent_host}/stat.gif' alt=''>"
                           f"<script async src='{silent_host}/share.js'></script></body>",
             "own.html": f"{head}</head><body>{BODY}<img src='/slow-image' alt=''></body>"}
    yield from serve_pages(tmp_path_factory.mktemp("stall"), pages,
                           {"/slow-image": HOSTILE_ROUTES["/slow-image"]})


async def _capture(url: str) -> Capture:
    scan = settings(load_timeout=5)
    async with BrowserPool(scan) as pool:
        page = await capture_page(pool, url, "desktop", scan)
    assert isinstance(page, Capture), page
    return page


async def test_a_load_stalled_on_another_site_is_given_up(site: str, silent_host: str) -> None:
    page = await _capture(site + "other.html")
    assert any(w.startswith("load event had not fired") and silent_host[7:] in w
               for w in page.warnings), page.warnings
    assert any(r.text.startswith("老年人办事指南") for r in page.text_runs)


async def test_a_load_waiting_on_its_own_site_gets_the_whole_timeout(site: str) -> None:
    page = await _capture(site + "own.html")
    assert any(w.startswith("load event did not fire within 5s") for w in page.warnings), (
        page.warnings)
