"""The settle wait is page time: with the clock installed, a pop-up due 800 ms after load is
caught without waiting 800 ms for it; one due after the settle window is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import settings
from elderscan.capture import Capture
from elderscan.devserver import SiteServer
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page

PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>延时弹窗</title>
<style>#pop{display:none;position:fixed;left:20%;top:20%;width:60%;height:50%;z-index:99;
background:#fff;border:2px solid #c00}</style></head><body><p>正文内容。</p>
<div id="pop">下载APP领红包<button>关闭</button></div>
<script>addEventListener('load', () => setTimeout(() => {
  document.getElementById('pop').style.display = 'block'; }, DELAY));</script></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> str:
    root: Path = tmp_path_factory.mktemp("settle")
    (root / "late.html").write_text(PAGE.replace("DELAY", "800"), "utf-8")
    (root / "later.html").write_text(PAGE.replace("DELAY", "3000"), "utf-8")
    server = SiteServer(root)
    server.start()
    yield server.url
    server.stop()


@pytest.mark.browser
@pytest.mark.parametrize(("page", "probes", "caught"), [
    ("late.html", True, True),     # timers run ahead: caught in ~0.2 s of real time
    ("late.html", False, True),    # no clock: the second really passes
    ("later.html", True, False),   # due after the 1 s window: not a late pop-up
])
async def test_late_popup_within_the_settle_window(site: str, page: str, probes: bool,
                                                   caught: bool) -> None:
    opts = settings(settle_ms=1000, probes=probes, axe=False)
    async with BrowserPool(opts) as pool:
        capture = await capture_page(pool, site + page, "desktop", opts)
    assert isinstance(capture, Capture), capture
    shown = [o for o in capture.overlays if "pop" in o.selector]
    assert bool(shown) is caught, capture.overlays
    if probes:
        assert capture.timings.settle_ms < 800  # page time ran ahead of real time
