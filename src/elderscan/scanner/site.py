"""Scan one site: preflight each candidate page over HTTP, then capture it in the browser.

The HTTP preflight is cheap and keeps hostile or useless responses (downloads, binaries,
compression bombs, redirect loops, off-site redirects) away from the browser, and its static
HTML gives the links that scripts hide from the rendered page.

It is longer than 400 lines because `SiteCrawl`'s methods share one walk's state (levels,
admitted pages, limits, the site probes in flight) and read best in the order they run.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
import weakref
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import httpx

from elderscan.capture import Capture, Frame, PageFailure, SiteCapture, Viewport, VoiceProbe
from elderscan.errors import TargetError, UsageError
from elderscan.netguard import AddressGuard, AddressRefused
from elderscan.scanner.axe import AXE_VERSION
from elderscan.scanner.browser import BrowserPool, user_agent
from elderscan.scanner.crawl import Frontier, HostLimiter, load_robots, sitemap_urls
from elderscan.scanner.driver import BrowserDriver, ChromiumDriver, ElderFound
from elderscan.scanner.failures import BrowserCrashed
from elderscan.scanner.fetch import (
    FetchResult,
    decode_html,
    extract_links,
    fetch,
    make_client,
    sign_in,
)
from elderscan.scanner.shell import (
    elder_placed,
    elder_rank,
    framed_pages,
    voice_placed,
    voice_rank,
)
from elderscan.scanner.versions import CrawlAccess, VersionsFound
from elderscan.settings import ScanSettings
from elderscan.terminal_lang import say
from elderscan.urls import normalize_url, same_site, template_key

Progress = Callable[[str, dict[str, object]], None]
"""Called with ("page", {"url", "viewport", "ok", "done", "total"}) after each capture,
("probe", {"probe": "elder" | "voice"}) as a site probe starts, ("phase", {"phase": "probes"})
when every page is captured, and ("phase", {"phase": "scoring"}) before the report is built,
so a progress display keeps moving after the last page. Listeners ignore kinds they do not
know."""
OnPage = Callable[[Capture | PageFailure], None]
"""Given each crawled page as it is captured, its links already taken: with one, the site
capture keeps only a slim copy of every page but the home page (see `Capture.slimmed`)."""

# Preflight outcomes that mean "this link is not a page", not "this page is broken".
NOT_A_PAGE = {"not-html"}
BROWSER_RETRIES = 2

_TARGET_MESSAGES = {
    "dns": "the host name does not resolve",
    "connect": "the server refused or did not answer the connection",
    "tls": "the TLS handshake or certificate failed",
    "timeout": "the server did not answer in time",
    "too-many-redirects": "the start page redirects in a loop",
    "not-html": "the start page is not an HTML page",
    "download": "the start page is a file download",
    "too-large": "the start page is larger than the HTML size limit",
    "http": "the start page answered with an HTTP error",
    "protocol": "the server's answer was not valid HTTP",
    "robots": "robots.txt forbids the start page (use --ignore-robots for your own site)",
    "blocked": "the address guard refused it",
}


def utc_now() -> str:
    """A result timestamp: UTC, whole seconds, as the contract's `started_at` shows."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def target_error(code: str, url: str, detail: str | None) -> TargetError:
    base = _TARGET_MESSAGES.get(code, "the start page could not be fetched")
    return TargetError(code, f"{url}: {base}" + (f" ({detail})" if detail else ""))


@dataclass
class _Admitted:
    url: str
    preflight: FetchResult
    rendered: dict[str, list[str]] = field(default_factory=dict)
    """links of its capture in each viewport, taken as it arrives (the capture itself may not
    be kept)"""
    expand: bool = True
    """whether a next level is built from its links (rendered, and the preflight's HTML for
    those only the static page has). On the last level neither is kept: admission runs ahead
    of the captures, so a 240-page level held every page's HTML (9.2 MB) from its first pages
    to its end, and each captured page its ~150 links (~12 KB)."""


async def capture_site(
    target: str,
    settings: ScanSettings,
    *,
    screenshot_dir: Path | None = None,
    progress: Progress | None = None,
    pool: BrowserPool | None = None,
    on_page: OnPage | None = None,
    driver: BrowserDriver | None = None,
    ready: Awaitable[object] | None = None,
) -> SiteCapture:
    """Crawl and capture `target`; raises TargetError when the start page itself is unusable.

    `on_page` judges pages as they arrive, so a long crawl holds each page's result and not
    its whole capture (~2 MB of text runs, controls and anchors a page). The browser is
    `driver` (started, left open; or still starting, until `ready`, which the crawl awaits
    before its first page and meanwhile fetches the start page, robots.txt and the sitemap),
    else Chromium in `pool` (started, left open), else a pool of its own for this crawl."""
    start = normalize_url(target.strip())
    if start is None:
        raise UsageError(say("err.not_http", value=repr(target)))
    started_at = utc_now()
    own = driver is None and pool is None
    browser = driver or ChromiumDriver(pool or BrowserPool(settings))
    if own:
        await browser.start()
    try:
        crawl = SiteCrawl(target, start, settings, browser, screenshot_dir=screenshot_dir,
                          progress=progress, on_page=on_page, ready=ready)
        return await crawl.run(started_at)
    finally:
        if own:
            await browser.close()


_Probed = tuple[ElderFound | None, VoiceProbe | None]
_T = TypeVar("_T")


class SiteCrawl:
    """One crawl of one site, level by level (see docs/architecture.md): the start page's
    preflight, then each level's pages captured in every viewport, the next level's links
    preflighted and admitted in the order they appear, the site probes beside the crawl."""

    def __init__(self, target: str, start: str, settings: ScanSettings, driver: BrowserDriver,
                 *, screenshot_dir: Path | None = None, progress: Progress | None = None,
                 on_page: OnPage | None = None, ready: Awaitable[object] | None = None) -> None:
        self.target, self.start, self.settings, self.driver = target, start, settings, driver
        self.screenshot_dir, self.progress, self.on_page = screenshot_dir, progress, on_page
        self.ready = ready
        self.limiter = HostLimiter(settings.HOST_CONCURRENCY, settings.HOST_DELAY)
        self.site_start = start
        self.pages: list[Capture | PageFailure] = []
        self.done = 0
        self.total = settings.MAX_PAGES * len(settings.viewports)
        self.admitted = 0
        self.tab_key = ""
        self.capture_failed = False
        """a capture raised (the browser could not start): the crawl admits no more pages"""
        self.probes: asyncio.Task[_Probed] | None = None
        self.home: _Admitted | None = None
        self.home_dom: dict[str, asyncio.Future[None]] = {}
        """set as the home page's DOM pass is done in each viewport"""
        self.home_shown: set[str] = set()
        """where the home page's document is (a splash's page, `splash`): not level 1 again"""
        self.framed: set[tuple[str, Viewport]] = set()
        self.shared: dict[tuple[str, Viewport], asyncio.Task[Capture | PageFailure]] = {}
        """the pages a shell home page frames (`shell`), by address and viewport: the crawl
        and the site probes both want them, and each is captured once for the two (held here
        from the first one's asking to the second's, then by the two alone)"""
        self.sharing: weakref.WeakSet[asyncio.Task[Capture | PageFailure]] = weakref.WeakSet()
        """every such capture still held by someone: stopped with the crawl"""
        self.versions: asyncio.Task[VersionsFound] | None = None
        self.probing: tuple[CrawlAccess, str]
        """what the version probe borrows: the crawl's way out and the served home page"""

    def _say(self, kind: str, data: dict[str, object]) -> None:
        if self.progress is not None:
            self.progress(kind, data)

    async def run(self, started_at: str) -> SiteCapture:
        settings, driver = self.settings, self.driver
        before = driver.begin_site()
        ua = user_agent("desktop", await driver.expected_version(), settings.USER_AGENT_SUFFIX)
        guard = await self._guard()
        driver.sign_in(self.start)
        async with make_client(ua, guard=guard, cookies=settings.COOKIES,
                               cookie_url=self.start) as client:
            first = await self._open(client)
            frontier, sitemap, access = await self._site_rules(client)
            if self.ready is not None:
                await self.ready
            self.tab_key = f"{self.site_start} {uuid.uuid4().hex}"  # its own tabs, even in a batch
            try:
                await self._levels(_Admitted(self.site_start, first), frontier, sitemap, access,
                                   client)
                self._say("phase", {"phase": "probes"})  # pages done; what is left is probes
                elder, voice = await self.probes if self.probes is not None else (None, None)
                version_probe, version_pages = (await self.versions
                                                if self.versions is not None else (None, []))
            finally:
                await self._stop_probes()
                await _cancelled([task for task in self.sharing if not task.done()])
                await driver.forget(self.tab_key)
            if elder is not None:
                self.pages.extend(elder[1])
            crawled = {(p.final_url or p.url) for p in self.pages if p.mode == "standard"}
            self.pages.extend(p for p in version_pages if (p.final_url or p.url) not in crawled)
        used = driver.used()
        return SiteCapture(
            target=self.target,
            start_url=self.site_start,
            started_at=started_at,
            finished_at=utc_now(),
            pages=self.pages,
            skipped=frontier.skipped,
            chromium=driver.version,
            browser=driver.browser,
            axe_core=AXE_VERSION,
            browser_launches=used.launches - before.launches,
            browser_crashes=used.crashes - before.crashes,
            elder=elder[0] if elder else None,
            voice=voice,
            guard=driver.guard_log(),
            versions=version_probe,
        )

    async def _guard(self) -> AddressGuard | None:
        """With the address guard on, the guard — having let the start address through."""
        settings = self.settings
        if not settings.GUARD_ADDRESSES:
            return None
        guard = AddressGuard.from_allow(settings.ALLOW_HOSTS)
        try:
            await guard.check_url_async(self.start)
        except AddressRefused as exc:
            raise target_error("blocked", self.start, exc.reason) from exc
        return guard

    async def _site_rules(self, client: httpx.AsyncClient
                          ) -> tuple[Frontier, list[str], CrawlAccess]:
        """robots.txt and the sitemap: the frontier the crawl admits links through, the
        sitemap's URLs, and the way out lent to the version probe."""
        settings = self.settings
        robots, robots_text = (None, "")
        if settings.OBEY_ROBOTS or settings.SITEMAP:
            robots, robots_text = await load_robots(client, self.site_start)
        frontier = Frontier(start=self.site_start, settings=settings, robots=robots)
        frontier.seen.update({self.start, self.site_start})
        if settings.OBEY_ROBOTS and robots is not None and not robots.can_fetch(
                self.site_start, "elderscan"):
            raise target_error("robots", self.site_start, None)
        frontier.templates[template_key(self.site_start)] += 1
        sitemap = (await sitemap_urls(client, self.site_start, robots_text)
                   if settings.SITEMAP else [])
        return frontier, sitemap, CrawlAccess(client, self.limiter, settings, self.site_start,
                                              robots)

    async def _open(self, client: httpx.AsyncClient) -> FetchResult:
        """The start page's preflight: where the site really starts (signed in there too)."""
        settings = self.settings
        first = await fetch(client, self.start, max_bytes=settings.MAX_HTML_BYTES,
                            timeout=settings.LOAD_TIMEOUT)
        if first.error and not first.bot_check:  # a bot check is the browser's to pass
            raise target_error(first.error, self.start, first.detail)
        self.site_start = normalize_url(first.final_url or self.start) or self.start
        if settings.COOKIES and self.site_start != self.start:  # the site's own host
            self.driver.sign_in(self.site_start)
            sign_in(client, settings.COOKIES, self.site_start)
        return first

    async def _levels(self, home: _Admitted, frontier: Frontier, sitemap: list[str],
                      access: CrawlAccess, client: httpx.AsyncClient) -> None:
        """Capture level after level until the depth or the page budget is reached.

        Level 1 is admitted as soon as the home page's DOM pass has seen its links in every
        viewport, while the rest of its capture (axe-core, screenshot, page probes) goes on:
        waiting for the whole capture kept one core idle for ~0.6 s at the start of every
        site. A page of the next level is captured as soon as its preflight admits it, while
        the rest are still being fetched: waiting for the whole level's preflights left both
        cores idle for about a second a level (49 links on the benchmark's portal)."""
        level = [home]
        self.admitted = 1
        self.probing = (access, _static_html(home.preflight))
        self.home = home
        self.home_dom = {v: asyncio.get_running_loop().create_future()
                         for v in self.settings.viewports}
        home_tasks = self._captures(home)
        home_done = asyncio.create_task(self._home_captured(home_tasks))
        running: list[asyncio.Task[Capture | PageFailure]] = []
        depth = 0
        try:
            await self._links_known(home_tasks)
            if self.capture_failed:
                await home_done  # raises what the capture raised
            frontier.seen.update(self.home_shown)
            while depth < self.settings.MAX_DEPTH and self.admitted < self.settings.MAX_PAGES:
                candidates = self._candidates(level, frontier, sitemap if depth == 0 else [])
                level, running = [], []
                async with contextlib.aclosing(self._admit(candidates, frontier,
                                                           client)) as admitted:
                    async for item in admitted:
                        item.expand = depth + 1 < self.settings.MAX_DEPTH
                        if not item.expand:
                            item.preflight = replace(item.preflight, body=b"")
                        level.append(item)
                        running += self._captures(item)
                        if self.capture_failed:
                            break  # (the browser cannot start): no more pages this level
                await home_done  # the home page comes first in `pages`
                self.pages.extend(await asyncio.gather(*running))
                if not level:
                    break
                depth += 1
            await home_done
        except BaseException:
            await _cancelled([*home_tasks, home_done, *running])
            raise

    async def _home_captured(self, tasks: list[asyncio.Task[Capture | PageFailure]]) -> None:
        captured = await asyncio.gather(*tasks)
        self.pages.extend(captured)
        await self._start_probes(captured)

    async def _links_known(self, tasks: list[asyncio.Task[Capture | PageFailure]]) -> None:
        """Until the home page's links are known in every viewport: its DOM pass saw them, or
        its capture there ended (a driver that tells no DOM pass, a page that failed)."""
        for viewport, task in zip(self.settings.viewports, tasks, strict=True):
            either: list[asyncio.Future[Any]] = [task, self.home_dom[viewport]]
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)

    def _captures(self, item: _Admitted) -> list[asyncio.Task[Capture | PageFailure]]:
        """The page's capture in every viewport, started now."""
        tasks = [asyncio.create_task(self._capture_or_fail(item, viewport))
                 for viewport in self.settings.viewports]
        for task in tasks:
            task.add_done_callback(self._capture_ended)
        return tasks

    def _capture_ended(self, task: asyncio.Task[Capture | PageFailure]) -> None:
        """A capture that raised (a page that failed is a `PageFailure`, not an exception)."""
        if not task.cancelled() and task.exception() is not None:
            self.capture_failed = True

    def _home_seen(self, preview: Capture) -> None:
        """The home page's DOM pass is done in one viewport: its links are known (level 1 is
        admitted once they are in every viewport), and the site probes, which need no more
        of it than the first viewport's, start now, beside the rest of its capture (axe-core,
        screenshot, page probes)."""
        viewport = preview.viewport
        if (shown := normalize_url(preview.final_url or preview.url)) is not None:
            self.home_shown.add(shown)
        if self.home is not None:
            self.home.rendered[viewport] = preview.links
        seen = self.home_dom.get(viewport)
        if seen is not None and not seen.done():
            seen.set_result(None)
        if self.probes is None and viewport == self.settings.viewports[0]:
            self._probe([preview])

    def _probe(self, pages: list[Capture | PageFailure]) -> None:
        access, static_html = self.probing
        home = next((p for p in pages if isinstance(p, Capture) and p.url == self.site_start),
                    None)
        frames = framed_pages(home) if home is not None else []
        if home is not None:  # before level 1 is admitted: the crawl shares these captures
            # (only a frame shown at the address the crawl writes: the probes load the one shown)
            self.framed |= {(f.url, home.viewport) for f in frames if normalize_url(f.url) == f.url}
        self.probes = asyncio.create_task(self._probe_site(home, frames))
        self.versions = asyncio.create_task(self.driver.probe_versions(
            pages, access, self.screenshot_dir, static_html))

    async def _start_probes(self, captured: list[Capture | PageFailure]) -> None:
        """Elder mode, voice and the language versions need only the home page (and what it
        frames, `_probe_site`): probed while the crawl goes on, so the two cores are not idle
        at the end of every site (started as soon as its DOM pass was done, unless the home
        page then failed)."""
        first = self.settings.viewports[0]  # the viewport the early probes started from
        home_ok = any(isinstance(p, Capture) and p.url == self.site_start
                      and p.viewport == first for p in captured)
        if self.probes is not None and not home_ok:  # started early on a page that then failed
            await self._stop_probes()
            self.probes = self.versions = None
        if self.probes is None:
            self._probe(captured)

    async def _stop_probes(self) -> None:
        """Stop the site probes still running. What they raise is theirs to drop; a cancel of
        the crawl itself while it waits for them goes on (awaiting them under a blanket
        `suppress` swallowed it)."""
        await _cancelled([task for task in (self.probes, self.versions)
                          if task is not None and not task.done()])

    def _candidates(self, level: list[_Admitted], frontier: Frontier,
                    sitemap: list[str]) -> list[tuple[str, str]]:
        """The next level's URLs, each with the page it was found on, in link order."""
        candidates: list[tuple[str, str]] = []
        for item in level:
            for raw in _links_of(item, self.settings.viewports):
                url = frontier.consider(raw, item.url)
                if url is not None:
                    candidates.append((url, item.url))
        for raw in sitemap:
            url = frontier.consider(raw, "sitemap")
            if url is not None:
                candidates.append((url, "sitemap"))
        return candidates

    async def _admit(self, candidates: list[tuple[str, str]], frontier: Frontier,
                     client: httpx.AsyncClient) -> AsyncGenerator[_Admitted, None]:
        """Preflight candidates in link order, a few ahead, and admit pages up to the budget,
        each as soon as its own preflight is back. Only `HOST_CONCURRENCY` preflights are in
        flight, and a page load takes the host's next slot before them (`slot(first=True)`):
        its time limit runs while it waits, a preflight's does not."""
        settings = self.settings
        todo = iter(candidates)
        ahead: deque[tuple[str, str, asyncio.Task[FetchResult]]] = deque()
        try:
            while self.admitted < settings.MAX_PAGES:
                room = min(settings.HOST_CONCURRENCY, settings.MAX_PAGES - self.admitted + 2)
                while len(ahead) < room and (candidate := next(todo, None)) is not None:
                    url, found_on = candidate
                    ahead.append((url, found_on,
                                  asyncio.create_task(self._preflight(client, url))))
                if not ahead:
                    return
                url, found_on, fetching = ahead.popleft()
                result = await fetching
                final = normalize_url(result.final_url or url) or url
                if result.error in NOT_A_PAGE:
                    frontier.skip(url, result.error or "", found_on)
                    continue
                if not same_site(final, self.site_start):
                    frontier.skip(url, "off-site", found_on)
                    continue
                if final != url and not frontier.mark_seen(final):
                    frontier.skip(url, "duplicate", found_on)
                    continue
                self.admitted += 1
                yield _Admitted(url, result)
        finally:
            await _cancelled([fetching for *_, fetching in ahead])  # past the budget

    async def _preflight(self, client: httpx.AsyncClient, url: str) -> FetchResult:
        async with self.limiter.slot(url):
            return await fetch(client, url, max_bytes=self.settings.MAX_HTML_BYTES,
                               timeout=self.settings.LOAD_TIMEOUT)

    async def _capture_or_fail(self, item: _Admitted,
                               viewport: Viewport) -> Capture | PageFailure:
        """Pages whose preflight already failed become failures without a browser, but for a
        bot check's answer (`botcheck`), which a browser may pass."""
        pre = item.preflight
        if pre.error and not pre.bot_check:
            return PageFailure(url=item.url, final_url=pre.final_url, http_status=pre.status,
                               mode="standard", viewport=viewport, reason=pre.error,
                               message=pre.detail or pre.error)
        return await self._capture_one(item, viewport)

    async def _capture_one(self, item: _Admitted, viewport: Viewport) -> Capture | PageFailure:
        url = item.url
        result = await self._capture_once(url, viewport)
        self.done += 1
        self._say("page", {"url": url, "viewport": viewport, "done": self.done,
                           "total": self.total, "ok": isinstance(result, Capture)})
        if isinstance(result, Capture) and item.expand:
            item.rendered[viewport] = result.links
        if self.on_page is not None:
            self.on_page(result)
            if isinstance(result, Capture) and url != self.site_start:
                # The home page stays whole: the site probes and rules read it.
                result = result.slimmed()
        return result

    def _capture_once(self, url: str, viewport: Viewport) -> Awaitable[Capture | PageFailure]:
        """The page's capture; a page a shell home page frames is captured once for both the
        crawl and the site probes, started by whichever asks first (each frame was captured
        twice). A frame shown at an address the crawl would write otherwise (a fragment, a
        query in another order) is not shared: the probes look at the address it shows."""
        key = (url, viewport)
        if key not in self.framed:
            return self._capture_retried(url, viewport)
        task = self.shared.pop(key, None)  # the second to ask takes it away
        if task is None:
            task = self.shared[key] = asyncio.create_task(self._capture_retried(url, viewport))
            self.sharing.add(task)
        return asyncio.shield(task)  # one that stops waiting leaves it to the other

    async def _capture_retried(self, url: str, viewport: Viewport) -> Capture | PageFailure:
        """The page, tried again on a fresh browser when Chromium died under it."""
        crashed = ""
        home = url == self.site_start
        for _attempt in range(BROWSER_RETRIES + 1):
            try:
                return await self.driver.capture(url, viewport, self.settings,
                                                 screenshot_dir=self.screenshot_dir,
                                                 host_slot=lambda: self.limiter.slot(
                                                     url, first=True),
                                                 tab_key=self.tab_key,
                                                 on_dom=self._home_seen if home else None)
            except BrowserCrashed as exc:
                crashed = str(exc)
        return PageFailure(url=url, final_url=None, http_status=None, mode="standard",
                           viewport=viewport, reason="browser-crash", message=crashed)

    async def _probe_site(self, home: Capture | None, frames: list[Frame]) -> _Probed:
        """Elder mode and voice are probed from the home page, at the same time (each in a
        context of its own, and most of either is waiting on the page), each retried if
        Chromium dies under it. A home page made of frames (`shell`) that did not show a
        working entry has the pages it frames probed too, each probe until one works, and the
        best result is kept (working, then broken, then none; the home page's on a tie), placed
        where it shows on the home page. `progress` hears `("probe", {"probe": "elder" |
        "voice"})` as each starts."""
        settings = self.settings
        if home is None:
            return None, None
        elder, voice = await self._probe_page(home, True, True)
        if not frames or ((elder_rank(elder) == 0 or not settings.PROBE_ELDER) and (
                voice_rank(voice) == 0 or not settings.PROBE_VOICE)):
            for frame in frames:  # not wanted after all: the crawl's alone
                self.framed.discard((frame.url, home.viewport))
                self.shared.pop((frame.url, home.viewport), None)
            return elder, voice
        captured = await asyncio.gather(*(self._capture_once(f.url, home.viewport)
                                          for f in frames))
        shell = {normalize_url(home.url), normalize_url(home.final_url or home.url)}
        for frame, page in zip(frames, captured, strict=True):
            if elder_rank(elder) == 0 and voice_rank(voice) == 0:
                break
            if not isinstance(page, Capture):
                continue  # the crawl's own capture of it records why
            shown = page.final_url or page.url
            if not same_site(shown, self.site_start) or normalize_url(shown) in shell:
                continue  # it went elsewhere, or back to the shell (a frame-buster)
            more_elder, more_voice = await self._probe_page(
                page, elder_rank(elder) > 0, voice_rank(voice) > 0)
            if elder_rank(more_elder) < elder_rank(elder) and more_elder is not None:
                probe, elder_pages = more_elder
                elder = (elder_placed(probe, frame, home.viewport_size), elder_pages)
            if voice_rank(more_voice) < voice_rank(voice) and more_voice is not None:
                voice = voice_placed(more_voice, frame, home.viewport_size)
        return elder, voice

    async def _probe_page(self, page: Capture, elder: bool, voice: bool) -> _Probed:
        settings = self.settings
        elder_probe = (self._retried("elder", partial(
            self.driver.probe_elder, page, settings, self.screenshot_dir))
            if elder and settings.PROBE_ELDER else _nothing())
        voice_probe = (self._retried("voice", partial(self.driver.probe_voice, page, settings))
                       if voice and settings.PROBE_VOICE else _nothing())
        found_elder, found_voice = await asyncio.gather(elder_probe, voice_probe)
        return found_elder, found_voice

    async def _retried(self, name: str, probe: Callable[[], Awaitable[_T]]) -> _T | None:
        """One site probe, tried again on a fresh browser when Chromium died under it."""
        for _attempt in range(BROWSER_RETRIES):
            self._say("probe", {"probe": name})
            try:
                return await probe()
            except BrowserCrashed:
                continue
        return None


async def _nothing() -> None:
    return None


async def _cancelled(tasks: Sequence[asyncio.Task[Any]]) -> None:
    """Cancel `tasks` and wait until they have stopped, so none runs on after the crawl."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _static_html(result: FetchResult) -> str:
    """The page as served (what scripts may hide from the rendered page), or '' if unreadable."""
    if not result.body or result.error:
        return ""
    try:
        return decode_html(result.body, result.content_type_header)
    except Exception:  # an undecodable body only costs the version probe its hints
        return ""


def _links_of(item: _Admitted, viewports: Sequence[Viewport]) -> Sequence[str]:
    """Rendered links first (what people can click), viewport by viewport in a fixed order
    whichever capture came first, then links only the static HTML has."""
    links: dict[str, None] = {}
    for viewport in viewports:
        links.update(dict.fromkeys(item.rendered.get(viewport, [])))
    pre = item.preflight
    html = _static_html(pre)
    if html:
        with contextlib.suppress(Exception):
            links.update(dict.fromkeys(extract_links(html, pre.final_url or item.url)))
    return list(links)
