"""Pages that throw from their own timers and handlers while they are probed (portal-robust-*):
what they throw is their console error, every probe still finishes, and no rule is left
unjudged. Only a page that goes elsewhere mid-probe leaves a probe unfinished, said in words."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from conftest import SiteFarm, settings
from elderscan.capture import Capture
from elderscan.checks import check_page
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page

pytestmark = pytest.mark.browser

# The scan's own settle time and probes: the RequireJS timeout needs the page clock's 7 s.
PROBED = settings(probes=True, settle_ms=1000)

THROWS = {
    # variant: (what the page throws, where: the probe that sets it off)
    "requirejs": ("Load timeout for modules: widgets", "motion"),
    "interval": ("Cannot read properties of null (reading 'style')", "settle"),
    "raf": ("Cannot read properties of undefined (reading 'step')", "settle"),
    "keyboard": ("Cannot read properties of undefined", "focus"),
    "resize": ("Cannot read properties of null (reading 'style')", "reflow"),
}


@pytest.fixture(scope="module")
async def pool() -> AsyncIterator[BrowserPool]:
    async with BrowserPool(PROBED) as browser:
        yield browser


async def _home(pool: BrowserPool, sites: SiteFarm, variant: str) -> Capture:
    result = await capture_page(pool, sites.url(f"portal-robust-{variant}"), "desktop", PROBED)
    assert isinstance(result, Capture), result
    return result


@pytest.mark.parametrize("variant", list(THROWS))
async def test_what_the_page_throws_is_its_console_error(
    pool: BrowserPool, sites: SiteFarm, variant: str
) -> None:
    capture = await _home(pool, sites, variant)
    thrown, _ = THROWS[variant]
    assert any(e.startswith("uncaught: ") and thrown in e for e in capture.console_errors), \
        capture.console_errors
    assert capture.errors == {}
    assert capture.focus is not None and capture.reflow is not None
    assert capture.motion is not None
    verdict = check_page(capture)
    assert verdict.errors == []  # motion.timing, zoom.reflow, focus.visible all ran
    assert {f.rule for f in verdict.findings} >= {"focus.visible", "font.size"}


async def test_a_page_that_goes_elsewhere_mid_probe_says_so(
    pool: BrowserPool, sites: SiteFarm
) -> None:
    capture = await _home(pool, sites, "navigate")
    assert capture.motion is None
    assert capture.errors["motion"].startswith("the page left ")
    verdict = check_page(capture)
    assert [e.rule for e in verdict.errors] == ["motion.timing"]
    assert "by itself during the motion probe" in verdict.errors[0].message
