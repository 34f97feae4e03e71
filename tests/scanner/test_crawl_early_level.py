"""Level 1 starts from the home page's DOM pass, not from the end of its capture: the links are
known there, and waiting for the rest of the capture (axe-core, screenshot, page probes) kept a
core idle at the start of every site. Run on a recording, with a driver that tells the DOM pass
as a live capture does and holds the home page until the crawl has moved on. And a home page
that fails after its DOM pass: its probes are stopped, and a cancel meanwhile ends the scan."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import settings
from elderscan.capture import Capture, Mode, PageFailure, Viewport
from elderscan.devserver import SiteServer
from elderscan.runner.scan import scan_site
from elderscan.scanner.navigation import HostSlot
from elderscan.scanner.page_context import OnDom
from elderscan.settings import ScanSettings
from recorded import RecordedDriver, recorded_scan, site_folder

SITE = "bank-popup"
HELD = 5.0
"""how long the home page's capture waits, after its DOM pass, for another page to start"""


class _HomeDriver(RecordedDriver):
    """The recording, its home page (the capture the crawl asks to tell of its DOM pass)
    handed to `home`, every other page to `other`."""

    async def capture(self, url: str, viewport: Viewport, settings: ScanSettings, *,
                      mode: Mode = "standard", screenshot_dir: Path | None = None,
                      host_slot: HostSlot | None = None, tab_key: str | None = None,
                      on_dom: OnDom | None = None) -> Capture | PageFailure:
        page = await super().capture(url, viewport, settings, mode=mode,
                                     screenshot_dir=screenshot_dir)
        if on_dom is None:
            return await self.other(page)
        return await self.home(page, on_dom)

    async def other(self, page: Capture | PageFailure) -> Capture | PageFailure:
        return page

    async def home(self, page: Capture | PageFailure, on_dom: OnDom) -> Capture | PageFailure:
        raise NotImplementedError


class _DomFirst(_HomeDriver):
    """The home page told as its DOM pass saw it (the mobile one 0.3 s after the desktop
    one), then kept until another page's capture starts or `HELD` s have passed."""

    def __init__(self, site: str, base_url: str) -> None:
        super().__init__(site, base_url)
        self.events: list[str] = []
        self.inner = asyncio.Event()

    async def other(self, page: Capture | PageFailure) -> Capture | PageFailure:
        self.events.append(f"inner {page.viewport}")
        self.inner.set()
        return page

    async def home(self, page: Capture | PageFailure, on_dom: OnDom) -> Capture | PageFailure:
        assert isinstance(page, Capture)
        viewport = page.viewport
        if viewport == "mobile":
            await asyncio.sleep(0.3)
        self.events.append(f"dom {viewport}")
        on_dom(page)
        try:
            await asyncio.wait_for(self.inner.wait(), HELD)
        except TimeoutError:
            self.events.append(f"home held {viewport}")
        return page


async def test_level_one_starts_once_the_home_pages_links_are_known_in_every_viewport(
        tmp_path: Path) -> None:
    scan = settings(axe=True, viewport="both", probes=True, max_pages=5, screenshots_dir=tmp_path)
    with SiteServer(site_folder(SITE)) as server:
        driver = _DomFirst(SITE, server.url)
        report = await scan_site(server.url, scan, driver=driver)
    events = driver.events
    first_inner = next(i for i, e in enumerate(events) if e.startswith("inner"))
    assert {"dom desktop", "dom mobile"} <= set(events[:first_inner]), events
    assert not [e for e in events if e.startswith("home held")], events
    # The same scan as a replay that tells no DOM pass (every page in when level 1 starts).
    plain = await recorded_scan(SITE, scan)
    assert [(urlsplit(p.url).path, p.viewport, p.mode) for p in report.pages] == [
        (urlsplit(p.url).path, p.viewport, p.mode) for p in plain.pages]
    assert [sorted((f.rule, f.outcome, f.selector or "") for f in p.findings)
            for p in report.pages] == [
        sorted((f.rule, f.outcome, f.selector or "") for f in p.findings) for p in plain.pages]
    assert report.score == plain.score


class _FailsAfterDom(_HomeDriver):
    """The home page told as its DOM pass saw it, then failed; the site probes slow to stop
    (a second to wind down once cancelled)."""

    async def home(self, page: Capture | PageFailure, on_dom: OnDom) -> Capture | PageFailure:
        if not isinstance(page, Capture):
            return page
        on_dom(page)
        await asyncio.sleep(0.3)
        return PageFailure(url=page.url, final_url=None, http_status=None, mode=page.mode,
                           viewport=page.viewport, reason="timeout",
                           message="after its DOM pass")

    async def _slow_to_stop(self) -> Any:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            await asyncio.sleep(1.0)
            raise

    async def probe_elder(self, home: Capture, settings: ScanSettings,
                          screenshot_dir: Path | None) -> Any:
        return await self._slow_to_stop()

    async def probe_voice(self, home: Capture, settings: ScanSettings) -> Any:
        return await self._slow_to_stop()


async def test_a_scan_cancelled_while_it_stops_the_probes_of_a_failed_home_page_stops() -> None:
    """The home page fails after its DOM pass: the probes it started are stopped, and a cancel
    that arrives meanwhile ends the scan (it was swallowed, and the crawl went on)."""
    with SiteServer(site_folder(SITE)) as server:
        scan = asyncio.create_task(scan_site(server.url, settings(axe=True, max_pages=3),
                                             driver=_FailsAfterDom(SITE, server.url)))
        await asyncio.sleep(0.6)  # the home page has failed; its probes are winding down
        scan.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(scan, 10)
