"""axe-core in a real Chromium: in every frame, srcdoc ones included, and always our copy, even
on a site that loads an `axe` of its own; loaded from the tab's init script, or sent where a
document has none."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest

from conftest import serve_pages, settings
from elderscan.capture import AxeRule, Capture
from elderscan.scanner import axe
from elderscan.scanner.axe import AXE_VERSION, run_axe
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page

pytestmark = pytest.mark.browser

HEAD = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{}</title></head>'
# An image without alt text in the page and in a srcdoc frame (about:srcdoc, a document of its
# own that needs its own copy of axe-core).
IMG = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">'
PAGES = {
    "plain.html": HEAD.format("plain") + f"<body><main><h1>办事指南</h1>{IMG}</main></body>",
    "srcdoc.html": HEAD.format("srcdoc") + "<body><main><h1>通知</h1>"
    f"<iframe title=\"内嵌\" srcdoc='<html lang=zh-CN><body>{IMG}</body></html>'></iframe>"
    "</main></body>",
    # A site with an "axe" of its own, which would report a clean page if it were used.
    "own-axe.html": HEAD.format("own axe") + f"<body><main><h1>公告</h1>{IMG}</main><script>"
    "window.axe = { version: '0.0.1', run: async () => ({ violations: [], incomplete: [],"
    " passes: [], inapplicable: [] }) };</script></body>",
    # Once `hang` is set, any getAttribute (axe-core calls it for nearly every rule) never
    # returns: a run that outlasts its time limit and would hold the renderer for good.
    "hang.html": HEAD.format("hang") + '<body><main><h1>公告</h1><p>见<a href="#">通知</a></p>'
    "</main><script>const get = Element.prototype.getAttribute;"
    "Element.prototype.getAttribute = function (name) {"
    " if (window.hang) { for (;;) {} } return get.call(this, name); };</script></body>",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_pages(tmp_path_factory.mktemp("axe"), PAGES)


async def _capture(pool: BrowserPool, url: str) -> Capture:
    opts = settings(axe=True, concurrency=1, settle_ms=0, probes=False)
    got = await capture_page(pool, url, "desktop", opts, tab_key="axe")
    assert isinstance(got, Capture), got
    assert got.axe is not None, got.errors
    return got


def _image_alt_frames(capture: Capture) -> set[str]:
    assert capture.axe is not None
    return {node.frame_url for rule in capture.axe.violations if rule.id == "image-alt"
            for node in rule.nodes}


async def test_a_run_past_its_time_limit_is_stopped_and_the_page_answers_again(site: str) -> None:
    """A timed-out run goes on in the renderer unless stopped, and every later step of the
    capture (the anchors, the screenshot's measure, the probes) would wait behind it; stopped
    through the tab's session, the page answers the next script at once."""
    async with (BrowserPool(settings(axe=True, concurrency=1)) as pool,
                pool.tab("desktop", "axe") as tab):
        await tab.page.goto(f"{site}hang.html")
        await tab.page.evaluate("window.hang = true")
        with pytest.raises(RuntimeError, match=r"axe-core timed out after 0\.5s"):
            await run_axe(tab.page, 0.5, session=tab.cdp)
        # Unstopped, the run never ends, and this script would never be answered.
        answer = tab.page.evaluate("window.hang = false, document.title")
        assert await asyncio.wait_for(answer, 20) == "hang"
        # Nothing of the stop is left pending for the script after.
        assert await tab.page.evaluate("1 + 1") == 2


async def test_axe_runs_in_the_page_and_in_a_srcdoc_frame(site: str) -> None:
    async with BrowserPool(settings(axe=True, concurrency=1)) as pool:
        plain = await _capture(pool, f"{site}plain.html")
        assert plain.axe is not None and plain.axe.version == AXE_VERSION
        assert _image_alt_frames(plain) == {plain.final_url}
        framed = await _capture(pool, f"{site}srcdoc.html")
        assert framed.axe is not None and framed.axe.frames == 2
        assert _image_alt_frames(framed) == {"about:srcdoc"}


async def test_a_site_with_its_own_axe_is_measured_with_ours(site: str) -> None:
    async with BrowserPool(settings(axe=True, concurrency=1)) as pool:
        got = await _capture(pool, f"{site}own-axe.html")
    assert got.axe is not None and got.axe.version == AXE_VERSION
    assert _image_alt_frames(got) == {got.final_url}


async def _axe_in_tab(axe_on: bool, url: str) -> tuple[bool, str]:
    """(did the document get the loader, the version axe-core reported) for a pool whose
    settings have axe-core on or off."""
    async with (BrowserPool(settings(concurrency=1, axe=axe_on)) as pool,
                pool.tab("desktop") as tab):
        await tab.page.goto(url)
        loader = await tab.page.evaluate("typeof window.__elderscanAxeLoad === 'function'"
                                         " && window.axe === undefined")
        result = await run_axe(tab.page, 30)
    return loader, result.version


async def test_the_capture_tabs_load_axe_from_their_init_script(
        site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Sending the source now would fail: the run has to use the loader the tab's context got
    # when it was made, and navigation alone must not have started axe-core.
    monkeypatch.setattr(axe, "AXE_INJECT", "throw new Error('the source was sent again')")
    assert await _axe_in_tab(True, f"{site}plain.html") == (True, AXE_VERSION)


async def test_a_document_without_the_loader_gets_the_source(site: str) -> None:
    # A pool with axe-core off adds no loader; run here anyway, the frame is sent the source.
    assert await _axe_in_tab(False, f"{site}plain.html") == (False, AXE_VERSION)


HAN = re.compile(r"[\u4e00-\u9fff]")


def _image_alt(capture: Capture) -> AxeRule:
    assert capture.axe is not None
    return next(rule for rule in capture.axe.violations if rule.id == "image-alt")


async def test_a_chinese_scan_gets_axe_messages_in_chinese_and_keeps_the_english(
        site: str) -> None:
    """axe-core's zh_CN locale in a Chinese scan: help and failure summary in Chinese, the
    English help kept for an English report; the locale does not stick to the next page."""
    async with BrowserPool(settings(axe=True, concurrency=1)) as pool:
        zh = await capture_page(pool, f"{site}plain.html", "desktop",
                                settings(axe=True, concurrency=1, settle_ms=0, axe_locale="zh"),
                                tab_key="axe")
        en = await capture_page(pool, f"{site}plain.html", "desktop",
                                settings(axe=True, concurrency=1, settle_ms=0), tab_key="axe")
    assert isinstance(zh, Capture) and isinstance(en, Capture)
    chinese, english = _image_alt(zh), _image_alt(en)
    assert HAN.search(chinese.help), chinese.help
    assert chinese.nodes[0].failure_summary and HAN.search(chinese.nodes[0].failure_summary)
    assert chinese.help_en == english.help and not HAN.search(english.help)
    assert english.help_en is None
    assert not HAN.search(english.nodes[0].failure_summary or "")


async def test_a_wcag_finding_reads_in_either_language_whatever_the_scan(site: str) -> None:
    """A Chinese scan's findings re-rendered for an English reader show axe's English help, and
    an English scan's for a Chinese reader the locale's Chinese help."""
    from elderscan.reports.digest import message
    from elderscan.runner.scan import scan_site

    for scan_lang in ("zh", "en"):
        report = await scan_site(f"{site}plain.html", settings(axe=True, max_pages=1, max_depth=0),
                                 lang=scan_lang)
        found = [f for p in report.pages for f in p.findings if f.rule == "wcag.image-alt"]
        assert found, report.pages[0].findings
        zh, en = message(found[0], "zh"), message(found[0], "en")
        assert zh.startswith("图像必须有替代文本（"), zh  # axe-core's zh_CN help
        assert en.startswith("Images must have alternative text ("), en
        assert found[0].message == (zh if scan_lang == "zh" else en)
