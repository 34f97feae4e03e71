"""When what a press set going has finished loading: the requests a page starts after a point.

The probes press things (an elder-mode toggle, a read-aloud button, a toolbar's opener) and must
then wait for the effect. The page's own timers are run ahead on its clock; what is left is the
network those timers and handlers started. Waiting until none of it is loading and nothing new
started for a short while ends the wait on the page's own signal, not on a fixed timer, so a
press that loads nothing costs that short while rather than the whole limit."""

from __future__ import annotations

import asyncio
import contextlib
import time

from playwright.async_api import BrowserContext, Page, Request
from playwright.async_api import Error as PlaywrightError

from elderscan.scanner.failures import context_gone
from elderscan.scanner.interact import PageError, run_clock

QUIET_MS = 300
"""real time without a request starting or ending that counts as settled"""
LOADING_MS = 3000
"""How long what a press set loading may take to arrive before the press is judged without it:
a vendor's read-aloud or care-mode script fetched on the first press (长者助手 and toolbar
loaders) comes from its own server, over a real network. A wait's limit stretches to this while
such a request is still on its way, and only then."""
CHANGES_PAGE = frozenset({"script", "stylesheet", "xhr", "fetch", "document"})
"""Resource types that can change the page once they arrive; an image, a font or a beacon
that never answers cannot, and does not stretch a wait."""

ANIMATIONS_JS = """() => new Promise((turn) => {
  if (typeof MessageChannel !== 'function') { turn(); return; }
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = () => turn(); port2.postMessage(null);
}).then(() => Promise.all(document.getAnimations()
  .filter((a) => a.playState === 'running' && a.effect
          && Number.isFinite(a.effect.getComputedTiming().endTime))
  .map((a) => a.finished.catch(() => null)))).then(() => null)"""
"""Resolves when the page's running CSS transitions and animations of finite length end (a
toggle that eases the text to its new size); a marquee or a spinner that never ends is not
waited for. The animations are read a task later (a message to itself: the page's clock does
not hold it back), so work the page already had queued, such as handling a response that has
just arrived, has run and started its transitions."""


async def animations_done(page: Page, limit_ms: int) -> None:
    """Until the transitions a press started have ended, at most `limit_ms`: a font size read
    in the middle of `transition: font-size .5s` is neither the old size nor the new one."""
    if limit_ms <= 0:
        return
    with contextlib.suppress(TimeoutError, PlaywrightError):  # a document replaced meanwhile
        await asyncio.wait_for(page.evaluate(ANIMATIONS_JS), limit_ms / 1000)


class Quiet:
    """Requests started since `mark()` that have not ended, and when the last one moved.
    Requests from before the mark (a load's own that never answer) do not hold the wait."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.loading: set[Request] = set()
        self.moved = time.monotonic()
        self.ended = 0
        """requests ended since the mark: a script that arrived may have set timers"""
        self.watching = False
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def mark(self) -> None:
        self.watching, self.moved, self.ended = True, time.monotonic(), 0
        self.loading.clear()

    def touch(self) -> None:
        """Something happened (the page's timers ran, a window opened): the quiet starts over."""
        self.moved = time.monotonic()

    def settled(self, quiet_ms: int = QUIET_MS) -> bool:
        return not self.loading and time.monotonic() - self.moved >= quiet_ms / 1000

    def loading_changes(self) -> bool:
        """A script, a style sheet, a fragment or a frame set loading since the mark has not
        arrived yet."""
        return any(request.resource_type in CHANGES_PAGE for request in self.loading)

    async def wait(self, limit_ms: int, quiet_ms: int = QUIET_MS) -> None:
        """Until `settled`, at most `limit_ms` from now."""
        deadline = time.monotonic() + limit_ms / 1000
        while not self.settled(quiet_ms) and (now := time.monotonic()) < deadline:
            # a look every 50 ms while something loads, else at the moment the quiet is due
            due = 0.05 if self.loading else max(self.moved + quiet_ms / 1000 - now, 0.005)
            await asyncio.sleep(min(due, 0.05, deadline - now))

    def _started(self, request: Request) -> None:
        if self.watching:
            self.loading.add(request)
            self.moved = time.monotonic()

    def _ended(self, request: Request) -> None:
        if request in self.loading:
            self.loading.discard(request)
            self.moved = time.monotonic()
            self.ended += 1

    def detach(self) -> None:
        """Stop listening: the page goes on to other work."""
        for event, handler in (("request", self._started), ("requestfinished", self._ended),
                               ("requestfailed", self._ended)):
            self.page.remove_listener(event, handler)


class PageTime:
    """A wait of `limit_ms` on a page on its clock: the page's timers due in it are run at
    once, and again in the time left whenever a request watched by `quiet` has ended since (a
    script that arrived may have set timers of its own), at most `rounds` times (None: no
    bound); each run starts the quiet over, so at least `QUIET_MS` of real time follows it.
    The page's time in all stays within the real time the wait lasts: `limit_ms`, or up to
    `LOADING_MS` once `stretch` finds a script or style sheet still on its way."""

    def __init__(self, page: Page, quiet: Quiet, limit_ms: int, page_error: PageError,
                 rounds: int | None = 3) -> None:
        self.page, self.quiet, self.page_error = page, quiet, page_error
        self.limit_ms, self.rounds = limit_ms, rounds
        self.start = time.monotonic()
        self.deadline = self.start + limit_ms / 1000
        self.runs = 0
        self.ended = -1

    def left_ms(self) -> int:
        return int((self.deadline - time.monotonic()) * 1000)

    def stretch(self) -> bool:
        """At the limit, with something that can change the page (`CHANGES_PAGE`) still on its
        way, move the limit to `LOADING_MS` from the start, once; whether it moved."""
        longest = self.start + LOADING_MS / 1000
        if self.left_ms() > 0 or self.deadline >= longest or not self.quiet.loading_changes():
            return False
        self.deadline = longest
        return True

    async def run_if_due(self) -> bool:
        """Run the page's timers ahead if a run is due; whether one was."""
        if self.quiet.ended == self.ended or (self.rounds is not None
                                              and self.runs >= self.rounds):
            return False
        if self.runs and self.left_ms() <= 0:
            return False
        ahead = self.left_ms() if self.runs else self.limit_ms
        self.runs, self.ended = self.runs + 1, self.quiet.ended
        await run_ahead(self.page, max(ahead, 0), self.page_error)
        self.quiet.touch()
        return True


async def clocked_page(ctx: BrowserContext) -> Page:
    """A page on the page clock, as in the capture: waits for the page's own timers (the
    settle after load, what a press schedules) are run ahead rather than waited out."""
    await ctx.clock.install()
    return await ctx.new_page()


async def after_press(page: Page, quiet: Quiet, page_error: PageError, limit_ms: int) -> None:
    """Let a press take effect: the page's timers due in `limit_ms` run at once, then real
    time until what they set loading has arrived (`quiet`, marked before the press) and the
    transitions it started have ended, all within `limit_ms` (`LOADING_MS` while a script or
    style sheet it set loading is on its way). A press that replaced the document is waited
    for by the caller's load wait."""
    timers = PageTime(page, quiet, limit_ms, page_error)
    while await timers.run_if_due() or timers.stretch():
        await quiet.wait(timers.left_ms())
    await animations_done(page, timers.left_ms())


async def run_ahead(page: Page, ms: int, page_error: PageError) -> None:
    """The page's timers `ms` ahead; a press that replaced the document has none to run."""
    try:
        await run_clock(page, ms, page_error)
    except PlaywrightError as exc:
        if not context_gone(exc):
            raise
