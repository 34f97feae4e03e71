"""Interaction probes: keyboard focus, text clipped at 200 % zoom, content that moves itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import TEST_SITES, serve_pages, settings
from elderscan.capture import Capture
from elderscan.devserver import SiteServer
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.interact import probe_reflow
from elderscan.scanner.page import capture_page

pytestmark = pytest.mark.browser
OPTS = settings(probes=True, axe=False)


@pytest.fixture(scope="module")
def probes_url() -> Iterator[str]:
    with SiteServer(TEST_SITES / "probes") as server:
        yield server.url


async def capture(url: str, viewport: str = "desktop") -> Capture:
    async with BrowserPool(OPTS) as pool:
        result = await capture_page(pool, url, viewport, OPTS)  # type: ignore[arg-type]
    assert isinstance(result, Capture), result
    return result


async def test_desktop_probes(probes_url: str) -> None:
    page = await capture(probes_url)
    assert page.errors == {}
    focus = {step.selector: step for step in page.focus or []}
    assert focus["#no-ring"].indicator is False
    assert focus["#ring"].indicator is True
    assert "outline-style" in focus["#ring"].changes

    assert page.reflow is not None and page.reflow.viewport_width == 640
    clipped = {c.selector for c in page.reflow.clipped}
    assert clipped == {"#clip"}
    assert not page.reflow.horizontal_scroll

    moving = {m.selector: m for m in page.motion or []}
    assert set(moving) == {"#slides", "#ticker"}
    assert moving["#slides"].changes >= 3  # every 3 s over 12 s
    assert moving["#slides"].pause_control is False
    assert moving["#ticker"].pause_control is True
    assert page.timings.probes_ms > 0


async def test_mobile_has_no_keyboard_or_zoom_probe(probes_url: str) -> None:
    page = await capture(probes_url, "mobile")
    assert page.focus is None and page.reflow is None
    assert page.motion is not None and len(page.motion) == 2


# Lay their menus out again on `resize`, as portals' scripts do, at once or once the resizing
# has stopped for 250 ms (a debounce): narrower than 800 px, a bar of fixed width that needs
# horizontal scrolling. Only a page measured after its handler ran shows it.
_LAYOUT = ("document.getElementById('menu').style.width = innerWidth < 800 ? '1200px' : '';")
_RESIZED = ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>首页</title>"
            "</head><body><nav id='menu'>栏目</nav><main><p>正文内容</p></main><script>{}"
            "</script></body>")
RESIZED = {
    "at-once.html": _RESIZED.format(f"addEventListener('resize', () => {{ {_LAYOUT} }});"),
    "debounced.html": _RESIZED.format(
        "let wait = null; addEventListener('resize', () => { clearTimeout(wait);"
        f" wait = setTimeout(() => {{ {_LAYOUT} }}, 250); }});"),
}


@pytest.fixture(scope="module")
def resized_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_pages(tmp_path_factory.mktemp("resized"), RESIZED)


@pytest.mark.parametrize("page", sorted(RESIZED))
async def test_the_zoomed_page_is_measured_after_its_resize_handlers_ran(
        resized_url: str, page: str) -> None:
    """Chromium dispatches `resize` with the next frame, and the page's requestAnimationFrame
    is the installed clock's: measured without waiting for the event, the handler had not run
    in about 1 of 7 tries (20 tries here would all pass then about 5 % of the time); a
    debounced handler runs once the page's timers are run ahead."""
    thrown: list[str] = []
    async with BrowserPool(OPTS) as pool, pool.tab("desktop") as tab:
        await tab.page.context.clock.install()
        await tab.page.goto(resized_url + page)
        for _ in range(20):
            reflow = await probe_reflow(tab.page, 1280, 800, thrown.append)
            assert reflow.horizontal_scroll is True
            width = await tab.page.evaluate("getComputedStyle(menu).width")
            assert width != "1200px"  # laid out again at full size after the probe
    assert thrown == []
