"""A splash page (引导页) in front of a home page: a banner or a festival greeting with
"5秒后自动进入首页", which a meta refresh or a countdown's timer replaces with the real home page
after a few seconds, or a guide page with one way in ("进入首页", the banner as a link). People
read the page it leads to, so that page is what the crawl captures as the home page (its links
are level 1, the site probes look for 长者模式 and 语音朗读 there), with a warning that says so;
the splash's own timed refresh is still judged (`motion.timing` reads the first document's
meta refresh)."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page, Request

from elderscan.errors import first_line
from elderscan.refresh import first_refresh
from elderscan.scanner.failures import PageFailed, context_gone, reraise_crash
from elderscan.scanner.interact import PageError, run_clock
from elderscan.urls import looks_like_non_html, normalize_url, page_address, same_site

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


DOOR_WORDS = re.compile(r"(?:点击|点此|立即)?进入(?:网站|本站|首页|主页|主页面|网站首页|门户"
                        r"|门户网站|主站|官网|政府网站)?"
                        r"|(?i:enter(?: (?:the )?(?:site|website))?|skip intro)")
"""What a guide page's way in is called, the whole of its text, title or image's alt (进入旧版,
进入无障碍版 and 进入政务服务网 are other places, not the way in)."""
DOOR_TRIM = " >»›→》＞<«‹←《＜【】[]()（）"
"""What a way in's name is framed with: "【进入首页】", "进入首页 >>", "进入首页》"."""
DOOR_BANNER = 0.2
"""A guide page's only link is its way in when it is this large a share of the first screen
(the banner itself is the link)."""
_LINKS_JS = """() => {
  const out = [];
  // An image map's area has no box of its own (Chromium reads 0 x 0): it is its shape's
  // bounds on the largest shown image that uses the map (coordinates in CSS px from the
  // image's corner; the map's name matched as Chromium does, letter case included).
  const mapped = (a) => {
    const map = a.closest('map');
    const name = map ? map.name || map.id : '';
    let img = null, r = null;
    for (const i of name ? document.querySelectorAll('img[usemap]') : []) {
      if (i.getAttribute('usemap') !== '#' + name) continue;
      const b = i.getBoundingClientRect();
      if (b.width > 0 && b.height > 0 && getComputedStyle(i).visibility !== 'hidden'
          && (!r || b.width * b.height > r.width * r.height)) { img = i; r = b; }
    }
    if (!img) return null;
    const n = (a.getAttribute('coords') || '').split(/[\\s,]+/).filter(Boolean).map(Number)
      .filter(Number.isFinite);
    const shape = (a.getAttribute('shape') || 'rect').toLowerCase();
    let x = [0, r.width], y = [0, r.height];
    if (shape.startsWith('circ') && n.length >= 3) {
      x = [n[0] - n[2], n[0] + n[2]]; y = [n[1] - n[2], n[1] + n[2]];
    } else if (shape.startsWith('poly') && n.length >= 6) {
      const xs = n.filter((_, i) => i % 2 === 0), ys = n.filter((_, i) => i % 2 === 1);
      x = [Math.min(...xs), Math.max(...xs)]; y = [Math.min(...ys), Math.max(...ys)];
    } else if (shape.startsWith('rect') && n.length >= 4) {
      x = [Math.min(n[0], n[2]), Math.max(n[0], n[2])];
      y = [Math.min(n[1], n[3]), Math.max(n[1], n[3])];
    } else if (shape !== 'default') {
      x = [0, 0]; y = [0, 0];  // no region: nothing to click
    }
    const at = (v, start, most) => start + Math.max(0, Math.min(v, most));
    return { img, box: { left: at(x[0], r.left, r.width), right: at(x[1], r.left, r.width),
                         top: at(y[0], r.top, r.height), bottom: at(y[1], r.top, r.height) } };
  };
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    const area = a.tagName === 'AREA' ? mapped(a) : null;
    if (a.tagName === 'AREA' && !area) continue;  // on no image that shows: nothing to click
    const r = area ? area.box : a.getBoundingClientRect();
    const shown = area ? area.img : a;
    if (r.right - r.left <= 0 || r.bottom - r.top <= 0
        || getComputedStyle(shown).visibility === 'hidden') continue;
    const img = a.tagName === 'A' ? a.querySelector('img') : area ? area.img : null;
    const names = [a.innerText || '', a.getAttribute('title') || '',
                   a.getAttribute('aria-label') || '', a.getAttribute('alt') || '',
                   img ? img.getAttribute('alt') || '' : ''];
    const box = img && !area ? img.getBoundingClientRect() : r;  // an inline link's is a line's
    const w = innerWidth, h = innerHeight, seen = (q) => Math.max(0, Math.min(q.right, w)
      - Math.max(q.left, 0)) * Math.max(0, Math.min(q.bottom, h) - Math.max(q.top, 0));
    const share = Math.max(seen(r), seen(box)) / (w * h || 1);  // of the first screen
    let floating = false;  // in a pop-up or a floating ad: not the page's own way on
    for (let e = shown; e && e.nodeType === 1 && !floating; e = e.parentElement) {
      const position = getComputedStyle(e).position;
      floating = position === 'fixed' || position === 'sticky';
    }
    out.push({ href: a.href, names: names.map((n) => n.slice(0, 80)), share, floating });
    if (out.length >= 60) break;
  }
  return out;
}"""


@dataclass(frozen=True)
class Exit:
    """Where a splash goes on to, how and after how long; `follow` is False for another site's
    page (the scan stays on the address it was given, with a warning naming the new one)."""

    url: str
    how: Literal["refresh", "timer", "door"]
    seconds: float
    follow: bool
    name: str = ""
    """a guide page's link, as it is named (its text, title or image's alt)"""

    def _said(self) -> str:
        if self.how == "door":
            named = f"“{self.name[:60]}”" if self.name else "a banner with no name"
            return f"the home page is a guide page: its one way on, {named}, leads to {self.url}"
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


def refresh_exit(refreshes: list[str], shown: str, base: str | None = None) -> Exit | None:
    """The page the document's meta refresh goes on to within `SPLASH_S` (the first valid
    declaration, as browsers act on; its address read against the document's `base` URL, a
    `<base href>`'s where it has one); None for none, one at once or later, or a reload of
    itself."""
    found = first_refresh(refreshes)
    if found is None or not 0 < found[1].delay <= SPLASH_S or not found[1].url:
        return None  # (a refresh at 0 s the browser follows by itself, as a redirect)
    parsed = found[1]
    return _exit(normalize_url(parsed.url, base or shown), shown, "refresh", parsed.delay)


async def near_empty(page: Page) -> bool:
    """At most `SPLASH_TEXT_CHARS` visible characters of its own and no frame showing a page:
    what a splash or a guide page looks like, and the only pages looked at further."""
    try:
        chars = await page.evaluate(_TEXT_JS)
    except PlaywrightError as exc:
        reraise_crash(exc)
        return False
    return isinstance(chars, int) and 0 <= chars <= SPLASH_TEXT_CHARS


async def timer_exit(page: Page, page_error: PageError) -> tuple[Exit | None, bool]:
    """Where a near-empty page's own timers send it within `SPLASH_S` (its clock run ahead that
    far: the page's clock is ours), and whether they sent it anywhere: the browser is then on
    its way, and the caller loads a page again, the one named or this one (another site's, a
    reload of itself). (None, False) when it stays."""
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


async def door_exit(page: Page) -> Exit | None:
    """A near-empty guide page's way in: its one link target named 进入首页 (点击进入, 进入网站,
    enter …), or, where it has one link target on the site only, that link when it is a banner
    (`DOOR_BANNER` of the first screen). Links in a pop-up or a floating box (adverts) and links
    to files are left out. None for a page of several ways on (tiles each named 进入, a hub of
    services), or none."""
    try:
        links = await page.evaluate(_LINKS_JS)
    except PlaywrightError as exc:
        reraise_crash(exc)
        return None
    shown = page.url
    itself = normalize_url(shown) or shown
    named: dict[str, str] = {}  # address → its door name
    found: dict[str, tuple[str, float]] = {}  # address → (a name, largest share of the screen)
    for link in links if isinstance(links, list) else []:
        url = normalize_url(str(link.get("href") or ""), shown)
        if url is None or url == itself or looks_like_non_html(url) or link.get("floating"):
            continue
        names = [" ".join(str(n).split()).strip(DOOR_TRIM) for n in link.get("names") or []]
        door = next((n for n in names if DOOR_WORDS.fullmatch(n)), "")
        if door:
            named.setdefault(url, door)
        elif not same_site(url, shown):
            continue  # the footer's 备案号, 党政机关 and 政府网站找错 badges every page has
        name, share = found.get(url, ("", 0.0))
        found[url] = (name or next((n for n in names if n), ""),
                      max(share, float(link.get("share") or 0)))
    if len(named) == 1:
        [(url, door)] = named.items()
        return Exit(url, "door", 0, follow=same_site(url, shown), name=door)
    if not named and len(found) == 1:
        [(url, (name, share))] = found.items()
        if share >= DOOR_BANNER:
            return Exit(url, "door", 0, follow=same_site(url, shown), name=name)
    return None


def refreshes_at_once(refreshes: list[str]) -> bool:
    """Whether the document's meta refresh is at 0 s: the browser goes on by itself (a
    redirect), and a navigation seen while the timers run is that one."""
    found = first_refresh(refreshes)
    return found is not None and found[1].delay == 0


def _exit(url: str | None, shown: str, how: Literal["refresh", "timer"],
          seconds: float) -> Exit | None:
    """None for the page itself, whatever its query says (a bot check's reload adds one)."""
    if url is None or page_address(url) == page_address(normalize_url(shown) or shown):
        return None
    return Exit(url, how, seconds, follow=same_site(url, shown))


L = TypeVar("L")
LOAD_TRIES = 3
"""Loads of a splash's page, or of the splash again, cut off by a document on its way there."""


@dataclass
class Passage(Generic[L]):
    """What going through a home page's splash came to: the load of the page it leads to, or of
    the splash again (the browser was sent elsewhere), or None (the page is as it was); and
    what to warn of."""

    loaded: L | None
    warnings: list[str]


async def go_through(page: Page, url: str, refreshes: list[str], page_error: PageError,
                     fake_clock: bool, load: Callable[[str], Awaitable[L]]) -> Passage[L]:
    """The page a splash leads to, loaded at once by `load` (its meta refresh's address, the
    one its timer sent the browser to, its way in); `Passage(None, [])` when the page is no
    splash. One that goes to another site, or whose page fails to load (an HTTP error, a name
    that does not resolve, a refused connection, the address guard's refusal), is loaded again
    as itself where the browser had gone, with a warning. `refreshes`: the document's meta
    refresh declarations; `fake_clock`: the page's clock is ours to run."""
    exit_ = refresh_exit(refreshes, page.url, await _base(page) if refreshes else None)
    left = False
    if exit_ is None and not refreshes_at_once(refreshes) and await near_empty(page):
        if fake_clock:
            exit_, left = await timer_exit(page, page_error)
        if exit_ is None and not left:
            exit_ = await door_exit(page)
    warnings: list[str] = []
    if exit_ is not None and exit_.follow:
        try:
            return Passage(await _load_again(load, exit_.url), [exit_.warning()])
        except PageFailed as failed:
            warnings.append(exit_.failed(failed.message))
        except PlaywrightError as exc:
            reraise_crash(exc)
            warnings.append(exit_.failed(first_line(exc, 300)))
        left = True  # an error page stands where the splash was
    elif exit_ is not None:
        warnings.append(exit_.warning())
    return Passage(await _load_again(load, url) if left else None, warnings)


async def _base(page: Page) -> str | None:
    try:
        base = await page.evaluate("document.baseURI")
    except PlaywrightError as exc:
        reraise_crash(exc)
        return None
    return base if isinstance(base, str) else None


async def _load_again(load: Callable[[str], Awaitable[L]], url: str) -> L:
    """`load` over a document that may still be on its way somewhere: the splash's own refresh
    coming due, a failed load's error page committing, can cut the first tries off."""
    for _ in range(LOAD_TRIES - 1):
        try:
            return await load(url)
        except PlaywrightError as exc:
            if "interrupted by another navigation" not in str(exc):
                raise
        await asyncio.sleep(0.2)  # what cut it off commits meanwhile
    return await load(url)
