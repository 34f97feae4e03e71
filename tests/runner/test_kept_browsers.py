"""A browser kept between scans: one launch for many sites, nothing of one site in the next."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import SiteFarm, settings
from elderscan.contract import ScanReport
from elderscan.runner.browsers import KeptBrowsers
from elderscan.runner.scan import scan_site
from elderscan.scanner.browser import BrowserPool

pytestmark = pytest.mark.browser


def verdicts(report: ScanReport) -> list[Any]:
    return [report.score, report.elder_mode,
            [(p.url, p.mode, p.viewport, p.metrics.get("font"),
              sorted((f.rule, f.outcome, f.selector or "") for f in p.findings))
             for p in report.pages]]


async def test_a_kept_browser_scans_a_site_again_as_a_fresh_one_did(sites: SiteFarm) -> None:
    """gov-good keeps its care mode in localStorage, and the elder-mode probe switches it on:
    were the probe's state carried into the next scan, its pages would be read in care mode."""
    opts = settings(axe=True, max_pages=2)
    browsers = KeptBrowsers(keep=1)
    try:
        async with browsers.lease(opts) as pool:
            first = await scan_site(sites.url("gov-good"), opts, pool=pool)
        assert pool.is_alive(), "the pool outlives its scan"
        async with browsers.lease(opts) as again:
            assert again is pool
            other = await scan_site(sites.url("gov-poor"), opts, pool=again)
        async with browsers.lease(opts) as again:
            second = await scan_site(sites.url("gov-good"), opts, pool=again)
        assert browsers.launched == 1
    finally:
        await browsers.close()
    assert not pool.is_alive()
    assert first.elder_mode and first.elder_mode["found"], "the probe must have switched it on"
    assert verdicts(second) == verdicts(first)
    assert verdicts(other) != verdicts(first)


async def test_a_pool_is_kept_only_for_the_same_browser_settings_and_a_clean_end() -> None:
    browsers = KeptBrowsers(keep=1)
    plain, other_ua = settings(axe=True), settings(axe=True, user_agent_suffix="audit-round-2")
    try:
        async with browsers.lease(plain) as first:
            pass
        async with browsers.lease(settings(axe=True, max_pages=7, settle_ms=900)) as same:
            assert same is first, "page settings are the scan's own, not the pool's"
        async with browsers.lease(other_ua) as second:
            assert second is not first
        assert not first.is_alive(), "keep=1: the older idle pool is closed"
        with pytest.raises(RuntimeError):
            async with browsers.lease(other_ua) as third:
                assert third is second
                raise RuntimeError("a scan that failed midway")
        assert not second.is_alive(), "a pool whose scan raised is not handed on"
        assert browsers.launched == 2
    finally:
        await browsers.close()
    unkept = KeptBrowsers(keep=0)
    async with unkept.lease(plain) as fourth:
        pass
    assert not fourth.is_alive()


async def test_a_pool_idle_too_long_is_closed_and_a_lease_restarts_its_clock() -> None:
    browsers = KeptBrowsers(keep=1, idle_seconds=0.6)
    plain = settings(axe=True)
    try:
        async with browsers.lease(plain) as first:
            pass
        await asyncio.sleep(0.4)
        async with browsers.lease(plain) as again:
            assert again is first
        await asyncio.sleep(0.4)  # 0.8 s since the first return, 0.4 s since the last
        async with browsers.lease(plain) as again:
            assert again is first, "the first return's clock must have been stopped"
        await asyncio.sleep(1.0)
        async with browsers.lease(plain) as fresh:
            assert fresh is not first
        assert browsers.launched == 2
    finally:
        await browsers.close()
    assert not first.is_alive() and not fresh.is_alive()


def test_the_pool_key_names_every_setting_the_pool_reads() -> None:
    """A setting the pool reads but its key leaves out would let a scan run on a browser set
    up for another scan's options."""
    source = Path(BrowserPool.__module__.replace(".", "/") + ".py")
    text = (Path(__file__).resolve().parents[2] / "src" / source).read_text("utf-8")
    body = text[text.index("class BrowserPool"):]
    read = set(re.findall(r"settings\.([A-Z][A-Z_]+)", body))
    assert read and read <= set(BrowserPool.SETTINGS), read - set(BrowserPool.SETTINGS)
