"""Scan one site: preflight each candidate page over HTTP, then capture it in the browser.

The HTTP preflight is cheap and keeps hostile or useless responses (downloads, binaries,
compression bombs, redirect loops, off-site redirects) away from the browser, and its static
HTML gives the links that scripts hide from the rendered page.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from elderscan.capture import Capture, ElderProbe, PageFailure, SiteCapture, Viewport, VoiceProbe
from elderscan.errors import TargetError, UsageError
from elderscan.netguard import AddressGuard, AddressRefused
from elderscan.scanner.axe import AXE_VERSION
from elderscan.scanner.browser import BrowserPool, user_agent
from elderscan.scanner.crawl import Frontier, HostLimiter, load_robots, sitemap_urls
from elderscan.scanner.elder import probe_elder
from elderscan.scanner.failures import BrowserCrashed
from elderscan.scanner.fetch import (
    FetchResult,
    decode_html,
    extract_links,
    fetch,
    make_client,
    sign_in,
)
from elderscan.scanner.page import capture_page
from elderscan.scanner.versions import CrawlAccess, VersionsFound, probe_site_versions
from elderscan.scanner.voice import probe_voice
from elderscan.settings import ScanSettings
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


async def capture_site(
    target: str,
    settings: ScanSettings,
    *,
    screenshot_dir: Path | None = None,
    progress: Progress | None = None,
    pool: BrowserPool | None = None,
    on_page: OnPage | None = None,
) -> SiteCapture:
    """Crawl and capture `target`; raises TargetError when the start page itself is unusable.

    `on_page` judges pages as they arrive, so a long crawl holds each page's result and not
    its whole capture (~2 MB of text runs, controls and anchors a page)."""
    start = normalize_url(target.strip())
    if start is None:
        raise UsageError(f"not an http(s) URL: {target!r}")
    started_at = utc_now()
    own_pool = pool is None
    browser = pool or BrowserPool(settings)
    if own_pool:
        await browser.start()
    try:
        return await _crawl(target, start, started_at, settings, browser, screenshot_dir, progress,
                            on_page)
    finally:
        if own_pool:
            await browser.close()


async def _crawl(
    target: str,
    start: str,
    started_at: str,
    settings: ScanSettings,
    pool: BrowserPool,
    screenshot_dir: Path | None,
    progress: Progress | None,
    on_page: OnPage | None = None,
) -> SiteCapture:
    # A pool kept from an earlier site counts only what it does for this one.
    launched, crashed = (pool.launches, pool.crashes) if pool.sites else (0, 0)
    pool.sites += 1
    if pool.proxy is not None:
        pool.proxy.take_log()  # late connections of the pool's last site are not this one's
    limiter = HostLimiter(settings.HOST_CONCURRENCY, settings.HOST_DELAY)
    ua = user_agent("desktop", pool.version, settings.USER_AGENT_SUFFIX)
    guard = AddressGuard.from_allow(settings.ALLOW_HOSTS) if settings.GUARD_ADDRESSES else None
    if guard is not None:
        try:
            await guard.check_url_async(start)
        except AddressRefused as exc:
            raise target_error("blocked", start, exc.reason) from exc
    pool.sign_in(start)
    async with make_client(ua, guard=guard, cookies=settings.COOKIES,
                           cookie_url=start) as client:
        first = await fetch(client, start, max_bytes=settings.MAX_HTML_BYTES,
                            timeout=settings.LOAD_TIMEOUT)
        if first.error:
            raise target_error(first.error, start, first.detail)
        site_start = normalize_url(first.final_url or start) or start
        if settings.COOKIES and site_start != start:  # the site's own host, where it went
            pool.sign_in(site_start)
            sign_in(client, settings.COOKIES, site_start)
        robots, robots_text = (None, "")
        if settings.OBEY_ROBOTS or settings.SITEMAP:
            robots, robots_text = await load_robots(client, site_start)
        frontier = Frontier(start=site_start, settings=settings, robots=robots)
        frontier.seen.update({start, site_start})
        if settings.OBEY_ROBOTS and robots is not None and not robots.can_fetch(site_start,
                                                                                  "elderscan"):
            raise target_error("robots", site_start, None)
        frontier.templates[template_key(site_start)] += 1
        sitemap = await sitemap_urls(client, site_start, robots_text) if settings.SITEMAP else []

        pages: list[Capture | PageFailure] = []
        tab_key = f"{site_start} {uuid.uuid4().hex}"  # this crawl's own tabs, even in a batch
        probes: asyncio.Task[_Probed] | None = None
        versions: asyncio.Task[VersionsFound] | None = None
        done = 0
        total = settings.MAX_PAGES * len(settings.viewports)

        async def capture_one(item: _Admitted, viewport: Viewport) -> Capture | PageFailure:
            nonlocal done
            url = item.url
            result: Capture | PageFailure | None = None
            for _attempt in range(BROWSER_RETRIES + 1):
                try:
                    result = await capture_page(pool, url, viewport, settings,
                                                screenshot_dir=screenshot_dir,
                                                host_slot=lambda: limiter.slot(url),
                                                tab_key=tab_key)
                    break
                except BrowserCrashed as exc:
                    result = PageFailure(url=url, final_url=None, http_status=None,
                                         mode="standard", viewport=viewport,
                                         reason="browser-crash", message=str(exc))
            assert result is not None
            done += 1
            if progress is not None:
                progress("page", {"url": url, "viewport": viewport, "done": done, "total": total,
                                  "ok": isinstance(result, Capture)})
            if isinstance(result, Capture):
                item.rendered[viewport] = result.links
            if on_page is not None:
                on_page(result)
                if isinstance(result, Capture) and url != site_start:
                    # The home page stays whole: the site probes and rules read it.
                    result = result.slimmed()
            return result

        async def preflight(url: str) -> FetchResult:
            async with limiter.slot(url):
                return await fetch(client, url, max_bytes=settings.MAX_HTML_BYTES,
                                   timeout=settings.LOAD_TIMEOUT)

        level: list[_Admitted] = [_Admitted(site_start, first)]
        depth = 0
        admitted = 1
        try:
            while level:
                captured = await asyncio.gather(*(
                    _capture_or_fail(item, viewport, capture_one)
                    for item in level for viewport in settings.viewports
                ))
                pages.extend(captured)
                if probes is None:
                    # Elder mode and voice need only the home page: probed while the crawl
                    # goes on, so the two cores are not idle at the end of every site.
                    probes = asyncio.create_task(
                        _probe_site(pool, captured, site_start, settings, screenshot_dir,
                                    progress))
                    access = CrawlAccess(client, limiter, settings, site_start, robots)
                    versions = asyncio.create_task(probe_site_versions(
                        pool, captured, access, screenshot_dir, _static_html(first)))
                if depth >= settings.MAX_DEPTH or admitted >= settings.MAX_PAGES:
                    break
                candidates: list[tuple[str, str | None]] = []
                for item in level:
                    for raw in _links_of(item, settings.viewports):
                        url = frontier.consider(raw, item.url)
                        if url is not None:
                            candidates.append((url, item.url))
                if depth == 0:
                    for raw in sitemap:
                        url = frontier.consider(raw, "sitemap")
                        if url is not None:
                            candidates.append((url, "sitemap"))
                level = []
                while candidates and admitted < settings.MAX_PAGES:
                    window = candidates[: settings.MAX_PAGES - admitted + 2]
                    candidates = candidates[len(window):]
                    results = await asyncio.gather(*(preflight(url) for url, _ in window))
                    for (url, found_on), result in zip(window, results, strict=True):
                        if admitted >= settings.MAX_PAGES:
                            break
                        final = normalize_url(result.final_url or url) or url
                        if result.error in NOT_A_PAGE:
                            frontier.skip(url, result.error or "", found_on)
                            continue
                        if not same_site(final, site_start):
                            frontier.skip(url, "off-site", found_on)
                            continue
                        if final != url and not frontier.mark_seen(final):
                            frontier.skip(url, "duplicate", found_on)
                            continue
                        level.append(_Admitted(url, result))
                        admitted += 1
                depth += 1
            if progress is not None:
                progress("phase", {"phase": "probes"})  # pages done; what is left is probes
            elder, voice = await probes if probes is not None else (None, None)
            version_probe, version_pages = (await versions if versions is not None
                                            else (None, []))
        finally:
            for task in (probes, versions):
                if task is not None and not task.done():
                    task.cancel()
                    with contextlib.suppress(BaseException):
                        await task
            await pool.forget(tab_key)
        if elder is not None:
            pages.extend(elder[1])
        crawled = {(p.final_url or p.url) for p in pages if p.mode == "standard"}
        pages.extend(p for p in version_pages if (p.final_url or p.url) not in crawled)
    return SiteCapture(
        target=target,
        start_url=site_start,
        started_at=started_at,
        finished_at=utc_now(),
        pages=pages,
        skipped=frontier.skipped,
        chromium=pool.version,
        browser=pool.browser,
        axe_core=AXE_VERSION,
        browser_launches=pool.launches - launched,
        browser_crashes=pool.crashes - crashed,
        elder=elder[0] if elder else None,
        voice=voice,
        guard=pool.proxy.take_log() if pool.proxy is not None else None,
        versions=version_probe,
    )


_Probed = tuple[tuple[ElderProbe, list[Capture | PageFailure]] | None, VoiceProbe | None]


async def _probe_site(
    pool: BrowserPool,
    pages: list[Capture | PageFailure],
    start: str,
    settings: ScanSettings,
    screenshot_dir: Path | None,
    progress: Progress | None = None,
) -> _Probed:
    """Elder mode and voice are probed from the home page, retried once if Chromium dies.
    `progress` hears `("probe", {"probe": "elder" | "voice"})` as each starts."""
    home = next((p for p in pages if isinstance(p, Capture) and p.url == start), None)
    if home is None:
        return None, None
    elder: tuple[ElderProbe, list[Capture | PageFailure]] | None = None
    voice: VoiceProbe | None = None
    for _attempt in range(BROWSER_RETRIES):
        try:
            if settings.PROBE_ELDER and elder is None:
                if progress is not None:
                    progress("probe", {"probe": "elder"})
                elder = await probe_elder(pool, home, settings, screenshot_dir)
            if settings.PROBE_VOICE and voice is None:
                if progress is not None:
                    progress("probe", {"probe": "voice"})
                voice = await probe_voice(pool, home, settings)
            break
        except BrowserCrashed:
            continue
    return elder, voice


async def _capture_or_fail(
    item: _Admitted,
    viewport: Viewport,
    capture_one: Callable[[_Admitted, Viewport], Awaitable[Capture | PageFailure]],
) -> Capture | PageFailure:
    """Pages whose preflight already failed become failures without a browser."""
    pre = item.preflight
    if pre.error:
        return PageFailure(url=item.url, final_url=pre.final_url, http_status=pre.status,
                           mode="standard", viewport=viewport, reason=pre.error,
                           message=pre.detail or pre.error)
    result: Capture | PageFailure = await capture_one(item, viewport)
    return result


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
