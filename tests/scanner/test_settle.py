"""The settle wait is page time: with the clock installed, a pop-up due 800 ms after load is
caught without waiting 800 ms for it; one due after the settle window is not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import answered_late, settings
from elderscan.capture import Capture
from elderscan.devserver import SiteServer
from elderscan.scanner import navigation
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page

PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>延时弹窗</title>
<style>#pop{display:none;position:fixed;left:20%;top:20%;width:60%;height:50%;z-index:99;
background:#fff;border:2px solid #c00}</style></head><body><p>正文内容。</p>
<div id="pop">下载APP领红包<button>关闭</button></div>
<script>addEventListener('load', () => setTimeout(() => {
  document.getElementById('pop').style.display = 'block'; }, DELAY));</script></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
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


FETCHED = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>延时弹窗</title>
<style>#pop{position:fixed;left:20%;top:20%;width:60%;height:50%;z-index:99;background:#fff;
border:2px solid #c00;opacity:0;transition:opacity .3s}#pop.on{opacity:1}</style></head>
<body><p>正文内容。</p><script>addEventListener('load', () => setTimeout(() => {
  fetch('/pop.json').then((r) => r.json()).then((d) => {
    const pop = document.createElement('div');
    pop.id = 'pop'; pop.textContent = d.text; document.body.append(pop);
    pop.getBoundingClientRect(); pop.className = 'on'; });
}, 800));</script></body></html>"""
"""A late timer fetches the pop-up's text, then fades it in: both take real time."""


@pytest.fixture(scope="module")
def fetching_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("settle-fetch")
    (root / "fetched.html").write_text(FETCHED, "utf-8")
    (root / "quiet.html").write_text(PAGE.replace("DELAY", "800"), "utf-8")
    body = '{"text": "下载APP领红包"}'.encode()
    server = SiteServer(root, routes={"/pop.json": answered_late(0.6, "application/json", body)})
    server.start()
    yield server.url
    server.stop()


@pytest.mark.browser
async def test_the_real_wait_ends_when_what_the_timers_started_has_finished(
        fetching_site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a 5 s bound on the real wait: a page whose timers start nothing is done long before
    it, and one whose timer fetches a pop-up (answered after 0.6 s) and fades it in (0.3 s) is
    measured with the pop-up there and opaque. A fixed wait would take the whole 5 s for
    both."""
    monkeypatch.setattr(navigation, "REAL_SETTLE_MS", 5000)
    opts = settings(settle_ms=5000, probes=True, axe=False)
    async with BrowserPool(opts) as pool:
        quiet = await capture_page(pool, fetching_site + "quiet.html", "desktop", opts)
        fetched = await capture_page(pool, fetching_site + "fetched.html", "desktop", opts)
    assert isinstance(quiet, Capture) and isinstance(fetched, Capture), (quiet, fetched)
    assert [o for o in quiet.overlays if "pop" in o.selector], quiet.overlays
    assert quiet.timings.settle_ms < 2500
    popped = [o for o in fetched.overlays if "pop" in o.selector]
    assert popped, fetched.overlays
    text = [r for r in fetched.text_runs if r.selector == popped[0].selector]
    assert text and text[0].color[3] == 1, text  # the fade that followed the answer has ended
    assert fetched.timings.settle_ms >= 900  # the answer (0.6 s), then the fade (0.3 s)
    assert fetched.timings.settle_ms < 3500
