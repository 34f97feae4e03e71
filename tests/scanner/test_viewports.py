"""Desktop and mobile captures emulate what they claim, and say who we are."""

from __future__ import annotations

import pytest

from conftest import settings
from elderscan.capture import Capture
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page

pytestmark = pytest.mark.browser


def _text(capture: Capture, selector: str) -> str:
    return next(r.text for r in capture.text_runs if r.selector == selector)


async def test_desktop_and_mobile_emulation(hostile_url: str) -> None:
    opts = settings()
    async with BrowserPool(opts) as pool:
        desktop = await capture_page(pool, hostile_url + "env.html", "desktop", opts)
        mobile = await capture_page(pool, hostile_url + "env.html", "mobile", opts)
        legacy = await capture_page(pool, hostile_url + "ok.html", "mobile", opts)
    assert isinstance(desktop, Capture) and isinstance(mobile, Capture)
    assert desktop.viewport_size == (1280, 900)
    assert _text(desktop, "#page-env") == "dpr=1 touch=0 width=1280"
    assert mobile.viewport_size == (375, 812)
    assert _text(mobile, "#page-env") == "dpr=2 touch=1 width=375"
    # Without <meta name=viewport> a phone lays the page out 980 px wide and shrinks it,
    # as real mobile browsers do: the reason small text on such pages is smaller still.
    assert isinstance(legacy, Capture) and 975 <= legacy.document_size[0] <= 990
    desktop_ua, mobile_ua = _text(desktop, "#server-ua"), _text(mobile, "#server-ua")
    assert "Mobile" in mobile_ua and "Mobile" not in desktop_ua
    for agent in (desktop_ua, mobile_ua):
        assert agent.endswith(opts.USER_AGENT_SUFFIX)
        assert "elderscan/" in agent
