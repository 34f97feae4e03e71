"""Capture one page in one viewport: load it, let it settle, collect, run axe, screenshot.

Everything that can go wrong on a hostile or broken page ends as a `PageFailure` with a reason
code, never as an exception out of here (except a browser crash, which the caller retries on a
fresh browser so no page is lost).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import math
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from playwright.async_api import ConsoleMessage, Dialog, Page, Request, Response
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from elderscan.capture import (
    Anchor,
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
    unmasked_screenshot,
)
from elderscan.errors import first_line
from elderscan.scanner.axe import run_axe
from elderscan.scanner.browser import VIEWPORTS, BrowserPool
from elderscan.scanner.interact import (
    DocumentReplaced,
    PageError,
    probe_focus,
    probe_motion,
    probe_reflow,
    run_clock,
)
from elderscan.scanner.snippets import snippet_pass
from elderscan.scanner.unmasked import unmasked_shot
from elderscan.settings import ScanSettings

COLLECT_JS = resources.files("elderscan.scanner").joinpath("js/collect.js").read_text("utf-8")
_COLLECT_AS_JSON = f"(opts) => JSON.stringify(({COLLECT_JS.strip().rstrip(';')})(opts))"
"""The DOM pass returns one JSON string: Playwright validates and converts an object tree value
by value in Python (≈ 0.3 s of CPU for a portal page's thousands of text runs), a string once."""
FREEZE_JS = resources.files("elderscan.scanner").joinpath("js/freeze.js").read_text("utf-8")
ANCHORS_JS = resources.files("elderscan.scanner").joinpath("js/anchors.js").read_text("utf-8")
IMAGES_READY_JS = (resources.files("elderscan.scanner").joinpath("js/images_ready.js")
                   .read_text("utf-8"))
IMAGES_READY_S = 5.0
"""How long a screenshot waits for the images it will show (see js/images_ready.js)."""
MAX_NETWORK_ENTRIES = 2000
MAX_TEXT_RUNS = 5000
MAX_INTERACTIVE = 3000
SHOT_PAD_PX = 16
"""below the lowest text over an image, beyond its font size: covers the pixel check's margin"""
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
OUT_OF_MEMORY = "the page's renderer crashed (out of memory, or killed by the memory guard)"
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
        self.page_error(f"uncaught: {str(error)[:500]}")

    def page_error(self, text: str) -> None:
        """An exception the page threw: from an event (Chromium reports it) or from a timer
        the clock ran (`interact.run_clock` hands it over)."""
        if len(self.console_errors) < 100:
            self.console_errors.append(text)

    def _on_crash(self, _page: Page) -> None:
        self.crashed = True

    def detach(self) -> None:
        """Stop listening: the tab goes on to another page, which gets its own recorder."""
        for event, handler in (("response", self._on_response),
                               ("requestfailed", self._on_failed),
                               ("console", self._on_console), ("pageerror", self._on_pageerror),
                               ("crash", self._on_crash), ("dialog", _dismiss)):
            self.page.remove_listener(event, handler)


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
    host_slot: HostSlot | None = None,
    tab_key: str | None = None,
) -> Capture | PageFailure:
    """Capture `url`, or say why not. Raises `BrowserCrashed` only when Chromium itself died.

    With a `tab_key` (one per site crawl) the page may be captured in a tab that captured
    another page of the same crawl before, its cookies and storage cleared (see `BrowserPool`).

    `host_slot` is held while the page loads (the politeness limit on requests to one host),
    not while it settles and is measured, so more pages can be in the works than are loading."""

    def failure(reason: str, message: str, status: int | None = None,
                final: str | None = None) -> PageFailure:
        return PageFailure(url=url, final_url=final, http_status=status, mode=mode,
                           viewport=viewport, reason=reason, message=message)

    recorder: PageRecorder | None = None
    kills = pool.memory_kills
    try:
        async with pool.tab(viewport, tab_key) as tab:
            page = tab.page
            if settings.PROBES and not tab.clock_installed:
                await page.clock.install()
                tab.clock_installed = True
            recorder = PageRecorder(page)
            tab.reusable = False  # until the capture ends in a state worth keeping
            try:
                async with asyncio.timeout(settings.PAGE_TIMEOUT):
                    capture = await _capture(page, recorder, url, viewport, mode, settings,
                                             screenshot_dir, pool.version, host_slot)
                tab.reusable = True
                return capture
            except TimeoutError:
                status = recorder.main_response.status if recorder.main_response else None
                if recorder.crashed or pool.ran_out_of_memory(kills):
                    return failure("crash", OUT_OF_MEMORY, status)
                return failure("timeout", f"page not captured within {settings.PAGE_TIMEOUT:g}s "
                               "(a script that never yields, or a page that never loads)", status)
            except PageFailed as failed:
                # Judged before the context closes: the renderer is still there to be measured.
                if failed.reason == "timeout" and (recorder.crashed
                                                   or pool.ran_out_of_memory(kills)):
                    raise PageFailed("crash", OUT_OF_MEMORY, failed.status,
                                     failed.final_url) from None
                tab.reusable = failed.reason in REUSABLE_AFTER
                raise
            finally:
                recorder.detach()
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
            message = OUT_OF_MEMORY
        return failure(reason, message)


REUSABLE_AFTER = frozenset({"http", "not-html", "redirect"})
"""Failures after which a tab goes on to the site's next page: the page answered, it was just
not one to capture. After a timeout or a crash the tab is closed."""
HostSlot = Callable[[], AbstractAsyncContextManager[None]]
REAL_SETTLE_MS = 200
"""Real time left after the page's timers were run ahead: network and rendering they caused."""


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


async def settle(page: Page, settings: ScanSettings, fake_clock: bool,
                 page_error: PageError) -> None:
    """Give late pop-ups their `SETTLE_MS` after load. With the page's clock installed, the
    timers due in that time are run at once (a pop-up shown by `setTimeout(show, 800)` appears
    in milliseconds), then a short real wait lets what they started — a fetch, an image, a
    render — finish. Without it (probes off), the page's own time has to pass. An exception
    a timer throws meanwhile is the page's (`page_error`), not a failed capture."""
    if not fake_clock:
        await asyncio.sleep(settings.SETTLE_MS / 1000)
        return
    await run_clock(page, settings.SETTLE_MS, page_error)
    await asyncio.sleep(min(settings.SETTLE_MS, REAL_SETTLE_MS) / 1000)


async def navigate(page: Page, recorder: PageRecorder, url: str,
                   settings: ScanSettings, host_slot: HostSlot | None = None, *,
                   fake_clock: bool = False) -> Navigation:
    """Load `url` and let it settle; raises `PageFailed` for pages that cannot be captured.
    `fake_clock`: the page's clock was installed before the load (see `settle`)."""
    t0 = time.perf_counter()
    warnings: list[str] = []
    try:
        async with host_slot() if host_slot else contextlib.nullcontext():
            response = await page.goto(url, wait_until="load",
                                       timeout=settings.LOAD_TIMEOUT * 1000)
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
        await settle(page, settings, fake_clock, recorder.page_error)
    if page.url.startswith(ERROR_PAGE):
        failed = _failed_redirect()
        raise PageFailed(failed.reason, failed.message, status, page.url)
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
    host_slot: HostSlot | None = None,
) -> Capture:
    nav = await navigate(page, recorder, url, settings, host_slot, fake_clock=settings.PROBES)
    return await collect(page, recorder, nav, url, viewport, mode, settings, screenshot_dir,
                         chromium)


async def _collect_pass(page: Page, settings: ScanSettings,
                        warnings: list[str]) -> dict[str, Any]:
    """The DOM pass; a page that replaces itself (meta refresh, script redirect) is followed.

    Each new document destroys the pass's context, and `page.url` may still name the old one
    for a moment, so the document's own URL is asked for before the pass is tried again. A
    target that fails to load shows Chromium's error page, which reloads itself on a timer:
    that is a failed redirect at once, not something to wait out."""
    options = {"maxTextRuns": MAX_TEXT_RUNS, "maxInteractive": MAX_INTERACTIVE}
    deadline = time.monotonic() + settings.LOAD_TIMEOUT
    moves = 0
    while True:
        try:
            data: dict[str, Any] = json.loads(await page.evaluate(_COLLECT_AS_JSON, options))
            if str(data.get("document_url", "")).startswith(ERROR_PAGE):
                raise _failed_redirect()
            return data
        except PlaywrightError as exc:
            if not context_gone(exc):
                raise
            moves += 1
            if moves > MAX_SELF_NAVIGATIONS or time.monotonic() > deadline:
                raise PageFailed("redirect", "the page kept navigating by itself "
                                 f"({moves} times) and never held still to be measured",
                                 None, page.url) from exc
        current = await _settled_url(page, deadline)
        if current is None:
            continue  # replaced again meanwhile
        if current.startswith(ERROR_PAGE):
            raise _failed_redirect()
        if moves == 1:
            warnings.append(f"the page navigated by itself to {current}; captured that page")


MAX_SELF_NAVIGATIONS = 8
ERROR_PAGE = "chrome-error:"


def context_gone(exc: PlaywrightError) -> bool:
    return "Execution context was destroyed" in str(exc)


def _failed_redirect() -> PageFailed:
    return PageFailed("redirect", "the page sent the browser on to a page that failed to load "
                      "(meta refresh or script redirect)")


async def _settled_url(page: Page, deadline: float) -> str | None:
    """The URL of the document that replaced the page once it has loaded; None when that one
    was replaced too before it could answer."""
    with contextlib.suppress(PlaywrightError):
        await page.wait_for_load_state(
            "load", timeout=max(0.1, deadline - time.monotonic()) * 1000)
    try:
        url: str = await page.evaluate("document.URL")
    except PlaywrightError as exc:
        if not context_gone(exc):
            raise
        await asyncio.sleep(0.05)
        return None
    return url


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
            axe = await run_axe(page, settings.AXE_TIMEOUT, settings.AXE_LOCALE)
        except Exception as exc:
            if isinstance(exc, PlaywrightError) and classify(exc) == "browser-crash":
                raise
            errors["axe"] = first_line(exc, 300)
    t_axe = time.perf_counter()
    anchors: dict[str, Anchor] = {}
    snippets: dict[str, str] = {}
    anchors_ms = await _anchor_pass(page, _axe_selectors(axe, page.url), anchors, errors,
                                    registry=True, snippets=snippets)
    t_anchors = time.perf_counter()
    shot_path: str | None = None
    shot_height = _shot_height(data, settings) if screenshot_dir is not None else None
    if screenshot_dir is not None and shot_height is not None:
        width = VIEWPORTS[viewport]["viewport"]["width"]
        target = screenshot_dir / screenshot_name(url, viewport, mode)
        height = shot_height
        await _images_ready(page, height, warnings)

        async def shoot(path: Path) -> None:
            if VIEWPORTS[viewport]["has_touch"]:
                # Playwright turns touch emulation back on after a capture beyond the
                # viewport (Chromium drops it); its own screenshot does that right.
                await page.screenshot(path=str(path), full_page=True, scale="css",
                                      type="png", timeout=30_000, animations="disabled",
                                      clip={"x": 0, "y": 0, "width": width, "height": height})
            else:
                await asyncio.wait_for(_screenshot(page, path, width, height), 30)

        try:
            await shoot(target)
            shot_path = str(target)
            await unmasked_shot(page, data["overlays"], unmasked_screenshot(target), shoot,
                                warnings)
        except TimeoutError:
            errors["screenshot"] = "the screenshot took longer than 30s"
            shot_height = None
        except PlaywrightError as exc:
            if classify(exc) == "browser-crash":
                raise
            errors["screenshot"] = first_line(exc, 300)
            shot_height = None
    t_shot = time.perf_counter()
    size = VIEWPORTS[viewport]["viewport"]
    focus = reflow = motion = None
    if settings.PROBES:
        focus, reflow, motion = await _probes(page, viewport, size, errors,
                                              recorder.page_error)
        probed = [step.selector for step in focus or []]
        probed += [clip.selector for clip in reflow.clipped] if reflow else []
        probed += [moving.selector for moving in motion or []]
        anchors_ms += await _anchor_pass(page, [p for p in probed if p not in anchors], anchors,
                                         errors, snippets=snippets)
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
        anchors=anchors,
        snippets=snippets,
        warnings=warnings,
        errors=errors,
        timings=Timings(
            navigation_ms=round((t_nav - t0) * 1000, 1),
            settle_ms=round((t_settle - t_nav) * 1000, 1),
            collect_ms=round((t_collect - t_settle) * 1000, 1),
            axe_ms=round((t_axe - t_collect) * 1000, 1),
            screenshot_ms=round((t_shot - t_anchors) * 1000, 1),
            probes_ms=round((t_end - t_shot) * 1000, 1),
            anchors_ms=round(anchors_ms, 1),
            total_ms=round((t_end - t0) * 1000, 1),
        ),
        chromium=chromium,
    )


def _shot_height(data: dict[str, Any], settings: ScanSettings) -> int | None:
    """How far down from the page's top the screenshot reaches, or None for no screenshot.

    A whole page costs about a fifth of a capture on a portal page (raster and encode of a
    1280 × 4000 px image). Only the pixel contrast check reads it when nobody keeps the file,
    and only around text over images and gradients."""
    whole = max(1, min(int(data["document_size"][1]), settings.SCREENSHOT_MAX_HEIGHT))
    if settings.SCREENSHOT_SCOPE == "page":
        return whole
    # the box, then the margin ring the check reads (a quarter of the font size, ≥ 4 px)
    bottoms = [run["box"][1] + run["box"][3] + run["font_px"] + SHOT_PAD_PX
               for run in data["text_runs"] if run["over_image"]]
    return min(whole, max(1, math.ceil(max(bottoms)))) if bottoms else None


async def _images_ready(page: Page, height: int, warnings: list[str]) -> None:
    """Let the images in the top `height` px finish loading before they are photographed: a
    background image may still be on its way after the load event, and text judged against
    the colour beneath it would get the wrong verdict (5 to 23 of 300 captures of
    `gov-image-text` with both cores busy and no settle wait; none of 300 with this wait). A
    page whose images never arrive is shot as it is, with a warning."""
    try:
        await asyncio.wait_for(page.evaluate(IMAGES_READY_JS, height), IMAGES_READY_S)
    except TimeoutError:
        warnings.append(f"images under the screenshot had not loaded within "
                        f"{IMAGES_READY_S:g}s; shot as they were")
    except PlaywrightError as exc:
        if classify(exc) == "browser-crash":
            raise
        warnings.append(f"could not wait for the page's images: {first_line(exc, 200)}")


async def _screenshot(page: Page, target: Path, width: int, height: int) -> None:
    """The page from its top, `width` x `height` CSS px, as PNG (a viewport without touch and
    at device scale 1).

    Straight through the DevTools protocol rather than `page.screenshot`: Chromium's
    `optimizeForSpeed` encoding takes ~280 ms where the default takes ~440 ms (median of 20
    corpus pages), and the pixels are the same (a lossless PNG either way, only less packed).
    A shot that lies inside the unscrolled viewport is taken without `captureBeyondViewport`,
    which would resize the view to the whole page and lay it out again (the same pixels, ~37 ms
    less CPU a shot on the benchmark corpus)."""
    session = await page.context.new_cdp_session(page)
    try:
        frozen = await page.evaluate(FREEZE_JS, "freeze")
        try:
            shot = await session.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": not _in_viewport(frozen, width, height),
                "optimizeForSpeed": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
        finally:
            await page.evaluate(FREEZE_JS, "thaw")
    finally:
        with contextlib.suppress(PlaywrightError):
            await session.detach()
    await asyncio.to_thread(target.write_bytes, base64.b64decode(shot["data"]))


def _in_viewport(frozen: Any, width: int, height: int) -> bool:
    """Whether the top `width` x `height` CSS px of the page are all on screen (`frozen`:
    what freeze.js reports)."""
    if not isinstance(frozen, dict):
        return False
    scroll, viewport = frozen.get("scroll") or [1, 1], frozen.get("viewport") or [0, 0]
    return bool(scroll[0] == 0 and scroll[1] == 0 and width <= viewport[0]
                and height <= viewport[1])


def _axe_selectors(axe: AxeResults | None, main_url: str) -> list[str]:
    """axe-core's targets in the main frame (a frame's selectors mean nothing in the main
    document, so those stay unanchored)."""
    if axe is None:
        return []
    return list(dict.fromkeys(node.target[0] for rule in (*axe.violations, *axe.incomplete)
                              for node in rule.nodes if node.target and node.frame_url == main_url))


async def _anchor_pass(page: Page, selectors: list[str], anchors: dict[str, Anchor],
                       errors: dict[str, str], *, registry: bool = False,
                       snippets: dict[str, str] | None = None) -> float:
    """Anchors for `selectors`, and with `registry` for every selector the DOM pass handed out
    (into `anchors`); returns the milliseconds it took.

    Right after axe-core, before the probes move the clock and the viewport, so the text read
    is the text the checks judged. A failure costs the anchors (findings fall back to their
    selector for identity), never the page.
    """
    if not selectors and not registry:
        return 0.0
    started = time.perf_counter()
    try:
        raw = json.loads(await page.evaluate(ANCHORS_JS, {"selectors": selectors,
                                                          "registry": registry}))
        anchors.update({sel: Anchor(**value) for sel, value in raw["anchors"].items()})
    except PlaywrightError as exc:
        if classify(exc) == "browser-crash":
            raise
        errors["anchors"] = first_line(exc, 300)
    if snippets is not None:  # the same elements' HTML, for the reports' fix help
        try:
            await snippet_pass(page, selectors, snippets, registry=registry)
        except PlaywrightError as exc:
            if classify(exc) == "browser-crash":
                raise
            errors["snippets"] = first_line(exc, 300)
    return (time.perf_counter() - started) * 1000


async def _probes(
    page: Page, viewport: Viewport, size: dict[str, int], errors: dict[str, str],
    page_error: PageError,
) -> tuple[list[FocusStep] | None, Reflow | None, list[MovingElement] | None]:
    """Keyboard and zoom on desktop only (a phone has neither); motion on both. What the page
    throws meanwhile (on focus, keydown, resize, from its timers) is its console error; only a
    probe that could not finish (the page navigated away mid-probe) leaves an error here."""
    focus: list[FocusStep] | None = None
    reflow: Reflow | None = None
    motion: list[MovingElement] | None = None
    if viewport == "desktop":
        try:
            focus = await probe_focus(page)
        except PlaywrightError as exc:
            _probe_failed(page, exc, "focus", errors)
        try:
            reflow = await probe_reflow(page, size["width"], size["height"])
        except PlaywrightError as exc:
            _probe_failed(page, exc, "reflow", errors)
    try:
        motion = await probe_motion(page, page_error)
    except (PlaywrightError, DocumentReplaced) as exc:  # a timer that navigates away ends it
        _probe_failed(page, exc, "motion", errors)
    return focus, reflow, motion


def _probe_failed(page: Page, exc: PlaywrightError | DocumentReplaced, name: str,
                  errors: dict[str, str]) -> None:
    """A probe that could not finish: said in words a site owner can act on when the page
    went elsewhere by itself (a timed redirect), else the driver's first line."""
    if isinstance(exc, PlaywrightError) and classify(exc) == "browser-crash":
        raise exc
    if (isinstance(exc, DocumentReplaced) or context_gone(exc)
            or "navigat" in str(exc).lower()):
        errors[name] = (f"the page left {page.url[:300]} by itself during the {name} probe "
                        "(a script redirect or reload on a timer), so it could not be watched")
        return
    errors[name] = first_line(exc, 300)
