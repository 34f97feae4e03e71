"""Pages that throw from their own timers and handlers while they are probed (portal-robust-*):
what they throw is their console error, every probe still finishes, and no rule is left
unjudged. Only a page that goes elsewhere mid-probe leaves a probe unfinished, said in words."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from conftest import SiteFarm, answered_late, serve_pages, settings
from elderscan.capture import Capture
from elderscan.checks import check_page
from elderscan.scanner import interact
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page
from elderscan.scanner.page_scripts import MOTION

pytestmark = pytest.mark.browser

# The scan's own settle time and probes: the RequireJS timeout needs the page clock's 7 s.
PROBED = settings(axe=True, probes=True, settle_ms=1000)

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


_TIMED = ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>首页</title>"
          "</head><body><main><h1>新闻</h1><p>正文内容</p><a href='#a'>链接</a>"
          "<p class='tick'>0</p></main><script>"
          # a ticker, so the motion probe has something to find and anchor
          "setInterval(function () {{ var t = document.querySelector('.tick');"
          " t.textContent = +t.textContent + 1; }}, 1000);"
          # armed by the keyboard probe's first Tab, so it fires in the motion probe's window
          # however long the capture before it took
          "addEventListener('keydown', function () {{ if (window.armed) return;"
          " window.armed = true; setTimeout(function () {{ {go} }}, 5000); }});"
          "</script></body>")
PAGES = {
    # sent to an address that answers 3 s later: the old document still answers the motion
    # probe's last question before the new one replaces it
    "away.html": _TIMED.format(go="location.href = '/late.html';"),
    # moves within the document: the page has not gone anywhere
    "hash.html": _TIMED.format(go="location.hash = '#more'; history.pushState({}, '', '?p=2');"
                                  " history.replaceState({}, '', '?p=3');"),
    # sent to an address that answers 204 No Content: the browser stays on the page
    "nocontent.html": _TIMED.format(go="location.href = '/nothing';"),
    # leaves as soon as its link is focused: the keyboard probe cannot finish
    "focusaway.html": "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
    "<title>首页</title></head><body><p>正文内容</p>"
    "<a href='#b' onfocus=\"location.href = '/late.html'\">链接</a></body>",
}


def _no_content(handler: Any) -> None:
    handler.send_response(204)
    handler.end_headers()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    late = answered_late(3, "text/html; charset=utf-8", b"<!doctype html><title>late</title>")
    yield from serve_pages(tmp_path_factory.mktemp("robust"), PAGES,
                           {"/late.html": late, "/nothing": _no_content})


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


async def test_a_page_still_leaving_when_the_probe_ends_says_so(
    pool: BrowserPool, base: str
) -> None:
    capture = await capture_page(pool, base + "away.html", "desktop", PROBED)
    assert isinstance(capture, Capture), capture
    assert capture.motion is None
    assert capture.errors["motion"].startswith(f"the page left {base}away.html by itself")
    assert capture.focus is not None and capture.reflow is not None  # watched before it left


@pytest.mark.parametrize("name", ["hash.html", "nocontent.html"])
async def test_a_page_that_moved_within_itself_or_was_sent_nowhere_has_not_left(
    pool: BrowserPool, base: str, name: str
) -> None:
    """A hash, pushState and replaceState; a navigation answered 204 No Content."""
    capture = await capture_page(pool, base + name, "desktop", PROBED)
    assert isinstance(capture, Capture), capture
    assert capture.errors == {}
    assert capture.motion and capture.focus  # the ticker was watched
    probed = [m.selector for m in capture.motion] + [f.selector for f in capture.focus]
    assert all(selector in capture.anchors for selector in probed), probed


async def test_the_probes_after_the_one_the_page_left_in_are_not_judged_as_empty(
    pool: BrowserPool, base: str
) -> None:
    capture = await capture_page(pool, base + "focusaway.html", "desktop", PROBED)
    assert isinstance(capture, Capture), capture
    assert capture.errors["focus"].startswith(f"the page left {base}focusaway.html by itself")
    assert capture.errors["reflow"].startswith("not run: the page left ")
    assert capture.errors["motion"].startswith("not run: the page left ")
    verdict = check_page(capture)
    assert {e.rule for e in verdict.errors} >= {"focus.visible", "zoom.reflow", "motion.timing"}


@pytest.mark.parametrize(("go", "left"), [("location.href = '/late.html'", True),
                                          ("location.hash = '#more'", False)])
async def test_the_motion_watcher_knows_its_page_has_begun_to_leave(
    pool: BrowserPool, base: str, go: str, left: bool
) -> None:
    """The race behind a flaky scan: a timer sends the page elsewhere, and the old document
    still answers for a moment before the browser holds questions for the next one. Asked in
    that moment (here: in the same task as the timer's `location.href`), 'end' must not report
    an empty watch as if the page had stayed."""
    async with pool.tab("desktop") as tab:
        await tab.page.goto(base + "hash.html")
        await tab.page.evaluate(MOTION.source, {"mode": "start", "stepMs": 1000})
        watched = await tab.page.evaluate(
            "([go, watcher]) => { (0, eval)(go); return (0, eval)(watcher)('end'); }",
            [go, MOTION.source])
        assert (isinstance(watched, dict) and watched["left"] is True) is left, watched


async def test_a_page_that_stays_is_given_time_to_answer_the_last_question(
    pool: BrowserPool, base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last question before the deadline once had only what was left of it: a page that
    stayed (a navigation answered 204) counted as leaving when a busy machine answered late.
    With a window shorter than any answer, the page that stays must still be found staying."""
    monkeypatch.setattr(interact, "LEAVING_S", 0.000_1)
    async with pool.tab("desktop") as tab:
        await tab.page.goto(base + "hash.html")
        await tab.page.evaluate(MOTION.source, {"mode": "start", "stepMs": 1000})
        assert await interact._stays(tab.page)
        await tab.page.evaluate("() => { delete window.__elderscanMotion; }")
        assert not await interact._stays(tab.page)  # a document without the watcher is another
