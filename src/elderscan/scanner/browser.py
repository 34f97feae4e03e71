"""One Chromium, a bounded pool of isolated contexts, and the guards around them.

A scan of thousands of government sites meets every kind of broken page, so the pool assumes the
browser will die: it restarts after a crash, recycles itself after a number of pages (Chromium's
memory grows with use), kills any renderer that grows past a memory cap, and discards a context
whose page will not close. Contexts are never reused: a cookie or localStorage flag left by one
page (an elder-mode toggle, say) must not change what the next page looks like.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from importlib import resources
from typing import Any

import psutil
from playwright.async_api import (
    Browser,
    BrowserContext,
    Playwright,
    Request,
    Route,
    async_playwright,
)

from elderscan.capture import Viewport
from elderscan.errors import BrowserUnavailable, first_line
from elderscan.netguard import AddressGuard, AddressRefused
from elderscan.runner.settings import ScanSettings
from elderscan.scanner._chromium import find_chromium, launch_flags

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


class BrowserPool:
    """Hands out fresh browser contexts, at most `CONCURRENCY` at a time."""

    def __init__(self, settings: ScanSettings) -> None:
        self._settings = settings
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._process: psutil.Process | None = None
        self._slots = asyncio.Semaphore(settings.CONCURRENCY)
        self._state = asyncio.Condition()
        self._active = 0
        self._draining = False
        self._pages_since_launch = 0
        self._marker = f"elderscan-instance={uuid.uuid4().hex}"
        self._guard: asyncio.Task[None] | None = None
        self._addresses = (AddressGuard.from_allow(settings.ALLOW_HOSTS)
                           if settings.GUARD_ADDRESSES else None)
        self.version = ""
        self.launches = 0
        self.crashes = 0
        self.memory_kills = 0

    async def start(self) -> None:
        self._pw = await async_playwright().start()
        try:
            await self._launch()
        except BaseException:
            await self._pw.stop()
            raise
        self._guard = asyncio.create_task(self._memory_guard(), name="renderer-memory-guard")

    async def close(self) -> None:
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
                await self._pw.stop()

    async def __aenter__(self) -> BrowserPool:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _launch(self) -> None:
        assert self._pw is not None
        executable = find_chromium(self._settings.CHROMIUM)
        try:
            browser = await self._pw.chromium.launch(
                executable_path=executable,
                args=launch_flags(self._settings.JS_HEAP_MB, self._marker),
                headless=True,
                timeout=60_000,
                handle_sigint=False,
                handle_sigterm=False,
                handle_sighup=False,
            )
        except Exception as exc:
            raise BrowserUnavailable(
                f"Chromium at {executable} did not start: {first_line(exc)}") from exc
        browser.on("disconnected", self._on_disconnected)
        self._browser = browser
        self.version = browser.version
        self._pages_since_launch = 0
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
        proc = self._process
        if proc is None:
            return
        with contextlib.suppress(psutil.Error):
            for child in proc.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    child.kill()
            proc.kill()

    def is_alive(self) -> bool:
        return self._browser is not None and self._browser.is_connected()

    async def _relaunch(self) -> None:
        old = self._browser
        self._browser = None
        if old is not None and old.is_connected():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(old.close(), 10)
        self._kill_process()
        await self._launch()

    @contextlib.asynccontextmanager
    async def context(self, viewport: Viewport) -> AsyncIterator[BrowserContext]:
        """A fresh context; the browser is restarted first if it crashed or is due a recycle."""
        async with self._slots:
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
                browser = self._browser
            assert browser is not None
            closed_cleanly = True
            ctx: BrowserContext | None = None
            try:
                ctx = await browser.new_context(
                    **VIEWPORTS[viewport],
                    user_agent=user_agent(viewport, self.version, self._settings.USER_AGENT_SUFFIX),
                    accept_downloads=False,
                    locale="zh-CN",
                    timezone_id="Asia/Shanghai",
                    service_workers="block",
                )
                await ctx.add_init_script(INIT_SCRIPT)
                if self._addresses is not None:
                    await ctx.route("**/*", _AddressRoute(self._addresses).handle)
                yield ctx
            finally:
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

    async def _memory_guard(self) -> None:
        """Kill renderers over the cap: the page fails with a crash, the browser lives on."""
        limit = self._settings.RENDERER_MEMORY_MB * 1024 * 1024
        while True:
            await asyncio.sleep(0.5)
            proc = self._process
            if proc is None:
                continue
            try:
                children = proc.children(recursive=True)
            except psutil.Error:
                continue
            for child in children:
                try:
                    if "--type=renderer" not in child.cmdline():
                        continue
                    if child.memory_info().rss > limit:
                        child.kill()
                        self.memory_kills += 1
                        log.warning("killed a renderer over %d MB", limit // 2**20)
                except psutil.Error:
                    continue

    @property
    def pid(self) -> int | None:
        """The browser process id (the crash-recovery tests kill it)."""
        return self._process.pid if self._process is not None else None


GUARD_RESOLVE_SECONDS = 5.0


class _AddressRoute:
    """Chromium's own requests (frames, images, scripts, redirects) pass the address guard too.

    The crawler's preflight checks every page before Chromium loads it, but a page can still
    point an iframe or an image at 169.254.169.254; with the guard on, such requests are aborted
    here. Each host is resolved once per context; a lookup that hangs fails closed.
    """

    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard
        self._verdicts: dict[tuple[str, int], bool] = {}

    async def handle(self, route: Route, request: Request) -> None:
        if await self._allowed(request.url):
            await route.continue_()
        else:
            log.warning("address guard: blocked %s", request.url[:200])
            await route.abort("blockedbyclient")

    async def _allowed(self, url: str) -> bool:
        if url.startswith(("data:", "blob:", "about:")):
            return True
        try:
            host, port, decided = self._guard.split(url)
        except AddressRefused:
            return False
        if decided:
            return True
        key = (host, port)
        if key not in self._verdicts:
            try:
                await asyncio.wait_for(self._guard.resolve_checked(host, port),
                                       GUARD_RESOLVE_SECONDS)
                self._verdicts[key] = True
            except AddressRefused:
                self._verdicts[key] = False
            except TimeoutError:
                return False
            except OSError:
                return True  # the name does not resolve: Chromium's own lookup fails as well
        return self._verdicts[key]
