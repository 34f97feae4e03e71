"""Load a page and let it settle: the first step of every capture and of every probe that
reloads the home page. A page that cannot be captured ends here as `PageFailed`."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from elderscan.scanner.failures import ERROR_PAGE, PageFailed, failed_redirect
from elderscan.scanner.interact import PageError, run_clock
from elderscan.scanner.recorder import PageRecorder
from elderscan.settings import ScanSettings

HTML_TYPES = ("text/html", "application/xhtml+xml")
HostSlot = Callable[[], AbstractAsyncContextManager[None]]
REAL_SETTLE_MS = 200
"""Real time left after the page's timers were run ahead: network and rendering they caused."""


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
        failed = failed_redirect()
        raise PageFailed(failed.reason, failed.message, status, page.url)
    return Navigation(status=status, started=t0, loaded=t_nav, warnings=warnings,
                      refreshes=recorder.refreshes or [])
