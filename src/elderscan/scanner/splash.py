"""A splash page (引导页) in front of a home page: a banner or a festival greeting with
"5秒后自动进入首页", which a meta refresh or a countdown's timer replaces with the real home page
after a few seconds. People read the page it goes on to, so that page is what the crawl
captures as the home page (its links are level 1, the site probes look for 长者模式 and 语音朗读
there), with a warning that says so; the splash's own timed refresh is still judged
(`motion.timing` reads the first document's meta refresh)."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page, Request

from elderscan.refresh import parse_refresh
from elderscan.scanner.failures import context_gone, reraise_crash
from elderscan.scanner.interact import PageError, run_clock
from elderscan.urls import normalize_url, same_site

SPLASH_S = 10
"""A home page that goes on by itself within this many seconds is a splash: "3秒后自动跳转" and
"5秒后进入首页" are the common countdowns. A later refresh is a page reloading its news."""
SPLASH_TEXT_CHARS = 200
"""Only a page with at most this many visible characters has its timers run ahead to see
whether it goes on (a greeting and "进入首页"); a page with text of its own is read as it is,
its clock untouched (a pop-up or a carousel a later timer brings is not the settle's to show)."""
TIMER_SEEN_S = 0.3
"""How long after the timers ran the navigation one of them began may take to be announced (the
browser starts it, not the page)."""
COMMIT_S = 10.0
"""How long that navigation may take to commit before the page it names is loaded over it."""

_TEXT_JS = """() => {
  const b = document.body;
  if (!b || document.querySelector('frameset, frame')) return -1;
  for (const f of document.querySelectorAll('iframe')) {
    const r = f.getBoundingClientRect();
    if (r.width >= 200 && r.height >= 100) return -1;
  }
  return (b.innerText || '').replace(/\\s+/g, '').length;
}"""
"""The visible characters of the page's own, or -1 for a page that frames another (a shell's
frames are looked in by `shell`, and its timers are left alone)."""


@dataclass(frozen=True)
class Exit:
    """Where a splash goes on to, how and after how long; `follow` is False for another site's
    page (the scan stays on the address it was given, with a warning naming the new one)."""

    url: str
    how: Literal["refresh", "timer"]
    seconds: float
    follow: bool

    def _said(self) -> str:
        by = "its meta refresh" if self.how == "refresh" else "a timer of its script"
        within = "after" if self.how == "refresh" else "within"
        return f"the home page is a splash page: {by} goes on to {self.url} {within} " \
               f"{self.seconds:g} s"

    def warning(self) -> str:
        if not self.follow:
            return f"{self._said()}, another site's page; scan that address to judge that site"
        return f"{self._said()}; that page was captured as the home page"

    def failed(self, message: str) -> str:
        return f"{self._said()}, which failed to load ({message}); the splash page was captured"


def refresh_exit(refreshes: list[str], shown: str) -> Exit | None:
    """The page the document's meta refresh goes on to within `SPLASH_S` (the first valid
    declaration, as browsers act on); None for none, one at once or later, or a reload of
    itself."""
    parsed = next((r for c in refreshes if (r := parse_refresh(c)) is not None), None)
    if parsed is None or not 0 < parsed.delay <= SPLASH_S or not parsed.url:
        return None  # (a refresh at 0 s the browser follows by itself, as a redirect)
    return _exit(normalize_url(parsed.url, shown), shown, "refresh", parsed.delay)


async def timer_exit(page: Page, page_error: PageError) -> tuple[Exit | None, bool]:
    """Where a near-empty page's own timers send it within `SPLASH_S` (its clock run ahead that
    far: the page's clock is ours), and whether they sent it anywhere: the browser is then on
    its way, and the caller loads a page again, the one named or this one (another site's, a
    reload of itself). (None, False) when the page has text of its own, or stays."""
    try:
        chars = await page.evaluate(_TEXT_JS)
    except PlaywrightError as exc:
        reraise_crash(exc)
        return None, False
    if not isinstance(chars, int) or not 0 <= chars <= SPLASH_TEXT_CHARS:
        return None, False
    asked: list[str] = []
    committed = asyncio.Event()

    def on_request(request: Request) -> None:
        if (request.is_navigation_request() and request.frame == page.main_frame
                and request.method == "GET"):
            asked.append(request.url)

    def on_commit(frame: Frame) -> None:
        if frame == page.main_frame and asked:
            committed.set()

    shown, gone = page.url, False
    page.on("request", on_request)
    page.on("framenavigated", on_commit)
    try:
        try:
            await run_clock(page, SPLASH_S * 1000, page_error)
        except PlaywrightError as exc:  # the document went while its timers ran
            reraise_crash(exc)
            if not context_gone(exc) and "navigat" not in str(exc).lower():
                raise
            gone = True
        deadline = asyncio.get_running_loop().time() + TIMER_SEEN_S
        while not asked and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
        if asked:  # its own load is let commit: a load begun over it would be cut off by it
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(committed.wait(), COMMIT_S)
    finally:
        page.remove_listener("request", on_request)
        page.remove_listener("framenavigated", on_commit)
    if not asked:
        return None, gone
    return _exit(normalize_url(asked[0], shown), shown, "timer", SPLASH_S), True


def refreshes_at_once(refreshes: list[str]) -> bool:
    """Whether the document's meta refresh is at 0 s: the browser goes on by itself (a
    redirect), and a navigation seen while the timers run is that one."""
    parsed = next((r for c in refreshes if (r := parse_refresh(c)) is not None), None)
    return parsed is not None and parsed.delay == 0


def _exit(url: str | None, shown: str, how: Literal["refresh", "timer"],
          seconds: float) -> Exit | None:
    """None for the page itself, whatever its query says (a bot check's reload adds one)."""
    if url is None or _path(url) == _path(normalize_url(shown) or shown):
        return None
    return Exit(url, how, seconds, follow=same_site(url, shown))


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
