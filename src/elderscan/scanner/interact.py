"""Probes that interact with a loaded page: keyboard focus, 200 % zoom, self-moving content.

They run after the main capture (and its screenshot), because each one changes the page:
Tab moves focus and scrolls, the zoom probe relayouts, and the motion probe fast-forwards the
page's timers with Playwright's clock, so twelve seconds of a carousel take milliseconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, ViewportSize

from elderscan.capture import FocusStep, MovingElement, Reflow
from elderscan.scanner.failures import context_gone
from elderscan.scanner.page_scripts import FOCUS, MOTION, REFLOW

TIMER_FRAME = "ClockController._callFirstTimer"
"""In the stack of an exception that a page's own timer callback threw while the clock ran."""
PageError = Callable[[str], None]
"""Records an exception the page threw (the recorder's console errors)."""

FOCUS_STEPS = 20
MOTION_SECONDS = 12
MOTION_STEP_MS = 1000
LEAVING_S = 3.0
"""How long a document that began to navigate away may take to be replaced before it counts as
staying (a 204, a download, a navigation a script intercepted). It was 6 s for a while: at 3 s
a navigation answered 204 by a local server was judged as leaving in 1 of 5 whole test runs,
which the last question's share of the window explained (`ANSWER_S`, since fixed). Back at 3 s,
the pages that stay passed 24 of 24 times with four busy loops on 2 cores. It costs time only
on a page whose navigation neither lands nor ends."""
ANSWER_S = 2.0
"""The least time a question to a document that may be leaving has to be answered in."""


async def probe_focus(page: Page, steps: int = FOCUS_STEPS) -> list[FocusStep]:
    """Real Tab presses (script focus does not trigger :focus-visible the same way). The page
    records each focused element's look as focus arrives, so the presses need not wait for one
    another or ask where focus went: they are sent at once and Chromium handles them in order
    (20 presses: ~1,070 → ~270 ms on a busy machine)."""
    count = await FOCUS(page, "base")
    await asyncio.gather(*(page.keyboard.press("Tab") for _ in range(min(steps, int(count)))))
    found: list[FocusStep] = []
    seen: set[str] = set()
    for step in await FOCUS(page, "steps"):
        if step["selector"] in seen:  # focus wrapped around to the start
            break
        seen.add(step["selector"])
        found.append(FocusStep(**step))
        if len(found) >= steps:
            break
    return found


RESIZE_S = 2.0
"""How long the page may take to dispatch `resize` once its viewport has a new size."""
ARM_RESIZE_JS = """(width) => {
  window.__elderscanResized = new Promise((done) => {
    const seen = () => {
      if (window.innerWidth !== width) return;  // one for an earlier size, still on its way
      window.removeEventListener('resize', seen);
      done(true);
    };
    window.addEventListener('resize', seen);
  });
}"""
RESIZED_JS = "() => window.__elderscanResized"
RESIZE_SETTLE_MS = 500
"""Page time run ahead after `resize`: a handler that waits for the resizing to end (a
`setTimeout` of 100–300 ms is the usual debounce) lays the page out within it."""


async def _resize(page: Page, size: ViewportSize, page_error: PageError) -> None:
    """Give the page `size`, wait until it has dispatched `resize` for it (at most `RESIZE_S`
    each to listen and to hear: a page that draws no frame, or one on its way to another
    document, is measured as it is), then run its timers `RESIZE_SETTLE_MS` ahead."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(page.evaluate(ARM_RESIZE_JS, size["width"]), RESIZE_S)
    await page.set_viewport_size(size)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(page.evaluate(RESIZED_JS), RESIZE_S)
    await run_clock(page, RESIZE_SETTLE_MS, page_error)


async def probe_reflow(page: Page, width: int, height: int, page_error: PageError) -> Reflow:
    """Halve the viewport: a 200 % zoom lays the page out in half as many CSS pixels.

    The page is measured once it has dispatched `resize`, as a zooming reader's page would be:
    a portal's script that lays its menus out again on `resize` has run. Chromium dispatches
    it with the next frame, not when the size is set, and the page's `requestAnimationFrame`
    is the installed clock's, so one "frame" waited through it was no frame: the handlers had
    not run in 14 of 100 tries on an idle machine, and the size was restored before they
    could, so they never ran. The page's timers are then run a little ahead for handlers that
    wait for the resizing to end. The restore is waited for the same way, so the probes after
    this one see the page as its handlers left it at full size."""
    zoomed: ViewportSize = {"width": width // 2, "height": height // 2}
    await _resize(page, zoomed, page_error)  # its clock run takes the page's animation frames
    try:
        data = await REFLOW(page)
    finally:
        await _resize(page, {"width": width, "height": height}, page_error)
    return Reflow(viewport_width=zoomed["width"], **data)


async def _stays(page: Page) -> bool:
    """Whether a document that began a navigation is still there `LEAVING_S` later. While the
    navigation is under way the browser holds questions to the page until the next document
    arrives, so a question that is not answered in time means it is leaving.

    The page is asked at least once, and every question gets at least `ANSWER_S`: the last one
    asked before the deadline once got only the milliseconds left of it, so a busy machine's
    slow answer counted as leaving (a page that stayed was found leaving in 1 of 150 tries on
    a loaded machine). A page that stays costs `LEAVING_S` and its last answer (at most
    `ANSWER_S` more)."""
    deadline = time.monotonic() + LEAVING_S
    while True:
        left = deadline - time.monotonic()
        try:
            here = await asyncio.wait_for(
                page.evaluate("() => !!window.__elderscanMotion"), max(left, ANSWER_S))
        except TimeoutError:
            return False
        except PlaywrightError as exc:
            if context_gone(exc):
                return False
            raise
        if not here:
            return False
        if time.monotonic() >= deadline:
            return True
        await asyncio.sleep(0.1)


class DocumentReplaced(Exception):
    """The page went to another document mid-probe (a timed redirect): what was watched is
    gone, and the new document was not watched. Its argument is the address it left."""


def thrown_by_page(exc: PlaywrightError) -> str | None:
    """The page's own exception, when one of its timers threw while the clock ran it (a
    RequireJS "Load timeout for modules", a ticker that fails on its third tick); None for an
    error of the driver or the browser (a context gone, a crash), which the caller handles."""
    text = str(exc)
    if TIMER_FRAME not in text:
        return None
    first = text.split("\n", 1)[0]
    return first.split(": ", 1)[1] if first.startswith("Clock.") and ": " in first else first


async def run_clock(page: Page, ms: int, page_error: PageError) -> None:
    """Run the page's timers `ms` ahead. Playwright runs every timer due and then raises the
    first exception one of them threw: that exception is the page's, recorded as its console
    error, and the run is complete, so the probe goes on."""
    try:
        await page.clock.run_for(ms)
    except PlaywrightError as exc:
        thrown = thrown_by_page(exc)
        if thrown is None:
            raise
        page_error(f"uncaught: {thrown[:500]}")


async def probe_motion(page: Page, page_error: PageError, seconds: int = MOTION_SECONDS,
                       step_ms: int = MOTION_STEP_MS) -> list[MovingElement]:
    """Watch which boxes change while the page's own timers run for `seconds`.

    One clock step for the whole window, the steps counted by an interval on the same clock:
    each `run_for` costs a round trip and leaves an init script in the context that every later
    document of the tab replays (12 a page, when it was a step a second)."""
    watched = page.url
    await MOTION(page, {"mode": "start", "stepMs": step_ms})
    await run_clock(page, seconds * 1000, page_error)
    raw = await MOTION(page, "end")
    if isinstance(raw, dict):  # the document began to go elsewhere while it was watched
        if not await _stays(page):
            raise DocumentReplaced(watched)
        raw = raw["items"]
    if raw is None:  # the watcher is gone with the document it watched
        raise DocumentReplaced(watched)
    window = float(seconds * 1000)
    return [MovingElement(**{**item, "window_ms": window}) for item in raw or []]
