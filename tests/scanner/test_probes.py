"""Interaction probes: keyboard focus, text clipped at 200 % zoom, content that moves itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import TEST_SITES, settings
from elderscan.capture import Capture
from elderscan.devserver import SiteServer
from elderscan.scanner.browser import BrowserPool
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
