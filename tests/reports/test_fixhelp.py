"""Fix help on scans of the fix-help fixture pages (fixtures/fixhelp/), replayed from their
Chromium recording (tests/recordings/fixhelp) so the judge runs on real captures: what
was judged (blended colours, the mask over a crop, image-only pop-ups and icon close buttons),
element snippets, the suggested colour, grouped colour pairs, and the HTML report showing all
of it escaped."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, settings
from elderscan.checks._common.color import contrast_ratio
from elderscan.contract import PageResult, ScanReport
from elderscan.devserver import SiteServer
from elderscan.reports import ReportSource
from elderscan.reports.html import render
from recorded import RecordedDriver

PAGES = ROOT / "fixtures" / "fixhelp"
_SCANS: dict[str, ReportSource] = {}


@pytest.fixture(scope="module")
def fixhelp_url() -> Iterator[str]:
    with SiteServer(PAGES) as server:
        yield server.url


def scanned(base: str, page: str, shots: Path) -> ReportSource:
    """One scan of one page (screenshots kept), replayed, cached per page."""
    from elderscan.runner.scan import scan_site

    if page not in _SCANS:
        folder = shots / page.replace(".", "-")
        report: ScanReport = asyncio.run(scan_site(
            base + page, settings(axe=True, max_pages=1, settle_ms=900, screenshots_dir=folder),
            driver=RecordedDriver("fixhelp", base)))
        assert report.status == "ok", report.error
        _SCANS[page] = ReportSource(report, folder)
    return _SCANS[page]


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fixhelp-shots")


def desktop(source: ReportSource) -> PageResult:
    return next(p for p in source.report.pages
                if p.viewport == "desktop" and p.mode == "standard")


def finding(page: PageResult, selector: str, rule: str = "contrast.text") -> Any:
    return next(f for f in page.findings if f.rule == rule and f.selector == selector)


def test_translucent_text_is_reported_in_the_colour_judged(fixhelp_url: str,
                                                          shots: Path) -> None:
    page = desktop(scanned(fixhelp_url, "index.html", shots))
    faint = finding(page, "#faint")
    assert faint.outcome == "fail"
    # rgba(0, 0, 0, .5) over white shows as mid grey, not black
    assert faint.data["color"] == "#808080"
    assert faint.data["color_declared"] == "rgba(0, 0, 0, 0.5)"
    assert "#808080" in faint.message and "rgba(0, 0, 0, 0.5)" in faint.message
    blended = (127.5, 127.5, 127.5)  # half of black over white, before rounding to #808080
    assert faint.value == pytest.approx(contrast_ratio(blended, (255, 255, 255)), abs=0.01)


def test_each_contrast_failure_carries_a_colour_that_really_passes(fixhelp_url: str,
                                                                   shots: Path) -> None:
    page = desktop(scanned(fixhelp_url, "index.html", shots))
    fails = [f for f in page.findings if f.rule == "contrast.text" and f.outcome == "fail"]
    assert len(fails) >= 5
    for f in fails:
        hex_ = f.data["suggest"]
        rgb = tuple(int(hex_[i:i + 2], 16) for i in (1, 3, 5))
        background = tuple(int(f.data["background"][i:i + 2], 16) for i in (1, 3, 5))
        assert contrast_ratio(rgb, background) >= float(f.threshold)
    assert finding(page, "#d1").data["suggest"] == "#767676"


def test_findings_carry_their_elements_html(fixhelp_url: str, shots: Path) -> None:
    page = desktop(scanned(fixhelp_url, "index.html", shots))
    assert finding(page, "#d1").snippet == '<span class="date" id="d1">2024-05-01 发布</span>'
    hostile = finding(page, "#hostile").snippet
    assert hostile.startswith('<p id="hostile"') and "<script>alert(2)</script>" in hostile
    assert len(hostile) <= 300
    axe = [f for f in page.findings if f.rule.startswith("wcag.") and f.outcome != "pass"]
    assert all(f.snippet == f.data["html"][:300] for f in axe)


def test_text_under_a_pop_ups_mask_is_marked_as_covered(fixhelp_url: str,
                                                        shots: Path) -> None:
    page = desktop(scanned(fixhelp_url, "overlay.html", shots))
    grey = finding(page, "#grey")
    assert grey.outcome == "fail" and grey.data["covered_by"] == "#mask"
    # the pop-up's own words are not under its mask
    assert all("covered_by" not in f.data for f in page.findings
               if f.rule == "contrast.text" and f.selector != "#grey")
    # its close control is an icon-only button in the panel's top corner: found, not missing
    keys = {f.message_key for f in page.findings if f.rule == "ads.popup"}
    assert "ads.popup.close-missing" not in keys


@pytest.mark.parametrize("page_name,label", [
    ("popup-aria.html", "关闭广告"),   # <button aria-label=关闭广告><svg>
    ("popup-css.html", "×"),           # a × drawn by ::after
    ("popup-img.html", "关闭"),        # <a><img alt=关闭>
])
def test_an_image_only_pop_up_is_named_and_its_close_control_found(
        fixhelp_url: str, shots: Path, page_name: str, label: str) -> None:
    page = desktop(scanned(fixhelp_url, page_name, shots))
    ads = [f for f in page.findings if f.rule == "ads.popup"]
    popup = next(f for f in ads if f.message_key == "ads.popup.popup")
    assert popup.selector == "#promo-pop" and popup.data["close_label"] == label
    assert "“”" not in popup.message and "#promo-pop" in popup.message
    assert "ads.popup.close-missing" not in {f.message_key for f in ads}
    assert all("None" not in f.message and "“”" not in f.message for f in ads)


def test_the_html_report_groups_pairs_and_escapes_snippets(
        fixhelp_url: str, shots: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = scanned(fixhelp_url, "index.html", shots)
    monkeypatch.delenv("ELDERSCAN_DASHBOARD_URL", raising=False)
    html = render(source, "en").decode()
    assert "<script>alert(2)" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;span class=&#34;date&#34; id=&#34;d1&#34;&gt;" in html
    # the #999999 dates are one entry, their elements listed inside it
    dates = sum(1 for p in source.report.pages for f in p.findings
                if f.rule == "contrast.text" and f.data.get("color") == "#999999")
    assert dates >= 3
    assert html.count(f"{dates} elements: #999999 on #ffffff, 2.85:1, needs 4.5:1 — suggest "
                      "#767676") == 1
    assert html.count('<span class="date" id="d2">'.replace("<", "&lt;").replace(
        ">", "&gt;").replace('"', "&#34;")) >= 1
    assert 'fill="#767676"' in html or "background: #767676" in html
    assert "the translucent rgba(0, 0, 0, 0.5)" in html
    # offline, the rule's explanation is inline and nothing links to a dashboard
    assert "Darken the text" in html and "/rules/contrast.text" not in html
    zh = render(source, "zh").decode()
    assert f"{dates} 个元素：#999999 在 #ffffff 上" in zh and "如何整改" in zh
    monkeypatch.setenv("ELDERSCAN_DASHBOARD_URL", "https://dash.example.gov.cn/")
    linked = render(source, "en").decode()
    assert 'href="https://dash.example.gov.cn/rules/contrast.text"' in linked


def test_the_report_says_a_crop_was_taken_under_a_mask(fixhelp_url: str, shots: Path) -> None:
    source = scanned(fixhelp_url, "overlay.html", shots)
    html = render(source, "en").decode()
    assert "a pop-up&#39;s mask (#mask) lay over this spot" in html


def test_contrast_crops_come_from_a_screenshot_without_the_mask(fixhelp_url: str,
                                                                shots: Path) -> None:
    from PIL import Image

    from elderscan.capture import unmasked_screenshot
    from elderscan.reports.fixes import judged_screenshot

    source = scanned(fixhelp_url, "overlay.html", shots)
    page = desktop(source)
    shot = source.screenshot_path(page)
    assert shot is not None
    clear = unmasked_screenshot(shot)
    assert clear.is_file()
    grey = finding(page, "#grey")
    assert judged_screenshot(shot, "contrast.text") == clear
    assert judged_screenshot(shot, "ads.popup") == shot  # the pop-up's own findings keep it
    x, y, w, h = grey.box
    spot = (int(x + w) + 20, int(y + h / 2))  # page background just right of the text
    with Image.open(shot) as masked, Image.open(clear) as unmasked:
        assert max(masked.convert("RGB").getpixel(spot)) < 160   # greyed by the mask
        assert unmasked.convert("RGB").getpixel(spot) == (255, 255, 255)  # as judged
    html = render(source, "en").decode()
    assert "the marked crop comes from a second screenshot taken with the mask hidden" in html


def test_a_page_without_a_mask_gets_no_second_screenshot(fixhelp_url: str,
                                                         shots: Path) -> None:
    from elderscan.capture import unmasked_screenshot

    source = scanned(fixhelp_url, "index.html", shots)
    shot = source.screenshot_path(desktop(source))
    assert shot is not None and not unmasked_screenshot(shot).exists()


def test_sarif_locations_carry_the_snippet(fixhelp_url: str, shots: Path) -> None:
    import json

    from elderscan.reports.sarif import render as sarif

    source = scanned(fixhelp_url, "index.html", shots)
    log = json.loads(sarif(source, "en"))
    snippets = {loc["properties"].get("snippet") for run in log["runs"]
                for result in run["results"] for loc in result["locations"]}
    assert '<span class="date" id="d1">2024-05-01 发布</span>' in snippets
