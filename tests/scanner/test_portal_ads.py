"""The portal-ads-* fixture sites in real Chromium: ads judged, pixels behind text, text hidden.

Each site's truth file says what a person sees; these tests hold the scan to it.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import SiteFarm, settings
from elderscan.capture import Capture
from elderscan.contract import ScanReport
from elderscan.judge.metrics import font_metrics
from elderscan.runner.scan import scan_site
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page

pytestmark = pytest.mark.browser

# The truth files assume the late-pop-up wait; the motion probe sees the 飘窗 drift.
SCAN = settings(max_pages=1, settle_ms=900, probes=True)
_REPORTS: dict[str, ScanReport] = {}


async def scanned(sites: SiteFarm, name: str, page: str = "") -> Any:
    """The desktop home page of a one-page scan (cached per URL)."""
    url = sites.url(name) + page
    if url not in _REPORTS:
        _REPORTS[url] = await scan_site(url, SCAN)
    report = _REPORTS[url]
    assert report.status == "ok"
    return next(p for p in report.pages if p.mode == "standard" and p.viewport == "desktop")


def ads_findings(page: Any) -> list[Any]:
    return [f for f in page.findings if f.rule == "ads.popup"]


def message_keys(page: Any) -> set[str]:
    return {f.message_key for f in ads_findings(page)}


def assert_ads_truth(page: Any, truth: dict[str, Any]) -> None:
    found = message_keys(page)
    assert set(truth["judged"]) <= found, found
    reviews = [f.message_key for f in ads_findings(page) if f.outcome == "review"]
    assert reviews == truth["review"], reviews
    metrics = page.metrics["ads"]
    assert metrics["popup_on_load"] is truth["popup_on_load"]
    assert metrics["floating"] == truth["floating"]
    assert metrics["floating_ads"] == truth["floating_ads"]


@pytest.mark.parametrize("site", ["portal-ads-float", "portal-ads-modal"])
async def test_ads_are_judged_not_left_to_review(sites: SiteFarm, site: str) -> None:
    truth = sites.truth(site)["ads"]
    page = await scanned(sites, site)
    assert_ads_truth(page, truth)
    failed = {f.selector for f in ads_findings(page) if f.outcome == "fail"}
    for selector in truth["floating_ad_selectors"]:
        assert selector in failed, (selector, failed)
    if truth["popup_selector"]:
        popup = next(f for f in ads_findings(page) if f.message_key == "ads.popup.popup")
        assert popup.selector == truth["popup_selector"]
    widgets = set(truth["floating_selectors"]) - set(truth["floating_ad_selectors"])
    assert not widgets & {f.selector for f in ads_findings(page)}, "a widget was judged"


async def test_the_drifting_box_is_seen_by_the_motion_probe(sites: SiteFarm) -> None:
    page = await scanned(sites, "portal-ads-float")
    moving = next(f for f in ads_findings(page) if f.message_key == "ads.popup.floating-moving")
    assert moving.selector == "#bay-window" and moving.data["position"] == "absolute"
    assert float(moving.value) >= 100  # 30 ms steps of 1 px for 12 s, bouncing
    couplet = next(f for f in ads_findings(page) if f.message_key == "ads.popup.couplet")
    assert (couplet.data["left"], couplet.data["right"]) == ("#couplet-left", "#couplet-right")


async def test_a_plug_in_pop_up_without_a_mask_is_judged(sites: SiteFarm) -> None:
    truth = sites.truth("portal-ads-modal")["ads"]["eject_page"]
    page = await scanned(sites, "portal-ads-modal", truth["page"].lstrip("/"))
    assert set(truth["judged"]) <= message_keys(page)
    popup = next(f for f in ads_findings(page) if f.message_key == "ads.popup.popup")
    assert popup.selector == truth["popup_selector"]
    assert page.metrics["ads"]["popup_on_load"] is True


async def test_text_over_photos_is_judged_by_its_pixels(sites: SiteFarm) -> None:
    truth = sites.truth("portal-ads-photo")
    page = await scanned(sites, "portal-ads-photo")
    pixel = {f.selector: f for f in page.findings if f.rule == "contrast.over-image"}
    dom = {f.selector for f in page.findings if f.rule == "contrast.text" and f.selector}
    for sample in truth["samples"]:
        if "visual" not in sample:
            continue
        finding = pixel.get(sample["selector"])
        assert finding is not None, f"{sample['selector']} was not judged by its pixels"
        assert finding.outcome == sample["visual"]["expect"], finding
        assert sample["selector"] not in dom  # the CSS colour does not judge it
        if sample["visual"]["expect"] == "fail":
            assert float(finding.value) == pytest.approx(sample["visual"]["ratio"],
                                                         abs=sample["visual"]["ratio_tolerance"])


@pytest.fixture(scope="module")
async def pool() -> Any:
    async with BrowserPool(SCAN) as browser:
        yield browser


async def test_clipped_text_is_not_visible_text(sites: SiteFarm, pool: BrowserPool) -> None:
    truth = sites.truth("portal-ads-footer-dropdown")["visible_text"]
    url = sites.url("portal-ads-footer-dropdown") + truth["page"].lstrip("/")
    capture = await capture_page(pool, url, "desktop", settings(axe=False))
    assert isinstance(capture, Capture), capture
    texts = " ".join(run.text for run in capture.text_runs)
    for hidden in truth["hidden_texts"]:
        assert hidden not in texts, f"{hidden!r} is clipped away but counted"
    for shown in truth["shown_texts"]:
        assert shown in texts, f"{shown!r} is on show but missing"
    share = font_metrics(capture.text_runs)["share_ge_18px"]
    assert share == pytest.approx(truth["share_ge_18px"], abs=0.005)
