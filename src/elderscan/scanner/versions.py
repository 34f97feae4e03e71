"""Follow each version entry of the start page and measure what it leads to.

A link (or a sub-domain of the same registrable domain, only its start page) goes through the
crawl's own HTTP client, host limiter, robots.txt and address guard first; then the browser
captures a language version like any page, so its fonts and contrast are judged too (a 简洁版
or 大字版 is only opened and measured: the crawl and the elder-mode probe see those). A
toggle (繁體 by `zh_tran('t')`, a 藏文 switch, a drop-down) is clicked in a fresh context,
as the elder-mode probe does. On the resulting page, `js/versions_verify.js` gives the
visible text with its `lang` and direction, and which characters render as boxes;
`langscripts` turns that into the share of the expected script. Runs once a site, from the
home page, for at most `MAX_VERSIONS` entries.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from protego import Protego

from elderscan.capture import Capture, PageFailure, VersionEntry, VersionsProbe
from elderscan.errors import first_line
from elderscan.langscripts import (
    RTL_SCRIPTS,
    dominant,
    lang_matches,
    script_counts,
    scripts_for,
    share,
)
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.crawl import HostLimiter, load_robots, origin
from elderscan.scanner.dompass import VERSIONS_FIND_JS
from elderscan.scanner.failures import BrowserCrashed, PageFailed, classify
from elderscan.scanner.fetch import fetch
from elderscan.scanner.navigation import navigate
from elderscan.scanner.page import collect
from elderscan.scanner.page_context import PageTarget
from elderscan.scanner.quiet import Quiet, after_press, clocked_page
from elderscan.scanner.recorder import PageRecorder
from elderscan.scanner.version_entries import Candidate, version_candidates, worth_looking
from elderscan.scanner.voice import press
from elderscan.settings import ScanSettings

_JS = resources.files("elderscan.scanner").joinpath("js")
VERIFY_JS = _JS.joinpath("versions_verify.js").read_text("utf-8")
MAX_VERSIONS = 8
CLICK_WAIT_MS = 1200
LANGUAGE_KINDS = frozenset({"language", "traditional"})


@dataclass
class CrawlAccess:
    """The crawl's way out, lent to the probe: one client, one limiter, one robots policy."""

    client: httpx.AsyncClient
    limiter: HostLimiter
    settings: ScanSettings
    site_start: str
    robots: Protego | None
    _robots: dict[str, Protego | None] = field(default_factory=dict)

    async def allowed(self, url: str) -> bool:
        """robots.txt of the URL's own origin (a sub-domain has its own) lets us fetch it."""
        if not self.settings.OBEY_ROBOTS:
            return True
        key = origin(url)
        if key == origin(self.site_start):
            robots = self.robots
        else:
            if key not in self._robots:
                async with self.limiter.slot(url):
                    self._robots[key] = (await load_robots(self.client, url))[0]
            robots = self._robots[key]
        return robots is None or robots.can_fetch(url, "elderscan")

    async def preflight(self, url: str) -> tuple[int | None, str | None]:
        """HTTP status and the preflight's error code (blocked, http, timeout, …); none for a
        bot check's answer, which the browser may pass (`botcheck`)."""
        async with self.limiter.slot(url):
            result = await fetch(self.client, url, max_bytes=self.settings.MAX_HTML_BYTES,
                                 timeout=self.settings.LOAD_TIMEOUT)
        return result.status, None if result.bot_check else result.error


def measure(data: dict[str, Any], lang: str | None, kind: str) -> dict[str, Any]:
    """The VersionEntry fields a verify pass yields: script share, lang, direction, glyphs."""
    passages: list[dict[str, Any]] = data.get("passages") or []
    counts = script_counts(" ".join(str(p.get("text", "")) for p in passages))
    scripts = scripts_for(lang) if kind in LANGUAGE_KINDS else ()
    ours = [p for p in passages if dominant(script_counts(str(p.get("text", "")))) in scripts]
    direction = vertical = None
    if ours and set(scripts) & RTL_SCRIPTS:
        rtl = sum(1 for p in ours if p.get("dir") == "rtl")
        direction = "rtl" if rtl * 2 >= len(ours) else "ltr"
    if ours and "mongolian" in scripts:
        vertical = any(bool(p.get("vertical")) for p in ours)
    unmarked = (sum(1 for p in ours if not lang_matches(p.get("lang"), lang))
                if lang and kind == "language" else 0)
    missing = "".join(data.get("missing") or [])
    return {
        "verified": share(counts, scripts) if scripts else None,
        "lang_attr": data.get("lang"),
        "glyphs_ok": (not missing) if data.get("tested") else None,
        "direction": direction, "vertical": vertical, "unmarked": unmarked,
        "missing_glyphs": missing[:10],
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    changes: list[str] = []
    if before.get("url") != after.get("url"):
        changes.append(f"url: {after.get('url')}")
    if before.get("lang") != after.get("lang"):
        changes.append(f"html.lang: {after.get('lang')}")
    if before.get("dir") != after.get("dir"):
        changes.append(f"dir: {after.get('dir')}")
    text_before = " ".join(str(p.get("text", "")) for p in before.get("passages") or [])
    text_after = " ".join(str(p.get("text", "")) for p in after.get("passages") or [])
    if text_before != text_after:
        changes.append("text")
    return changes


def _entry(c: Candidate, **kw: Any) -> VersionEntry:
    base: dict[str, Any] = {"kind": c.kind, "lang": c.lang, "label": c.label, "how": c.how,
                            "url": c.url, "status": None, "verified": None, "lang_attr": None,
                            "glyphs_ok": None, "selector": c.selector, "box": c.box,
                            "failure": None}
    base.update(kw)
    return VersionEntry(**base)


async def _follow_link(pool: BrowserPool, c: Candidate, access: CrawlAccess,
                       screenshot_dir: Path | None,
                       ) -> tuple[VersionEntry, Capture | PageFailure | None]:
    assert c.url is not None
    if not await access.allowed(c.url):
        return _entry(c, failure="robots"), None
    status, error = await access.preflight(c.url)
    if error == "not-html":
        return _entry(c, status=status, failure=error), None
    if error:
        failure = PageFailure(url=c.url, final_url=None, http_status=status, mode="standard",
                              viewport="desktop", reason=error, message=error)
        return _entry(c, status=status, failure=error), failure
    settings = access.settings
    try:
        async with pool.context("desktop", probe=True) as ctx:
            page = await clocked_page(ctx)
            recorder = PageRecorder(page)
            nav = await navigate(page, recorder, c.url, settings, fake_clock=True)
            data = await page.evaluate(VERIFY_JS)
            if c.kind not in LANGUAGE_KINDS:  # 简洁版, 大字版 …: the elder probe and crawl see them
                return _entry(c, url=page.url, status=nav.status or status,
                              **measure(data, c.lang, c.kind)), None
            capture = await collect(PageTarget(page, recorder, nav, c.url, "desktop", "standard",
                                               settings, screenshot_dir, pool.version))
    except PageFailed as failed:
        return _entry(c, status=failed.status or status, failure=failed.reason), PageFailure(
            url=c.url, final_url=failed.final_url, http_status=failed.status, mode="standard",
            viewport="desktop", reason=failed.reason, message=failed.message)
    except PlaywrightError as exc:
        if classify(exc) == "browser-crash" or not pool.is_alive():
            raise BrowserCrashed(str(exc)) from exc
        return _entry(c, status=status, failure="browser"), None
    return _entry(c, url=capture.final_url, status=nav.status or status,
                  **measure(data, c.lang, c.kind)), capture


async def _click(page: Page, c: Candidate) -> bool:
    assert c.selector is not None
    if c.option is not None:
        try:
            await page.select_option(c.selector, c.option, timeout=1500)
            return True
        except PlaywrightError:
            return False
    return await press(page, c.selector)


async def _follow_toggle(pool: BrowserPool, home_url: str, c: Candidate,
                         settings: ScanSettings) -> VersionEntry:
    if not c.selector:
        return _entry(c, failure="click-failed")
    try:
        async with pool.context("desktop", probe=True) as ctx:
            page = await clocked_page(ctx)
            recorder = PageRecorder(page)
            quiet = Quiet(page)
            await navigate(page, recorder, home_url, settings, fake_clock=True, home=True)
            before = await page.evaluate(VERIFY_JS)
            quiet.mark()
            if not await _click(page, c):
                return _entry(c, failure="click-failed")
            await after_press(page, quiet, recorder.page_error, CLICK_WAIT_MS)
            await page.wait_for_load_state("load", timeout=settings.LOAD_TIMEOUT * 1000)
            after = await page.evaluate(VERIFY_JS)
    except PageFailed as failed:
        return _entry(c, status=failed.status, failure=failed.reason)
    except PlaywrightError as exc:
        if classify(exc) == "browser-crash" or not pool.is_alive():
            raise BrowserCrashed(str(exc)) from exc
        return _entry(c, failure=f"browser: {first_line(exc)}"[:80])
    changes = _changes(before, after)
    navigated = before.get("url") != after.get("url")
    main = recorder.main_response
    status = main.status if navigated and main is not None else None
    failure = None if changes else "no-change"
    if status is not None and status >= 400:
        failure = "http"
    return _entry(c, url=str(after.get("url")), status=status, failure=failure, changes=changes,
                  **measure(after, c.lang, c.kind))


async def probe_versions(
    pool: BrowserPool,
    home: Capture,
    access: CrawlAccess,
    screenshot_dir: Path | None = None,
) -> tuple[VersionsProbe, list[Capture | PageFailure]]:
    """The versions the home page offers, each followed, and the captures of linked ones."""
    region = access.settings.REGION
    found = home.version_controls  # read in the home page's DOM pass, on desktop
    if found is None:
        async with pool.context("desktop", probe=True) as ctx:
            page = await clocked_page(ctx)
            recorder = PageRecorder(page)
            try:
                await navigate(page, recorder, home.url, access.settings, fake_clock=True,
                               home=True)
                found = await page.evaluate(VERSIONS_FIND_JS)
            except (PageFailed, PlaywrightError):
                found = []
    entries: list[VersionEntry] = []
    captures: list[Capture | PageFailure] = []
    for candidate in version_candidates(found, home.final_url or home.url)[:MAX_VERSIONS]:
        try:  # a page that hangs its renderer costs one page's time limit, as in the crawl
            entry, capture = await asyncio.wait_for(
                _follow(pool, home.url, candidate, access, screenshot_dir),
                access.settings.PAGE_TIMEOUT)
        except TimeoutError:
            entry, capture = _entry(candidate, failure="timeout"), None
        entries.append(entry)
        if capture is not None:
            captures.append(capture)
    return VersionsProbe(region=region, versions=entries), captures


async def _follow(pool: BrowserPool, home_url: str, c: Candidate, access: CrawlAccess,
                  screenshot_dir: Path | None,
                  ) -> tuple[VersionEntry, Capture | PageFailure | None]:
    if c.how == "toggle":
        return await _follow_toggle(pool, home_url, c, access.settings), None
    if c.offsite:
        return _entry(c, failure="off-site"), None
    return await _follow_link(pool, c, access, screenshot_dir)


VersionsFound = tuple[VersionsProbe | None, list[Capture | PageFailure]]


async def probe_site_versions(pool: BrowserPool, pages: list[Capture | PageFailure],
                              access: CrawlAccess, screenshot_dir: Path | None,
                              static_html: str = "") -> VersionsFound:
    """The probe from the crawl's first level: off when asked, no browser when the home page
    shows no sign of a version, retried once if Chromium dies."""
    home = next((p for p in pages if isinstance(p, Capture) and p.url == access.site_start),
                None)
    if home is None or not access.settings.PROBE_VERSIONS:
        return None, []
    labels = [" ".join(x for x in (i.text, i.aria_label or "", i.title or "") if x)
              for i in home.interactive]
    if not worth_looking(labels, static_html):
        return VersionsProbe(region=access.settings.REGION, versions=[]), []
    for _attempt in range(2):
        try:
            return await probe_versions(pool, home, access, screenshot_dir)
        except BrowserCrashed:
            continue
    return None, []
