"""Pages judged as they arrive give the same result as pages judged at the end, while the crawl
keeps only slim copies of them (the memory a long scan would otherwise hold)."""

from __future__ import annotations

import pytest

from conftest import SiteFarm, settings
from elderscan.capture import Capture, PageFailure
from elderscan.contract import json_bytes
from elderscan.judge import PageJudge
from elderscan.runner.scan import build_report
from elderscan.scanner.site import capture_site

pytestmark = pytest.mark.browser


async def test_judging_as_pages_arrive_changes_nothing_in_the_result(sites: SiteFarm) -> None:
    judge = PageJudge()
    whole: dict[str, Capture | PageFailure] = {}

    def on_page(page: Capture | PageFailure) -> None:
        whole[f"{page.viewport} {page.url}"] = page.model_copy(deep=True)
        judge(page)

    opts = settings(axe=True, max_pages=4, concurrency=2, viewport="both")
    site = await capture_site(sites.url("gov-elder-link"), opts, on_page=on_page)
    standard = [p for p in site.pages if isinstance(p, Capture) and p.mode == "standard"]
    assert len(standard) == 8, [p.url for p in site.pages]
    assert any(p.mode == "elder" for p in site.pages), "the elder probe must have run"

    # Every page but the home page is kept slim; the home page whole (site rules read it).
    for page in standard:
        assert (page.url == site.start_url) == bool(page.text_runs), page.url
        assert (page.url == site.start_url) == bool(page.anchors), page.url

    report = build_report(site, judge=judge)
    streamed = report.to_json_dict()
    assert b"".join(report.json_chunks()) == json_bytes(streamed)
    assert not judge.results, "every judged page must be used"
    rebuilt = site.model_copy(update={"pages": [
        whole.get(f"{p.viewport} {p.url}", p) if p.mode == "standard" else p
        for p in site.pages]})
    at_the_end = build_report(rebuilt).to_json_dict()
    assert streamed == at_the_end
    assert streamed["score"]["total"] > 0
    assert sum(len(p["findings"]) for p in streamed["pages"]) > 20
