"""The HTML report, opened in a real Chromium: marked screenshots, escaping, languages."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

from elderscan.capture import GuardLog, GuardRefusal, PageFailure
from elderscan.contract import PageResult, ScanReport
from elderscan.judge import load_failure_finding
from elderscan.reports import ReportSource
from elderscan.reports.digest import rectification
from elderscan.reports.html import MAX_PER_RULE, render
from elderscan.scanner._chromium import BASE_FLAGS, find_chromium

HOSTILE_TITLE = "<script>window.__pwned=1</script>"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=list(BASE_FLAGS))
        yield browser
        browser.close()


def _open(browser: Browser, html: bytes, folder: Path) -> tuple[Page, list[str]]:
    path = folder / "report.html"
    path.write_bytes(html)
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (problems.append(f"dialog {d.message}"), d.dismiss()))
    page.goto(path.as_uri())
    return page, problems


def _red_pixels(data_uri: str) -> int:
    png = base64.b64decode(data_uri.split(",", 1)[1])
    image = Image.open(io.BytesIO(png)).convert("RGB")
    raw = image.tobytes()
    return sum(1 for i in range(0, len(raw), 3)
               if raw[i] > 180 and raw[i + 1] < 40 and raw[i + 2] < 40)


@pytest.mark.browser
def test_report_shows_marked_screenshots_and_hostile_text_as_text(
        chromium: Browser, source: ReportSource, tmp_path: Path) -> None:
    page, problems = _open(chromium, render(source, "zh"), tmp_path)
    try:
        assert page.evaluate("window.__pwned") is None
        assert problems == []
        body = page.inner_text("body")
        assert HOSTILE_TITLE in body
        assert 'onerror="window.__pwned=3"' in body  # scanned text shown, not parsed
        assert page.locator("script").count() == 0
        marked = page.locator("img.marked")
        assert marked.count() >= 3
        first = marked.first
        assert first.evaluate("img => img.complete && img.naturalWidth > 0")
        assert _red_pixels(first.get_attribute("src") or "") > 100
        # The rectification list: the report's order is the digest's (by impact).
        rows = page.locator("#s-rect + p + div tbody tr")
        expected = rectification(source.report)
        assert rows.count() == len(expected)
        assert "对比度" in rows.first.inner_text() or expected[0].rule in page.content()
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert "整改清单" in body and "一票否决" not in body  # no veto on this site
    finally:
        page.close()


@pytest.mark.browser
def test_english_report(chromium: Browser, source: ReportSource, tmp_path: Path) -> None:
    page, problems = _open(chromium, render(source, "en"), tmp_path)
    try:
        assert problems == []
        body = page.inner_text("body")
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Rectification list" in body
        assert "below 4.5:1" in body or "contrast" in body.lower()
        assert "整改清单" not in body
    finally:
        page.close()


@pytest.mark.browser
def test_report_zoomed_to_200_percent_does_not_scroll_sideways(
        chromium: Browser, source: ReportSource, tmp_path: Path) -> None:
    """Reflow (WCAG 1.4.10): 1280 px at 200 % is a 640 CSS px viewport."""
    page, _ = _open(chromium, render(source, "zh"), tmp_path)
    try:
        page.set_viewport_size({"width": 640, "height": 800})
        page.reload()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 640
    finally:
        page.close()


def test_veto_and_failed_page_are_explained(source: ReportSource) -> None:
    report = source.report.model_copy(deep=True)
    assert report.score is not None
    report.score["vetoes"] = [{"rule": "ads.elder-mode", "message": "漂浮广告在关怀模式中仍然显示"}]
    failure = PageFailure(url="http://127.0.0.1:1/gone.html", final_url=None, http_status=404,
                          mode="standard", viewport="desktop", reason="http-error",
                          message="HTTP 404")
    report.pages.append(PageResult(url=failure.url, final_url=None, http_status=404,
                                   mode="standard", viewport="desktop", title=None,
                                   screenshot=None, metrics={},
                                   findings=[load_failure_finding(failure)]))
    html = render(ReportSource(report, source.screenshots_root), "zh").decode()
    assert "一票否决" in html and "漂浮广告在关怀模式中仍然显示" in html
    assert "最高计为 59 分" in html
    assert "无法加载" in html and "HTTP 404" in html


def test_without_screenshots_the_report_lists_locations_only(source: ReportSource) -> None:
    html = render(ReportSource(source.report, None), "zh").decode()
    assert 'class="marked"' not in html
    assert "#faint-text" in html or "faint" in html  # the element is still named


def test_many_failures_are_capped_per_rule(source: ReportSource) -> None:
    report = source.report.model_copy(deep=True)
    page = next(p for p in report.pages if any(f.outcome == "fail" for f in p.findings))
    failing = next(f for f in page.findings if f.rule == "contrast.text" and f.outcome == "fail")
    # each with its own colour: identical colour pairs would fold into one entry
    page.findings.extend(failing.model_copy(update={"data": {**failing.data,
                                                             "color": f"#0000{i:02x}"}})
                         for i in range(MAX_PER_RULE + 10))
    html = render(ReportSource(report, source.screenshots_root), "en").decode()
    assert "more problems of this kind are not listed" in html
    assert html.count('class="marked"') <= 80


def test_crafted_result_cannot_smuggle_a_javascript_link(source: ReportSource) -> None:
    report: ScanReport = source.report.model_copy(deep=True)
    report.target = "javascript:alert(1)"
    html = render(ReportSource(report, None), "zh").decode()
    assert 'href="javascript:' not in html


def test_guard_refusals_are_listed_in_both_languages_and_escaped(source: ReportSource) -> None:
    report: ScanReport = source.report.model_copy(deep=True)
    report.guard = GuardLog(connections=9, refused=[
        GuardRefusal(host="127.0.0.2", port=8000, code="loopback", count=3,
                     reason="127.0.0.2 is a loopback address"),
        GuardRefusal(host="<img src=x onerror=alert(1)>.localhost", port=80, code="unresolved",
                     count=1, reason="does not resolve")])
    zh = render(ReportSource(report, None), "zh").decode()
    assert "地址防护拦截的连接（2）" in zh
    assert "<code>127.0.0.2:8000</code> · 本机回环地址 · 3 次" in zh
    assert "<img src=x" not in zh and "&lt;img src=x onerror=alert(1)&gt;.localhost" in zh
    en = render(ReportSource(report, None), "en").decode()
    assert "Connections the address guard refused (2)" in en
    assert "name does not resolve · 1×" in en
    report.guard = None
    assert "地址防护" not in render(ReportSource(report, None), "zh").decode()
