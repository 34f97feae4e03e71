"""`BrowserDriver`: the narrow interface a site scan needs from a browser — capture a page in
a viewport, run the site probes (elder mode, voice, language versions), sign in, close — and
`ChromiumDriver`, which does it with Playwright and a `BrowserPool`.

The crawl, the judge and scoring only ever talk to a driver, so a driver that replays recorded
captures (the tests' recorded fake) runs a whole scan without Chromium.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from elderscan.capture import (
    Capture,
    ElderProbe,
    GuardLog,
    Mode,
    PageFailure,
    Viewport,
    VoiceProbe,
)
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.elder import probe_elder
from elderscan.scanner.navigation import HostSlot
from elderscan.scanner.page import capture_page
from elderscan.scanner.page_context import OnDom
from elderscan.scanner.versions import CrawlAccess, VersionsFound, probe_site_versions
from elderscan.scanner.voice import probe_voice
from elderscan.settings import ScanSettings

ElderFound = tuple[ElderProbe, list[Capture | PageFailure]]
"""The elder-mode probe's verdict and the elder-mode pages it captured."""


@dataclass(frozen=True)
class BrowserUse:
    """How often the browser was launched and crashed: for one site, or counted so far."""

    launches: int
    crashes: int


class BrowserDriver(Protocol):
    """What a site scan needs from a browser. Every capture method raises `BrowserCrashed` only
    when the browser itself died (the crawl retries); anything else about a page is a
    `PageFailure` or the probe's own verdict."""

    @property
    def version(self) -> str:
        """the browser's version, for the result's `engine`"""

    @property
    def browser(self) -> str:
        """the binary's name (`chromium-headless-shell`, `chromium`)"""

    async def start(self) -> None: ...

    async def expected_version(self) -> str:
        """The browser's version, or the one it will have once started: the requests a
        crawl makes while the browser starts carry it in their User-Agent."""

    async def close(self) -> None: ...

    def begin_site(self) -> BrowserUse:
        """A crawl starts: what was used before it, so the site's result counts only its own."""

    def used(self) -> BrowserUse: ...

    def sign_in(self, url: str) -> None:
        """Send the `COOKIES` setting to `url`'s host from now on."""

    def guard_log(self) -> GuardLog | None:
        """The address guard's refusals since the last call; None with the guard off."""

    async def capture(self, url: str, viewport: Viewport, settings: ScanSettings, *,
                      mode: Mode = "standard", screenshot_dir: Path | None = None,
                      host_slot: HostSlot | None = None, tab_key: str | None = None,
                      on_dom: OnDom | None = None) -> Capture | PageFailure:
        """`on_dom`, when given, may be told the page as its DOM pass saw it (a driver that
        has no such moment, like a replay, need not call it)."""

    async def forget(self, tab_key: str) -> None:
        """The crawl that used `tab_key` is over: its tabs go."""

    async def probe_elder(self, home: Capture, settings: ScanSettings,
                          screenshot_dir: Path | None) -> ElderFound: ...

    async def probe_voice(self, home: Capture, settings: ScanSettings) -> VoiceProbe: ...

    async def probe_versions(self, pages: list[Capture | PageFailure], access: CrawlAccess,
                             screenshot_dir: Path | None, static_html: str) -> VersionsFound: ...


class ChromiumDriver:
    """The real browser: a started `BrowserPool` (the caller's, or one of its own)."""

    def __init__(self, pool: BrowserPool) -> None:
        self.pool = pool

    @property
    def version(self) -> str:
        return self.pool.version

    @property
    def browser(self) -> str:
        return self.pool.browser

    async def start(self) -> None:
        await self.pool.start()

    async def expected_version(self) -> str:
        return self.pool.version or await self.pool.binary_version()

    async def close(self) -> None:
        await self.pool.close()

    def begin_site(self) -> BrowserUse:
        launches, crashes = self.pool.begin_site()
        return BrowserUse(launches, crashes)

    def used(self) -> BrowserUse:
        return BrowserUse(self.pool.launches, self.pool.crashes)

    def sign_in(self, url: str) -> None:
        self.pool.sign_in(url)

    def guard_log(self) -> GuardLog | None:
        return self.pool.proxy.take_log() if self.pool.proxy is not None else None

    async def capture(self, url: str, viewport: Viewport, settings: ScanSettings, *,
                      mode: Mode = "standard", screenshot_dir: Path | None = None,
                      host_slot: HostSlot | None = None, tab_key: str | None = None,
                      on_dom: OnDom | None = None) -> Capture | PageFailure:
        return await capture_page(self.pool, url, viewport, settings, mode=mode,
                                  screenshot_dir=screenshot_dir, host_slot=host_slot,
                                  tab_key=tab_key, on_dom=on_dom)

    async def forget(self, tab_key: str) -> None:
        await self.pool.forget(tab_key)

    async def probe_elder(self, home: Capture, settings: ScanSettings,
                          screenshot_dir: Path | None) -> ElderFound:
        return await probe_elder(self.pool, home, settings, screenshot_dir)

    async def probe_voice(self, home: Capture, settings: ScanSettings) -> VoiceProbe:
        return await probe_voice(self.pool, home, settings)

    async def probe_versions(self, pages: list[Capture | PageFailure], access: CrawlAccess,
                             screenshot_dir: Path | None, static_html: str) -> VersionsFound:
        return await probe_site_versions(self.pool, pages, access, screenshot_dir, static_html)
