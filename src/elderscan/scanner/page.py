"""Capture one page in one viewport: load it, let it settle, collect, run axe, screenshot.

Everything that can go wrong on a hostile or broken page ends as a `PageFailure` with a reason
code, never as an exception out of here (except a browser crash, which the caller retries on a
fresh browser so no page is lost).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from playwright.async_api import ConsoleMessage, Dialog, Page, Request, Response
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from elderscan.capture import (
    AxeResults,
    Capture,
    FocusStep,
    Mode,
    MovingElement,
    NetworkEntry,
    PageFailure,
    Reflow,
    Timings,
    Viewport,
)
from elderscan.errors import first_line
from elderscan.runner.settings import ScanSettings
from elderscan.scanner.axe import run_axe
from elderscan.scanner.browser import VIEWPORTS, BrowserPool
from elderscan.scanner.interact import probe_focus, probe_motion, probe_reflow

COLLECT_JS = resources.files("elderscan.scanner").joinpath("js/collect.js").read_text("utf-8")
MAX_NETWORK_ENTRIES = 2000
MAX_TEXT_RUNS = 5000
MAX_INTERACTIVE = 3000
HTML_TYPES = ("text/html", "application/xhtml+xml")
REFRESH_MARKER = "__elderscan:refresh:"


class BrowserCrashed(Exception):
    """The whole browser went away mid-page; the caller retries the page on a new one."""


_NET_ERRORS = (
    ("ERR_TOO_MANY_REDIRECTS", "too-many-redirects"),
    ("ERR_NAME_NOT_RESOLVED", "dns"),
    ("ERR_NAME_RESOLUTION_FAILED", "dns"),
    ("ERR_CONNECTION_REFUSED", "connect"),
    ("ERR_CONNECTION_RESET", "connect"),
    ("ERR_ADDRESS_UNREACHABLE", "connect"),
    ("ERR_CERT", "tls"),
    ("ERR_SSL", "tls"),
    ("Download is starting", "download"),
    ("ERR_ABORTED", "aborted"),
    ("ERR_INVALID_RESPONSE", "protocol"),
    ("ERR_CONTENT_DECODING_FAILED", "protocol"),
    ("ERR_EMPTY_RESPONSE", "protocol"),
    ("Page crashed", "crash"),
)
_BROWSER_GONE = ("Target page, context or browser has been closed", "Browser has been closed",
                 "Target closed", "browser has disconnected", "Connection closed")


def classify(exc: BaseException) -> str:
    text = str(exc)
    if any(marker in text for marker in _BROWSER_GONE):
        return "browser-crash"
    for marker, code in _NET_ERRORS:
        if marker in text:
            return code
    return "error"


def screenshot_name(url: str, viewport: Viewport, mode: Mode) -> str:
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
    return f"{digest}-{viewport}-{mode}.png"


class PageRecorder:
    """Listens to one page's events for as long as it lives."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.network: list[NetworkEntry] = []
        self.console_errors: list[str] = []
        self.crashed = False
        self.main_response: Response | None = None
        self.refreshes: list[str] | None = None
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_failed)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)
        page.on("crash", self._on_crash)
        page.on("dialog", _dismiss)

    def _on_response(self, response: Response) -> None:
        request = response.request
        if request.frame == self.page.main_frame and request.is_navigation_request():
            self.main_response = response
        if len(self.network) < MAX_NETWORK_ENTRIES:
            length = response.headers.get("content-length")
            self.network.append(
                NetworkEntry(
                    url=response.url[:2000],
                    resource_type=request.resource_type,
                    method=request.method,
                    status=response.status,
                    size=int(length) if length and length.isdigit() else None,
                    failure=None,
                )
            )

    def _on_failed(self, request: Request) -> None:
        if len(self.network) < MAX_NETWORK_ENTRIES:
            self.network.append(
                NetworkEntry(
                    url=request.url[:2000],
                    resource_type=request.resource_type,
                    method=request.method,
                    status=None,
                    size=None,
                    failure=(request.failure or "failed")[:200],
                )
            )

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "debug" and message.text.startswith(REFRESH_MARKER):
            if self.refreshes is None:  # the first document's, not a later one's
                with contextlib.suppress(ValueError):
                    self.refreshes = [str(c) for c in json.loads(
                        message.text[len(REFRESH_MARKER):])][:20]
            return
        if message.type == "error" and len(self.console_errors) < 100:
            self.console_errors.append(message.text[:500])

    def _on_pageerror(self, error: PlaywrightError) -> None:
        if len(self.console_errors) < 100:
            self.console_errors.append(f"uncaught: {str(error)[:500]}")

    def _on_crash(self, _page: Page) -> None:
        self.crashed = True


async def _dismiss(dialog: Dialog) -> None:
    """Any dialog the init script did not catch (beforeunload, one from a frame) is dismissed."""
    with contextlib.suppress(PlaywrightError):
        await dialog.dismiss()


async def capture_page(
    pool: BrowserPool,
    url: str,
    viewport: Viewport,
    settings: ScanSettings,
    *,
    mode: Mode = "standard",
    screenshot_dir: Path | None = None,
) -> Capture | PageFailure:
    """Capture `url`, or say why not. Raises `BrowserCrashed` only when Chromium itself died."""

    def failure(reason: str, message: str, status: int | None = None,
                final: str | None = None) -> PageFailure:
        return PageFailure(url=url, final_url=final, http_status=status, mode=mode,
                           viewport=viewport, reason=reason, message=message)

    recorder: PageRecorder | None = None
    try:
        async with pool.context(viewport) as ctx:
            page = await ctx.new_page()
            if settings.PROBES:
                await page.clock.install()
            recorder = PageRecorder(page)
            try:
                async with asyncio.timeout(settings.PAGE_TIMEOUT):
                    return await _capture(page, recorder, url, viewport, mode, settings,
                                          screenshot_dir, pool.version)
            except TimeoutError:
                status = recorder.main_response.status if recorder.main_response else None
                return failure("timeout", f"page not captured within {settings.PAGE_TIMEOUT:g}s "
                               "(a script that never yields, or a page that never loads)", status)
    except PageFailed as failed:
        return failure(failed.reason, failed.message, failed.status, failed.final_url)
    except PlaywrightError as exc:
        reason = classify(exc)
        if recorder is not None and recorder.crashed:
            reason = "crash"
        if reason == "browser-crash" or not pool.is_alive():
            raise BrowserCrashed(first_line(exc, 300)) from exc
        message = first_line(exc, 300)
        if reason == "crash":
            message = "the page's renderer crashed (out of memory, or killed by the memory guard)"
        return failure(reason, message)


class PageFailed(Exception):
    def __init__(self, reason: str, message: str, status: int | None = None,
                 final_url: str | None = None) -> None:
        super().__init__(message)
        self.reason, self.message, self.status, self.final_url = reason, message, status, final_url


@dataclass
class Navigation:
    """How a page was reached: what `collect` needs to know about the load."""

    status: int | None
    started: float
    loaded: float
    warnings: list[str] = field(default_factory=list)
    refreshes: list[str] = field(default_factory=list)


async def navigate(page: Page, recorder: PageRecorder, url: str,
                   settings: ScanSettings) -> Navigation:
    """Load `url` and let it settle; raises `PageFailed` for pages that cannot be captured."""
    t0 = time.perf_counter()
    warnings: list[str] = []
    try:
        response = await page.goto(url, wait_until="load", timeout=settings.LOAD_TIMEOUT * 1000)
    except PlaywrightTimeout:
        response = recorder.main_response
        try:
            state = await asyncio.wait_for(page.evaluate("document.readyState"), 3)
        except (TimeoutError, PlaywrightError):
            state = "loading"
        if state == "loading":
            raise PageFailed("timeout", f"the page did not load within {settings.LOAD_TIMEOUT:g}s",
                          response.status if response else None, page.url) from None
        warnings.append(f"load event did not fire within {settings.LOAD_TIMEOUT:g}s; "
                        "captured what had rendered")
    t_nav = time.perf_counter()
    status = response.status if response else None
    if status is not None and status >= 400:
        raise PageFailed("http", f"HTTP {status}", status, page.url)
    if response is not None:
        ctype = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
        if ctype and ctype not in HTML_TYPES:
            raise PageFailed("not-html", f"not an HTML page ({ctype})", status, page.url)
    if settings.SETTLE_MS:
        await asyncio.sleep(settings.SETTLE_MS / 1000)
    if page.url.startswith("chrome-error:"):
        raise PageFailed("redirect", "the page sent the browser on to a page that failed to "
                         "load (meta refresh or script redirect)", status, page.url)
    return Navigation(status=status, started=t0, loaded=t_nav, warnings=warnings,
                      refreshes=recorder.refreshes or [])


async def _capture(
    page: Page,
    recorder: PageRecorder,
    url: str,
    viewport: Viewport,
    mode: Mode,
    settings: ScanSettings,
    screenshot_dir: Path | None,
    chromium: str,
) -> Capture:
    nav = await navigate(page, recorder, url, settings)
    return await collect(page, recorder, nav, url, viewport, mode, settings, screenshot_dir,
                         chromium)


async def _collect_pass(page: Page, settings: ScanSettings,
                        warnings: list[str]) -> dict[str, Any]:
    """The DOM pass; a page that replaces itself (meta refresh, script redirect) is followed."""
    options = {"maxTextRuns": MAX_TEXT_RUNS, "maxInteractive": MAX_INTERACTIVE}
    for attempt in range(3):
        try:
            data: dict[str, Any] = await page.evaluate(COLLECT_JS, options)
            return data
        except PlaywrightError as exc:
            if "Execution context was destroyed" not in str(exc) or attempt == 2:
                raise
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_load_state("load", timeout=settings.LOAD_TIMEOUT * 1000)
            if page.url.startswith("chrome-error:"):
                raise PageFailed("redirect", "the page sent the browser on to a page that "
                                 "failed to load (meta refresh or script redirect)") from exc
            warnings.append(f"the page navigated by itself to {page.url}; captured that page")
    raise AssertionError("unreachable")


async def collect(
    page: Page,
    recorder: PageRecorder,
    nav: Navigation,
    url: str,
    viewport: Viewport,
    mode: Mode,
    settings: ScanSettings,
    screenshot_dir: Path | None,
    chromium: str,
) -> Capture:
    """Everything about the page as it is now: one DOM pass, axe-core, screenshot, probes."""
    t0, t_nav, status, warnings = nav.started, nav.loaded, nav.status, nav.warnings
    errors: dict[str, str] = {}
    t_settle = time.perf_counter()
    data = await _collect_pass(page, settings, warnings)
    t_collect = time.perf_counter()
    axe: AxeResults | None = None
    if settings.AXE:
        try:
            axe = await run_axe(page, settings.AXE_TIMEOUT)
        except Exception as exc:
            if isinstance(exc, PlaywrightError) and classify(exc) == "browser-crash":
                raise
            errors["axe"] = first_line(exc, 300)
    t_axe = time.perf_counter()
    shot_path: str | None = None
    shot_height: int | None = None
    if screenshot_dir is not None:
        width = VIEWPORTS[viewport]["viewport"]["width"]
        shot_height = max(1, min(int(data["document_size"][1]), settings.SCREENSHOT_MAX_HEIGHT))
        target = screenshot_dir / screenshot_name(url, viewport, mode)
        try:
            await page.screenshot(path=str(target), full_page=True, scale="css", type="png",
                                  clip={"x": 0, "y": 0, "width": width, "height": shot_height},
                                  timeout=30_000, animations="disabled")
            shot_path = str(target)
        except PlaywrightError as exc:
            if classify(exc) == "browser-crash":
                raise
            errors["screenshot"] = first_line(exc, 300)
            shot_height = None
    t_shot = time.perf_counter()
    size = VIEWPORTS[viewport]["viewport"]
    focus = reflow = motion = None
    if settings.PROBES:
        focus, reflow, motion = await _probes(page, viewport, size, errors)
    t_end = time.perf_counter()
    return Capture(
        url=url,
        final_url=page.url,
        http_status=status,
        mode=mode,
        viewport=viewport,
        viewport_size=(size["width"], size["height"]),
        document_size=tuple(data["document_size"]),
        title=data["title"][:500],
        lang=data["lang"],
        meta_viewport=data["meta_viewport"],
        meta_refresh=nav.refreshes[0] if nav.refreshes else data["meta_refresh"],
        meta_refreshes=nav.refreshes or ([data["meta_refresh"]] if data["meta_refresh"] else []),
        charset=data["charset"],
        text_runs=data["text_runs"],
        text_runs_truncated=data["text_runs_truncated"],
        interactive=data["interactive"],
        overlays=data["overlays"],
        iframes=data["iframes"],
        media=data["media"],
        links=data["links"],
        images=data["images"],
        scripts=data["scripts"],
        spacing=data["spacing"],
        focus=focus,
        reflow=reflow,
        motion=motion,
        network=recorder.network,
        console_errors=recorder.console_errors,
        dialogs=data["dialogs"],
        screenshot=shot_path,
        screenshot_height=shot_height,
        axe=axe,
        warnings=warnings,
        errors=errors,
        timings=Timings(
            navigation_ms=round((t_nav - t0) * 1000, 1),
            settle_ms=round((t_settle - t_nav) * 1000, 1),
            collect_ms=round((t_collect - t_settle) * 1000, 1),
            axe_ms=round((t_axe - t_collect) * 1000, 1),
            screenshot_ms=round((t_shot - t_axe) * 1000, 1),
            probes_ms=round((t_end - t_shot) * 1000, 1),
            total_ms=round((t_end - t0) * 1000, 1),
        ),
        chromium=chromium,
    )


async def _probes(
    page: Page, viewport: Viewport, size: dict[str, int], errors: dict[str, str]
) -> tuple[list[FocusStep] | None, Reflow | None, list[MovingElement] | None]:
    """Keyboard and zoom on desktop only (a phone has neither); motion on both."""
    focus: list[FocusStep] | None = None
    reflow: Reflow | None = None
    motion: list[MovingElement] | None = None
    if viewport == "desktop":
        try:
            focus = await probe_focus(page)
        except PlaywrightError as exc:
            _probe_failed(exc, "focus", errors)
        try:
            reflow = await probe_reflow(page, size["width"], size["height"])
        except PlaywrightError as exc:
            _probe_failed(exc, "reflow", errors)
    try:
        motion = await probe_motion(page)
    except PlaywrightError as exc:  # a timer that navigates away ends the probe
        _probe_failed(exc, "motion", errors)
    return focus, reflow, motion


def _probe_failed(exc: PlaywrightError, name: str, errors: dict[str, str]) -> None:
    if classify(exc) == "browser-crash":
        raise exc
    errors[name] = first_line(exc, 300)
