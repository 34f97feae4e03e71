"""One Chromium, a bounded pool of isolated contexts, and the guards around them.

Longer than most modules because the pool, its tabs and its guards (crash relaunch, recycling,
the renderer memory cap) share one lock and one count of contexts in flight.

A scan of thousands of government sites meets every kind of broken page, so the pool assumes the
browser will die: it restarts after a crash, recycles itself after a number of pages (Chromium's
memory grows with use), kills any renderer that grows past a memory cap, and discards a context
whose page will not close.

A crawl's pages go through *tabs*: one context and page that goes from page to page of one site
(`tab(viewport, key)`), because a fresh context per page starts a new renderer process each time,
and that start-up cost more than bare navigation itself (2.4x the time here). Between pages a
tab is blanked and its cookies and storage are cleared, so a cookie or sessionStorage flag left
by one page (a pop-up shown "once per visit", say) does not change what the next page looks
like; after `TAB_PAGES` pages its context is replaced (Playwright's page clock keeps one init
script per step it ran, which a long-lived context would replay on every page). Probes that
switch a site's state (elder mode, voice) use `context()`, which is always fresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import psutil
from playwright.async_api import (
    Browser,
    BrowserContext,
    CDPSession,
    Page,
    Playwright,
)
from playwright.async_api import TimeoutError as PlaywrightTimeout

from elderscan.capture import Viewport
from elderscan.errors import BrowserNotFound, BrowserUnavailable, first_line
from elderscan.guardproxy import GuardProxy, browser_flags
from elderscan.memory import RendererWatch
from elderscan.netguard import AddressGuard
from elderscan.scanner import driver_process
from elderscan.scanner._chromium import (
    binary_version,
    browser_name,
    find_chromium,
    launch_flags,
)
from elderscan.scanner.axe import AXE_LOADER
from elderscan.scanner.page_scripts import DEFINE
from elderscan.settings import ScanSettings

if TYPE_CHECKING:  # the type Playwright's add_cookies takes; not exported by its public API
    from playwright._impl._api_structures import SetCookieParam

log = logging.getLogger(__name__)

VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {
        "viewport": {"width": 1280, "height": 900},
        "device_scale_factor": 1,
        "is_mobile": False,
        "has_touch": False,
    },
    "mobile": {
        "viewport": {"width": 375, "height": 812},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}

INIT_SCRIPT = resources.files("elderscan.scanner").joinpath("js/init.js").read_text("utf-8")
PROBE_CONCURRENCY = 3
"""Contexts the site probes (elder mode, voice, language versions) may hold at once, beside the
`CONCURRENCY` page slots (and never more than one more than those, so a scan told to go one
page at a time stays small): they run once a site, from the home page, and waiting for a page
slot held them behind the crawl (a one-page scan ran its voice probe after its elder-mode
probe, 1.2 s later on the corpus home page)."""
LAUNCH_ATTEMPTS = 2
"""A Chromium that exits while it starts is started once more (after `LAUNCH_RETRY_S`) before
the scan gives up: seen once in a full test run on a loaded 2-core machine (the process was
gone before its first answer, with nothing in its log), which a batch would otherwise count as
a failed site. One that does not answer within the launch's 60 s is not tried again."""
LAUNCH_RETRY_S = 0.5


def user_agent(viewport: Viewport, chromium_version: str, suffix: str) -> str:
    """A real browser's UA, so sites serve what people see, plus a token that says who we are."""
    major = chromium_version.split(".")[0] or "120"
    if viewport == "mobile":
        base = (
            "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 "
            f"(KHTML, like Gecko) Chrome/{major}.0.0.0 Mobile Safari/537.36"
        )
    else:
        base = (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
            f"(KHTML, like Gecko) Chrome/{major}.0.0.0 Safari/537.36"
        )
    return f"{base} {suffix}"


@dataclass(eq=False)
class Tab:
    """A context and its one page, lent out for one capture at a time."""

    context: BrowserContext
    page: Page
    key: str | None
    viewport: Viewport
    browser: Browser
    cdp: CDPSession = field(repr=False)
    """the page's DevTools session, opened with the tab"""
    uses: int = 0
    clock_installed: bool = False
    reusable: bool = True
    """Cleared by the borrower when the page ended in a state not worth keeping (a timeout,
    a crash): the tab is then closed instead of being lent again."""


class BrowserPool:
    """Hands out fresh browser contexts, at most `CONCURRENCY` at a time."""

    SETTINGS: tuple[str, ...] = (
        "ALLOW_HOSTS", "AXE", "CHROMIUM", "CONCURRENCY", "COOKIES", "GUARD_ADDRESSES",
        "JS_HEAP_MB",
        "RECYCLE_AFTER", "RENDERER_MEMORY_MB", "TAB_PAGES", "USER_AGENT_SUFFIX")
    """The scan settings a pool reads: two scans that agree on them can share one."""

    def __init__(self, settings: ScanSettings) -> None:
        self._settings = settings
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._process: psutil.Process | None = None
        self._slots = asyncio.Semaphore(settings.CONCURRENCY)
        self._probe_slots = asyncio.Semaphore(min(PROBE_CONCURRENCY, settings.CONCURRENCY + 1))
        self._state = asyncio.Condition()
        self._active = 0
        self._draining = False
        self._pages_since_launch = 0
        self._marker = f"elderscan-instance={uuid.uuid4().hex}"
        self._guard: asyncio.Task[None] | None = None
        self.proxy = (GuardProxy(AddressGuard.from_allow(settings.ALLOW_HOSTS))
                      if settings.GUARD_ADDRESSES else None)
        """with the address guard on, the browser's only way out (see `guardproxy`)"""
        self.version = ""
        self.browser = ""
        """the binary's name (`chromium-headless-shell`, `chromium`), once launched"""
        self.launches = 0
        self.crashes = 0
        self.memory_kills = 0
        self.sites = 0  # crawls started on this pool: a kept pool serves one site after another
        self._killed = False
        self._idle: dict[tuple[str, Viewport], list[Tab]] = {}
        self._cookies: list[SetCookieParam] = []

    def begin_site(self) -> tuple[int, int]:
        """A crawl starts on this pool: the launches and crashes it should not count, since a
        pool kept from an earlier site counts only what it does for this one. Late connections
        of the pool's last site are dropped from the guard's log."""
        before = (self.launches, self.crashes) if self.sites else (0, 0)
        self.sites += 1
        if self.proxy is not None:
            self.proxy.take_log()
        return before

    def sign_in(self, url: str) -> None:
        """Send the `COOKIES` setting to `url`'s host (only there: host-only cookies) in every
        tab from now on. A site's crawl calls this for its start address before it browses."""
        parts = urlsplit(url)
        if not self._settings.COOKIES or parts.scheme not in ("http", "https"):
            return
        origin = f"{parts.scheme}://{parts.netloc}/"
        for entry in self._settings.COOKIES:
            name, _, value = entry.partition("=")
            cookie: SetCookieParam = {"name": name.strip(), "value": value.strip(),
                                      "url": origin}
            if cookie not in self._cookies:
                self._cookies.append(cookie)

    async def _signed_in(self, ctx: BrowserContext) -> None:
        if self._cookies:
            await ctx.add_cookies(self._cookies)

    async def start(self) -> None:
        self._pw = await driver_process.start()
        try:
            if self.proxy is not None:
                await self.proxy.start()
            await self._launch()
        except BaseException:
            driver_process.forget(self._pw)
            await driver_process.stop(self._pw)
            if self.proxy is not None:
                await self.proxy.close()
            raise
        self._guard = asyncio.create_task(self._memory_guard(), name="renderer-memory-guard")

    async def close(self) -> None:
        self._idle.clear()
        if self._guard is not None:
            self._guard.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._guard
        if self._browser is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._browser.close(), 10)
        self._kill_process()
        if self._pw is not None:
            with contextlib.suppress(Exception):
                await driver_process.stop(self._pw)
        if self.proxy is not None:
            await self.proxy.close()

    async def __aenter__(self) -> BrowserPool:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def binary_version(self) -> str:
        """The version of the binary `start` launches, without launching it ('' if unknown)."""
        try:
            return await binary_version(find_chromium(self._settings.CHROMIUM))
        except BrowserNotFound:
            return ""

    async def _launch(self) -> None:
        assert self._pw is not None
        executable = find_chromium(self._settings.CHROMIUM)
        args = launch_flags(self._settings.JS_HEAP_MB, self._marker)
        if self.proxy is not None:
            args += browser_flags(self.proxy.port)
        for attempt in range(LAUNCH_ATTEMPTS):
            try:
                browser = await self._pw.chromium.launch(
                    executable_path=executable,
                    args=args,
                    headless=True,
                    timeout=60_000,
                    handle_sigint=False,
                    handle_sigterm=False,
                    handle_sighup=False,
                )
                break
            except Exception as exc:
                if attempt + 1 < LAUNCH_ATTEMPTS and not isinstance(exc, PlaywrightTimeout):
                    await asyncio.sleep(LAUNCH_RETRY_S)
                    continue
                raise BrowserUnavailable(
                    f"Chromium at {executable} did not start: {first_line(exc)}") from exc
        browser.on("disconnected", self._on_disconnected)
        self._browser = browser
        self.version = browser.version
        self.browser = browser_name(executable)
        self._pages_since_launch = 0
        self._killed = False
        self.launches += 1
        self._process = self._find_process()

    def _on_disconnected(self, _browser: Browser) -> None:
        if _browser is self._browser:
            self.crashes += 1

    def _find_process(self) -> psutil.Process | None:
        marker = f"--{self._marker}"
        for proc in psutil.process_iter(["cmdline"]):
            cmdline = proc.info.get("cmdline") or []
            if marker in cmdline and not any(a.startswith("--type=") for a in cmdline):
                return proc
        return None

    def _kill_process(self) -> None:
        # Playwright hears of the death a little later; until then the next page must not be
        # handed the dead browser.
        self._killed = True
        proc = self._process
        if proc is None:
            return
        with contextlib.suppress(psutil.Error):
            for child in proc.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    child.kill()
            proc.kill()

    def is_alive(self) -> bool:
        return (self._browser is not None and not self._killed
                and self._browser.is_connected())

    def largest_renderer_mb(self) -> float:
        """RSS of the biggest renderer now: a page stuck in V8's last-resort collections near
        its heap cap looks like a hang from outside, and this tells the two apart."""
        proc = self._process
        if proc is None:
            return 0.0
        largest = 0
        with contextlib.suppress(psutil.Error):
            for child in proc.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    if "--type=renderer" in child.cmdline():
                        largest = max(largest, child.memory_info().rss)
        return largest / 2**20

    def ran_out_of_memory(self, kills_before: int) -> bool:
        """Did a page that timed out run out of memory? Yes when the memory guard killed a
        renderer since `kills_before`, or a renderer is within 20 % of the memory caps."""
        if self.memory_kills > kills_before:
            return True
        cap = min(self._settings.JS_HEAP_MB, self._settings.RENDERER_MEMORY_MB)
        return self.largest_renderer_mb() >= 0.8 * cap

    async def _relaunch(self) -> None:
        self._idle.clear()  # their contexts go with the old browser
        old = self._browser
        self._browser = None
        if old is not None and old.is_connected():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(old.close(), 10)
        self._kill_process()
        await self._launch()

    async def _admit(self) -> Browser:
        """Count one more page in the works, on a live browser that is not due a recycle."""
        async with self._state:
            await self._state.wait_for(lambda: not self._draining)
            if not self.is_alive():
                await self._relaunch()
            elif self._pages_since_launch >= self._settings.RECYCLE_AFTER:
                self._draining = True
                try:
                    await self._state.wait_for(lambda: self._active == 0)
                    await self._relaunch()
                finally:
                    self._draining = False
                    self._state.notify_all()
            self._active += 1
            assert self._browser is not None
            return self._browser

    async def _new_context(self, browser: Browser, viewport: Viewport) -> BrowserContext:
        ctx = await browser.new_context(
            **VIEWPORTS[viewport],
            user_agent=user_agent(viewport, self.version, self._settings.USER_AGENT_SUFFIX),
            accept_downloads=False,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            service_workers="block",
        )
        try:
            await ctx.add_init_script(INIT_SCRIPT + "\n" + DEFINE)  # see page_scripts.py
            if self._settings.AXE:
                await ctx.add_init_script(AXE_LOADER)  # see scanner/axe.py
        except BaseException:
            with contextlib.suppress(Exception):
                await ctx.close()
            raise
        return ctx

    async def _release(self, browser: Browser, ctx: BrowserContext | None) -> None:
        """Close `ctx` (if given) and count the page done; a context that will not close
        takes its browser down with it."""
        closed_cleanly = True
        if ctx is not None:
            try:
                await asyncio.wait_for(ctx.close(), 10)
            except Exception:
                closed_cleanly = False
        async with self._state:
            self._active -= 1
            self._pages_since_launch += 1
            if not closed_cleanly and browser is self._browser:
                log.warning("a context would not close; restarting Chromium")
                self._kill_process()
            self._state.notify_all()

    @contextlib.asynccontextmanager
    async def context(self, viewport: Viewport, *,
                      probe: bool = False) -> AsyncIterator[BrowserContext]:
        """A fresh context; the browser is restarted first if it crashed or is due a recycle.
        A site `probe`'s context takes a probe slot, not a page slot (`PROBE_CONCURRENCY`)."""
        async with self._probe_slots if probe else self._slots:
            browser = await self._admit()
            ctx: BrowserContext | None = None
            try:
                ctx = await self._new_context(browser, viewport)
                await self._signed_in(ctx)
                yield ctx
            finally:
                await self._release(browser, ctx)

    @contextlib.asynccontextmanager
    async def tab(self, viewport: Viewport, key: str | None = None, *,
                  probe: bool = False) -> AsyncIterator[Tab]:
        """A tab for one page: with a `key` (one per site crawl) an idle tab of the same key is
        lent again after its state was cleared, and the tab goes back to the idle ones after;
        without, a fresh context that is closed after. A `probe`'s tab takes a probe slot."""
        async with self._probe_slots if probe else self._slots:
            browser = await self._admit()
            tab = await self._take_idle(key, viewport, browser)
            to_close: BrowserContext | None = None
            try:
                if tab is None:
                    to_close = await self._new_context(browser, viewport)
                    page = _hold_subscriptions(await to_close.new_page())
                    # opened now, while no script of a page can hold the renderer: the
                    # capture stops a timed-out axe-core run through it (`axe.stop_script`)
                    tab = Tab(to_close, page, key, viewport, browser,
                              await to_close.new_cdp_session(page))
                to_close = tab.context
                await self._signed_in(tab.context)  # a lent tab's cookies were cleared
                tab.uses += 1
                yield tab
                if await self._keep(tab, browser):
                    to_close = None
            finally:
                await self._release(browser, to_close)

    async def _take_idle(self, key: str | None, viewport: Viewport,
                         browser: Browser) -> Tab | None:
        if key is None:
            return None
        idle = self._idle.get((key, viewport))
        while idle:
            tab = idle.pop()
            if tab.browser is browser and not tab.page.is_closed():
                return tab
            if tab.browser is browser:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(tab.context.close(), 10)
        return None

    async def _keep(self, tab: Tab, browser: Browser) -> bool:
        """Clear the tab for its next page and put it with the idle ones, if it is worth it."""
        if (tab.key is None or not tab.reusable or tab.uses >= self._settings.TAB_PAGES
                or browser is not self._browser or not self.is_alive()):
            return False
        try:
            await asyncio.wait_for(_clear_tab(tab), 10)
        except Exception as exc:
            log.debug("tab not reused: %s", first_line(exc))
            return False
        self._idle.setdefault((tab.key, tab.viewport), []).append(tab)
        return True

    async def forget(self, key: str) -> None:
        """Close the idle tabs of a crawl that is over."""
        for slot in [k for k in self._idle if k[0] == key]:
            for tab in self._idle.pop(slot):
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(tab.context.close(), 10)

    async def _memory_guard(self) -> None:
        """Kill renderers over the cap: the page fails with a crash, the browser lives on."""
        limit = self._settings.RENDERER_MEMORY_MB * 1024 * 1024
        watch = RendererWatch()
        while True:
            await asyncio.sleep(0.5)
            proc = self._process
            if proc is None:
                continue
            for renderer in watch.over(proc.pid, limit):
                try:
                    renderer.kill()  # psutil checks the pid still names the process it found
                except psutil.Error:
                    continue
                self.memory_kills += 1
                log.warning("killed a renderer over %d MB", limit // 2**20)

    @property
    def pid(self) -> int | None:
        """The browser process id (the crash-recovery tests kill it)."""
        return self._process.pid if self._process is not None else None


def _ignore(_: object) -> None:
    """The tab's own listener: it only keeps the event coming."""


def _hold_subscriptions(page: Page) -> Page:
    """A listener of the tab's own on the page events each capture's recorder and waits listen
    to. Playwright's client asks its driver to send an event when the event's first listener is
    added and to stop when its last is removed, a message each: with these, the messages are
    sent once a tab, not about a dozen times a page. (Not `dialog`: a page with no listener for
    it has its dialogs closed by Playwright, which a listener that does nothing would stop.)"""
    page.on("request", _ignore)
    page.on("response", _ignore)
    page.on("requestfinished", _ignore)
    page.on("requestfailed", _ignore)
    page.on("console", _ignore)
    return page


async def _clear_tab(tab: Tab) -> None:
    """Blank the page (its unload handlers run now, not during the next capture), then clear
    cookies and every kind of storage, sessionStorage included, of the origins it had open."""
    origins = {_origin(frame.url) for frame in tab.page.frames} - {None}
    await tab.page.goto("about:blank")
    await tab.context.clear_cookies()
    for origin in origins:
        await tab.cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None
