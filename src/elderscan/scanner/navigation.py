"""Load a page and let it settle: the first step of every capture and of every probe that
reloads the home page. A page that cannot be captured ends here as `PageFailed`."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request, Response
from playwright.async_api import TimeoutError as PlaywrightTimeout

from elderscan.scanner.botcheck import REFUSED_AGAIN, looks_like_bot_check
from elderscan.scanner.failures import ERROR_PAGE, PageFailed, failed_redirect, reraise_crash
from elderscan.scanner.fetch import HTML_TYPES
from elderscan.scanner.interact import PageError, run_clock
from elderscan.scanner.quiet import Quiet, animations_done
from elderscan.scanner.recorder import PageRecorder
from elderscan.scanner.splash import go_through
from elderscan.settings import ScanSettings
from elderscan.urls import page_address, same_site

BOT_CHECK_S = 5.0
"""How long a page that answered with an error may take to pass its bot check (its script
loading the same address again and getting the page): 瑞数 and 加速乐 take well under 2 s."""
BOT_CHECK_IDLE_S = 1.5
"""How long such a page may go without loading its address again before it is taken for the
error page it says it is (its timers meanwhile run 7.5 s ahead on the page's clock)."""
REFUSALS = 3
"""Error answers to a tab's documents in one load that make it a refusal: a check's page, its
reload, and the reload refused again."""
STOP_MS = 3000
"""How long stopping a refused check's reloads (a blank page) may take."""
BOT_CHECK_CLOCK_MS = 500
"""How far the page's timers are run ahead on each look (every 0.1 s) while it checks."""
HostSlot = Callable[[], AbstractAsyncContextManager[None]]
REAL_SETTLE_MS = 200
"""Real time at most after the page's timers were run ahead: network and rendering they caused."""
SETTLE_QUIET_MS = 50
"""How long after the timers ran (or the last request they caused moved) nothing may start or
end for the settle to be over. A request a timer starts is announced to Playwright before the
answer to the next question to the page (the same DevTools session, in order), and the style
flush of `animations_done` starts the images a new element's CSS names, so 50 ms is a margin for
a busy machine, not a guess at a server's speed: a request that started is waited for, within
`REAL_SETTLE_MS`."""
STALL_MS = 3000
"""How long nothing may arrive, with only other sites' requests still open, before the load
event is given up for (see `_Loading`). pa11y's `networkidle2` and Lighthouse's network quiet
give up on up to two open requests after 0.5 and 1 s."""


class _Loading(Quiet):
    """The requests of a page being loaded that have not ended, and when one last moved.

    Real portals embed statistics, share and ad hosts that accept a connection and never
    answer; the load event then waits for the whole load timeout, on the page and again on
    every probe that loads it. Once the document is parsed and only requests to other sites
    are open with nothing arriving for `STALL_MS`, the page is as loaded as it will get."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.mark()  # every request of the load
        self.answered: set[Request] = set()
        """open requests whose response has begun: downloading, not stalled"""
        self.refusals: list[int] = []
        """the error statuses of the tab's documents so far (a bot check's reloads)"""
        self.refused_again = asyncio.Event()
        page.on("response", self._answered)

    def _answered(self, response: Response) -> None:
        self.answered.add(response.request)
        self.touch()
        request = response.request
        if (response.status >= 400 and request.is_navigation_request()
                and request.frame == self.page.main_frame):
            self.refusals.append(response.status)
            if len(self.refusals) >= REFUSALS:
                self.refused_again.set()

    def _ended(self, request: Request) -> None:
        super()._ended(request)
        self.answered.discard(request)

    def stalled_on(self) -> list[str]:
        """The other sites' hosts the load waits for, once it has stalled on nothing else:
        every open request is to another site and has had no answer at all (a large image or
        a font still downloading from a CDN is not stalled)."""
        if not self.loading or time.monotonic() - self.moved < STALL_MS / 1000:
            return []
        if self.answered or any(same_site(r.url, self.page.url) for r in self.loading):
            return []
        return sorted({urlsplit(r.url).netloc for r in self.loading})

    async def load(self, timeout_s: float) -> list[str]:
        """Until the load event ([] then) or a stall (the hosts it stalled on); raises
        Playwright's timeout when neither comes within `timeout_s`."""
        load = asyncio.ensure_future(
            self.page.wait_for_load_state("load", timeout=max(timeout_s, 0.001) * 1000))
        try:
            while not load.done():
                if hosts := self.stalled_on():
                    return hosts
                await asyncio.wait({load}, timeout=0.1)
            load.result()
            return []
        finally:
            if not load.done():
                load.cancel()
                with contextlib.suppress(BaseException):
                    await load

    def detach(self) -> None:
        super().detach()
        self.page.remove_listener("response", self._answered)


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
    in milliseconds), then real time lets what they started finish: the requests (a fetch, an
    image), the transitions (a pop-up fading in), at most `REAL_SETTLE_MS`. Without the clock
    (probes off), the page's own time has to pass. A response that arrives in the real wait
    may start a transition of its own (a fetched pop-up fading in), so the transitions are
    waited for again after any request has ended. An exception a timer throws meanwhile is
    the page's (`page_error`), not a failed capture.

    The real wait ends on the page's signal: it was a fixed 200 ms, a fifth of a corpus page's
    time at concurrency 1, in which most pages start nothing (see `SETTLE_QUIET_MS`)."""
    if not fake_clock:
        await asyncio.sleep(settings.SETTLE_MS / 1000)
        return
    limit_ms = min(settings.SETTLE_MS, REAL_SETTLE_MS)
    quiet = Quiet(page)
    try:
        quiet.mark()
        await run_clock(page, settings.SETTLE_MS, page_error)
        quiet.touch()
        deadline = time.monotonic() + limit_ms / 1000
        seen = -1
        while quiet.ended != seen and (left := int((deadline - time.monotonic()) * 1000)) > 0:
            seen = quiet.ended  # a response that ended since may start a transition
            await animations_done(page, left)
            await quiet.wait(int((deadline - time.monotonic()) * 1000), SETTLE_QUIET_MS)
    finally:
        quiet.detach()


def _media(response: Response) -> str:
    return (response.headers.get("content-type") or "").split(";")[0].strip().lower()


def _html(response: Response) -> bool:
    media = _media(response)
    return media == "" or media in HTML_TYPES


async def _past_bot_check(page: Page, recorder: PageRecorder, first: Response,
                          settings: ScanSettings, fake_clock: bool) -> Response | None:
    """The answer the page's own script got when it loaded the same address again (a bot check
    sets its cookie and reloads: see `botcheck`), once that document has replaced the check's
    in the tab; None when no such answer under 400 came within
    `BOT_CHECK_S`, or the page did not even ask again within `BOT_CHECK_IDLE_S` (an error page
    whose script does something else). The page's timers are run ahead meanwhile when its
    clock is ours: a check that reloads from a timer would otherwise wait for ever."""
    wanted = page_address(first.url)
    asked: list[Request] = []

    def on_request(request: Request) -> None:
        if (request.is_navigation_request() and request.frame == page.main_frame
                and page_address(request.url) == wanted):
            asked.append(request)

    page.on("request", on_request)
    began = time.monotonic()
    deadline = began + min(BOT_CHECK_S, settings.LOAD_TIMEOUT)
    try:
        while time.monotonic() < deadline:
            now, shown = recorder.main_response, recorder.document_response
            again = now is not None and now is not first and page_address(now.url) == wanted
            if (shown is not None and shown is not first and shown.status < 400
                    and page_address(shown.url) == wanted):
                return shown
            if not (asked or again) and time.monotonic() - began > BOT_CHECK_IDLE_S:
                return None
            if fake_clock:
                try:
                    await run_clock(page, BOT_CHECK_CLOCK_MS, recorder.page_error)
                except PlaywrightError as exc:  # the document went while its timers ran
                    reraise_crash(exc)
            await asyncio.sleep(0.1)
        return None
    finally:
        page.remove_listener("request", on_request)


async def _bot_check_page(response: Response) -> bool:
    """Whether an error answer's page may be a bot check (its body, where it can be read)."""
    try:
        return looks_like_bot_check(await response.body())
    except PlaywrightError:  # gone with a document that already went on: it did go on
        return True


async def _goto(page: Page, url: str, settings: ScanSettings, loading: _Loading
                ) -> Response | None:
    """`page.goto` to DOMContentLoaded; `PageFailed` as soon as the document has been refused
    `REFUSALS` times: a bot check the browser does not pass reloads for ever and never gets
    there, and the load timeout would be spent on it."""
    going = asyncio.ensure_future(page.goto(url, wait_until="domcontentloaded",
                                            timeout=settings.LOAD_TIMEOUT * 1000))
    refused = asyncio.ensure_future(loading.refused_again.wait())
    try:
        await asyncio.wait({going, refused}, return_when=asyncio.FIRST_COMPLETED)
        if going.done():
            return going.result()
    finally:  # the one still running is stopped, also when the capture is cancelled
        for pending in (going, refused):
            if not pending.done():
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending
    raise await _refused_again(page, loading.refusals[-1])


async def _refused_again(page: Page, status: int) -> PageFailed:
    """`_refused`, again; the tab is taken off the check's reloads (it may go on to the site's
    next page, and a document that reloads for ever would be in its way)."""
    failed = _refused(status, page.url, again=True)
    with contextlib.suppress(PlaywrightError):
        await page.goto("about:blank", timeout=STOP_MS)
    return failed


async def _loaded(watch: _Loading, settings: ScanSettings, warnings: list[str]) -> None:
    """The load of the document a bot check let through, within the load timeout, said as a
    first load's is (a stall on other sites' requests, no load event at all)."""
    began = time.perf_counter()
    try:
        stalled = await watch.load(settings.LOAD_TIMEOUT)
    except PlaywrightTimeout:
        warnings.append(_no_load_warning(settings))
        return
    if stalled:
        warnings.append(_stall_warning(time.perf_counter() - began, stalled))


def _no_load_warning(settings: ScanSettings) -> str:
    return (f"load event did not fire within {settings.LOAD_TIMEOUT:g}s; "
            "captured what had rendered")


def _stall_warning(seconds: float, stalled: list[str]) -> str:
    return (f"load event had not fired after {seconds:.1f}s: only other sites' requests were "
            f"open ({', '.join(stalled[:5])}) and nothing had arrived for {STALL_MS / 1000:g}s;"
            " captured what had rendered")


def _refused(status: int, url: str, *, again: bool = False) -> PageFailed:
    """The server's error answer; `again`: also to the loads the page's own script made (a bot
    check the browser did not pass)."""
    more = f" ({REFUSED_AGAIN})" if again else ""
    return PageFailed("http", f"HTTP {status}{more}", status, url)


async def navigate(page: Page, recorder: PageRecorder, url: str,
                   settings: ScanSettings, host_slot: HostSlot | None = None, *,
                   fake_clock: bool = False, home: bool = False,
                   budget: asyncio.Timeout | None = None) -> Navigation:
    """Load `url` and let it settle; raises `PageFailed` for pages that cannot be captured.
    `fake_clock`: the page's clock was installed before the load (see `settle`). `home`: the
    site's home page, loaded through a splash page in front of it (`splash.go_through`);
    `budget`, the page's time limit, then starts again for the page the splash leads to, as
    if the scan had been given its address (a slow splash no longer costs the home page)."""
    t0 = time.perf_counter()
    warnings: list[str] = []
    loading = _Loading(page)
    try:
        async with host_slot() if host_slot else contextlib.nullcontext():
            asked = time.perf_counter()  # the load timeout runs from here, not from the queue
            response = await _goto(page, url, settings, loading)
            # An error's page is not waited for: it fails, or it is a bot check, whose wait
            # (`_past_bot_check`) is for the page it lets through, not for its own reloads.
            stalled = [] if response is not None and response.status >= 400 else \
                await loading.load(settings.LOAD_TIMEOUT - (time.perf_counter() - asked))
        if stalled:
            warnings.append(_stall_warning(time.perf_counter() - asked, stalled))
    except PlaywrightTimeout:
        response = recorder.main_response
        try:
            state = await asyncio.wait_for(page.evaluate("document.readyState"), 3)
        except (TimeoutError, PlaywrightError):
            state = "loading"
        if state == "loading":
            if response is not None and response.status >= 400:  # loading itself over and over
                raise await _refused_again(page, response.status) from None
            raise PageFailed("timeout", f"the page did not load within {settings.LOAD_TIMEOUT:g}s",
                          response.status if response else None, page.url) from None
        warnings.append(_no_load_warning(settings))
    finally:
        loading.detach()
    t_nav = time.perf_counter()
    status = response.status if response else None
    if (response is not None and status is not None and status >= 400 and _html(response)
            and await _bot_check_page(response)):
        watch = _Loading(page)  # the requests of the document the check lets through
        passed: Response | None = None
        try:
            passed = await _past_bot_check(page, recorder, response, settings, fake_clock)
            if passed is not None:
                warnings.append(f"the server answered HTTP {status} first; the page's own "
                                f"script (a bot check) loaded it again and it answered HTTP "
                                f"{passed.status}")
                await _loaded(watch, settings, warnings)
                response, status, t_nav = passed, passed.status, time.perf_counter()
        finally:
            watch.detach()
        last = recorder.main_response
        if passed is None and last is not None and last is not response and last.status >= 400:
            raise await _refused_again(page, last.status)
    if status is not None and status >= 400:
        raise _refused(status, response.url if response is not None else page.url)
    if response is not None and not _html(response):
        raise PageFailed("not-html", f"not an HTML page ({_media(response)})", status, page.url)
    if settings.SETTLE_MS:
        await settle(page, settings, fake_clock, recorder.page_error)
    if page.url.startswith(ERROR_PAGE):
        failed = failed_redirect()
        raise PageFailed(failed.reason, failed.message, status, page.url)
    nav = Navigation(status=status, started=t0, loaded=t_nav, warnings=warnings,
                     refreshes=recorder.refreshes or [])
    if home and page_address(page.url) == page_address(response.url if response else page.url):
        # (a document that already went on by itself is captured where it went, as before)
        restarted = False

        async def load(to: str) -> Navigation:
            nonlocal restarted
            # once, for the page it leads to (not the splash loaded again): two pages' time
            if budget is not None and not restarted and to != url and not budget.expired():
                budget.reschedule(asyncio.get_running_loop().time() + settings.PAGE_TIMEOUT)
                restarted = True
            return await navigate(page, recorder, to, settings, host_slot, fake_clock=fake_clock)

        passage = await go_through(page, url, recorder.refreshes or [], recorder.page_error,
                                   fake_clock, load)
        nav.warnings.extend(passage.warnings)
        if passage.loaded is not None:  # the first document's start and meta refresh stay
            again = passage.loaded
            return replace(nav, status=again.status, loaded=again.loaded,
                           warnings=[*nav.warnings, *again.warnings])
    return nav
