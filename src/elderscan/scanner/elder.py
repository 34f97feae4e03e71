"""Find the elder-mode entry, switch it on in a fresh context, and record what happened.

Portals do it in several ways: a link to a separate version (`/zzb/`, a `wap.` host, a pop-up
window), an in-page toggle that adds a class and remembers it in localStorage, a cookie that
the page reads after a reload (Lonsun's 长辈版), or a toolbar script (`window.aria`, 长者助手's
`slh.js`, EsdToolbar). Candidates come from the home capture plus the clickable non-links
(click handlers, cursor:pointer) found on the live page. They are tried best first — elder-specific
labels before generic toolbars — until one is proven to make the text big; every candidate is
recorded as an `ElderTrial`, tried or not. The verdict the checks give is about the best
elder-specific entry, whatever happened to it.

Longer than most modules: following a link and clicking a toggle share the trial record and
its wording of what changed, which would otherwise cross module lines at every step.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

from playwright.async_api import BrowserContext, Page, Request, Response
from playwright.async_api import Error as PlaywrightError

from elderscan.capture import (
    Capture,
    ElderKind,
    ElderProbe,
    ElderTrial,
    Entry,
    Interactive,
    PageFailure,
    RequestNote,
    Viewport,
)
from elderscan.errors import first_line
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.entries import (
    ELDER_WORDS,
    MAX_LABEL,
    calls_toolbar,
    elder_candidates,
    is_toolbar,
    toolbar_fingerprint,
    vendor_name,
)
from elderscan.scanner.failures import OUT_OF_MEMORY, BrowserCrashed, PageFailed, classify
from elderscan.scanner.navigation import Navigation, navigate
from elderscan.scanner.page import capture_page, collect, not_captured_in_time
from elderscan.scanner.page_context import PageTarget
from elderscan.scanner.quiet import Quiet, after_press, clocked_page
from elderscan.scanner.recorder import PageRecorder
from elderscan.scanner.voice import press
from elderscan.settings import ScanSettings
from elderscan.urls import looks_like_non_html, normalize_url, same_site

_JS = resources.files("elderscan.scanner").joinpath("js")
MAX_TRIES = 3
"""candidates activated at most; the rest are recorded as not tried"""
EXTRA_ELDER_PAGES = 2
CLICK_WAIT_MS = 1200
"""page time a press may take to show its effect: the page's timers due in it run at once"""
ELDER_MIN_PX = 18.0
"""what 'proven effective' means while probing (the elder.effective rule has the final word)"""

STATE_JS = _JS.joinpath("elder_state.js").read_text("utf-8")
TOOLBAR_CALL_JS = _JS.joinpath("toolbar_call.js").read_text("utf-8")
TRACK_JS = _JS.joinpath("elder_track.js").read_text("utf-8")
FIND_JS = _JS.joinpath("elder_find.js").read_text("utf-8")
MARK_JS = "() => { window.__elderscanMarker = true; }"
SESSION_SEED_JS = _JS.joinpath("session_seed.js").read_text("utf-8")


@dataclass
class _Tried:
    trial: ElderTrial
    kind: ElderKind
    capture: Capture | None = None
    further: list[Capture | PageFailure] = field(default_factory=list)
    """other pages of the site in the same context, for a toggle or toolbar whose state is
    stored (`stored`)"""


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    changes: list[str] = []
    if before["url"] != after["url"]:
        changes.append(f"url: {after['url']}")
    if before["html_class"] != after["html_class"]:
        changes.append(f"html.class: {after['html_class']}")
    for name in sorted(set(before["body"]) | set(after["body"])):
        if before["body"].get(name) != after["body"].get(name):
            changes.append(f"body[{name}]: {after['body'].get(name)}")
    for field_, store in (("storage", "localStorage"), ("session", "sessionStorage")):
        was, now = before.get(field_, {}), after.get(field_, {})
        changes.extend(f"{store}.{key}" for key in sorted(now) if was.get(key) != now[key])
    if before.get("nodes") != after.get("nodes"):
        changes.append(f"dom: {after.get('nodes', 0) - before.get('nodes', 0):+d} elements")
    old = _cookies(before["cookie"])
    new = _cookies(after["cookie"])
    changes.extend(f"cookie.{name}={new[name]}" for name in sorted(new)
                   if old.get(name) != new[name])
    return changes


def _cookies(header: str) -> dict[str, str]:
    pairs = (c.strip().split("=", 1) for c in header.split(";") if c.strip())
    return {p[0]: (p[1] if len(p) > 1 else "") for p in pairs}


def capture_px(capture: Capture) -> float | None:
    """The size carrying the most characters of main text (the probe's quick measure)."""
    runs = [r for r in capture.text_runs if r.landmark == "main"] or capture.text_runs
    chars: Counter[float] = Counter()
    for run in runs:
        chars[round(run.font_px, 2)] += run.length
    return chars.most_common(1)[0][0] if chars else None


def proven(trial: ElderTrial) -> bool:
    after, before = trial.text_px_after, trial.text_px_before
    return (after is not None and after >= ELDER_MIN_PX - 0.01
            and (before is None or after > before))


def _is_link(entry: Entry, page_url: str) -> bool:
    href = entry.href
    if not href or not href.lower().startswith(("http://", "https://")):
        return False
    target = normalize_url(href)
    return target is not None and target != normalize_url(page_url)


FAILED_KINDS = frozenset({"script", "stylesheet", "xhr", "fetch", "document", "other"})
"""what a page load's failures are kept for: the parts of a toolbar, not its images"""


class _Requests:
    """Requests a trial's page makes, and those that did not deliver: during the load (a
    toolbar's config.json) and after the entry was activated (the elder stylesheet)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.during: Literal["load", "activation"] = "load"
        self.count = 0
        self.notes: list[RequestNote] = []
        self.quiet = Quiet(page)
        """what the activation set loading (a stylesheet, a toolbar's config)"""
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_failed)

    def activation(self) -> None:
        self.during, self.count = "activation", 0
        self.quiet.mark()

    def _keep(self, request: Request) -> bool:
        return len(self.notes) < 40 and (self.during == "activation"
                                         or request.resource_type in FAILED_KINDS)

    def _on_request(self, _request: Request) -> None:
        self.count += 1

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and self._keep(response.request):
            self.notes.append(RequestNote(url=response.url[:300], status=response.status,
                                          failure=None, during=self.during))

    def _on_failed(self, request: Request) -> None:
        if self._keep(request) and not any(n.url == request.url[:300] for n in self.notes):
            self.notes.append(RequestNote(url=request.url[:300], status=None,
                                          failure=(request.failure or "failed")[:120],
                                          during=self.during))

    def failed(self, home_url: str) -> list[RequestNote]:
        """Activation's failures first, then the load's, the page's own host before others."""
        def rank(note: RequestNote) -> tuple[int, int]:
            return (note.during == "load", not same_site(note.url, home_url))
        return sorted(self.notes, key=rank)[:20]


def _trial(entry: Entry, toolbar: str | None, handler: str | None, **facts: Any) -> ElderTrial:
    """A trial, with the toolbar's vendor when the entry belongs to it (a toolbar id or label,
    or an onclick calling the toolbar's own object)."""
    role: Literal["elder", "toolbar"] = "toolbar" if is_toolbar(entry) else "elder"
    owned = role == "toolbar" or entry.source == "fingerprint" or calls_toolbar(handler, toolbar)
    vendor = vendor_name(toolbar) if owned else None
    return ElderTrial(entry=entry, role=role, vendor=vendor, handler=handler, **facts)


async def _follow(pool: BrowserPool, home: Capture, entry: Entry, toolbar: str | None,
                  handler: str | None, viewport: Viewport, settings: ScanSettings,
                  screenshot_dir: Path | None) -> _Tried:
    assert entry.href is not None
    before = capture_px(home)
    result = await capture_page(pool, entry.href, viewport, settings, mode="elder",
                                screenshot_dir=screenshot_dir, probe=True)
    base = {"how": "follow-link", "url_after": entry.href, "text_px_before": before}
    if isinstance(result, PageFailure):
        status = result.http_status
        verdict = "http-error" if status is not None and status >= 400 else "page-failed"
        return _Tried(_trial(entry, toolbar, handler, verdict=verdict, http_status=status,
                             error=result.message[:200], **base), "broken")
    if not result.text_runs:
        return _Tried(_trial(entry, toolbar, handler, verdict="no-text",
                             http_status=result.http_status, **base), "broken")
    trial = _trial(entry, toolbar, handler, verdict="effective", http_status=result.http_status,
                   changes=["url"], text_px_after=capture_px(result),
                   **{**base, "url_after": result.final_url})
    if not proven(trial):
        trial = trial.model_copy(update={"verdict": "not-effective"})
    return _Tried(trial, "link", result)


async def _activate(pool: BrowserPool, home: Capture, entry: Entry, toolbar: str | None,
                    handler: str | None, viewport: Viewport, settings: ScanSettings,
                    screenshot_dir: Path | None, further: Sequence[str] = ()) -> _Tried:
    if _is_link(entry, home.final_url or home.url):
        return await _follow(pool, home, entry, toolbar, handler, viewport, settings,
                             screenshot_dir)
    try:
        async with pool.context(viewport, probe=True) as ctx:
            page = await clocked_page(ctx)
            recorder = PageRecorder(page)
            requests = _Requests(page)
            await navigate(page, recorder, home.url, settings, fake_clock=True, home=True)
            return await _toggle(page, recorder, requests, home.url, entry, toolbar, handler,
                                 viewport, settings, screenshot_dir, pool.version, further)
    except PageFailed as failed:
        return _Tried(_trial(entry, toolbar, handler, how="click", verdict="page-failed",
                             error=failed.message[:200]), "broken")
    except PlaywrightError as exc:
        if classify(exc) == "browser-crash" or not pool.is_alive():
            raise BrowserCrashed(str(exc)) from exc
        return _Tried(_trial(entry, toolbar, handler, how="click", verdict="click-failed",
                             error=first_line(exc)[:200]), "broken")


async def _toggle(page: Page, recorder: PageRecorder, requests: _Requests, home_url: str,
                  entry: Entry, toolbar: str | None, handler: str | None, viewport: Viewport,
                  settings: ScanSettings, screenshot_dir: Path | None,
                  chromium: str, further: Sequence[str] = ()) -> _Tried:
    """Press `entry` on the loaded home page and record what changed. A toggle or toolbar that
    proved effective and keeps its state in a cookie or in storage (Lonsun's 长辈版 reloads
    with `wzaOam=1`, aria.js sets `ariaFixed=1`) is then followed to the `further` pages in
    the same context, as a visitor who switched it on and went on reading would be."""
    before = await page.evaluate(STATE_JS)
    await page.evaluate(MARK_JS)
    popups: list[Page] = []

    def on_popup(new: Page) -> None:
        popups.append(new)
        requests.quiet.touch()  # a window opened: the wait goes on a while for its load

    page.context.on("page", on_popup)
    requests.activation()
    clicked = await press(page, entry.selector)
    how = "click"
    await after_press(page, requests.quiet, recorder.page_error, CLICK_WAIT_MS)
    facts: dict[str, Any] = {"text_px_before": before["text_px"]}
    if popups:  # the entry opened its version in a new window: that is a link
        new = popups[0]
        await new.wait_for_load_state("load", timeout=settings.LOAD_TIMEOUT * 1000)
        now = time.perf_counter()
        capture = await collect(PageTarget(new, PageRecorder(new), Navigation(None, now, now),
                                           new.url, viewport, "elder", settings, screenshot_dir,
                                           chromium))
        trial = _trial(entry, toolbar, handler, how="click-new-window", verdict="effective",
                       url_after=new.url, changes=["new window"], requests=requests.count,
                       failed=requests.failed(home_url), text_px_after=capture_px(capture), **facts)
        if not proven(trial):
            trial = trial.model_copy(update={"verdict": "not-effective"})
        return _Tried(trial, "link", capture)
    await page.wait_for_load_state("load", timeout=settings.LOAD_TIMEOUT * 1000)
    after = await page.evaluate(STATE_JS)
    changes = _diff(before, after)
    if not changes and toolbar:
        requests.quiet.mark()  # what the toolbar's own call loads is waited for as a press's
        if await page.evaluate(TOOLBAR_CALL_JS):
            how = "toolbar-call"
            await after_press(page, requests.quiet, recorder.page_error, CLICK_WAIT_MS)
            after = await page.evaluate(STATE_JS)
            changes = _diff(before, after)
    navigated = after["url"] != before["url"]
    reloaded = not navigated and not after["marker"]
    status = recorder.main_response.status if (navigated or reloaded) and recorder.main_response \
        else None
    failed = requests.failed(home_url)
    facts.update(how=how, url_after=after["url"] if navigated else None, http_status=status,
                 reloaded=reloaded, changes=changes, requests=requests.count,
                 failed=failed, text_px_after=after["text_px"])
    if not clicked:
        return _Tried(_trial(entry, toolbar, handler, verdict="click-failed", **facts), "broken")
    if navigated and after["url"].startswith("chrome-error:"):  # the browser's error page
        went = next((n for n in failed if n.during == "activation"), None)
        facts.update(url_after=went.url if went else None, text_px_after=None, http_status=None,
                     changes=[c for c in changes if not c.startswith("url")])
        return _Tried(_trial(entry, toolbar, handler, verdict="page-failed",
                             error=went.failure if went else None, **facts), "broken")
    if not changes and not reloaded:
        return _Tried(_trial(entry, toolbar, handler, verdict="no-change", **facts), "broken")
    if status is not None and status >= 400:
        return _Tried(_trial(entry, toolbar, handler, verdict="http-error", **facts), "broken")
    now = time.perf_counter()
    capture = await collect(PageTarget(page, recorder, Navigation(status, now, now), page.url,
                                       viewport, "elder", settings, screenshot_dir, chromium))
    trial = _trial(entry, toolbar, handler, verdict="effective", **facts)
    if not proven(trial):
        trial = trial.model_copy(update={"verdict": "not-effective"})
    if navigated:
        return _Tried(trial, "link", capture)
    kind: ElderKind = "toolbar" if trial.vendor or entry.source == "fingerprint" else "toggle"
    pages: list[Capture | PageFailure] = []
    if kind in ("toggle", "toolbar") and trial.verdict == "effective" and stored(trial.changes):
        session = (after["origin"], after["session"]) if after.get("session") else None
        pages = list(await asyncio.gather(*(
            _capture_in(page.context, url, viewport, settings, screenshot_dir, chromium, session)
            for url in further)))
    return _Tried(trial, kind, capture, pages)


def stored(changes: Sequence[str]) -> bool:
    """Whether a switch kept its state where the site's other pages can read it too (in this
    tab, for sessionStorage: the pages a reader goes on to in it)."""
    return any(c.startswith(("cookie.", "localStorage.", "sessionStorage.")) for c in changes)


async def _capture_in(ctx: BrowserContext, url: str, viewport: Viewport, settings: ScanSettings,
                      screenshot_dir: Path | None, chromium: str,
                      session: tuple[str, dict[str, str]] | None = None,
                      ) -> Capture | PageFailure:
    """`url` in elder mode in a new tab of `ctx` (its cookies and storage, its page clock).

    `session` is the switch's tab's origin and sessionStorage, seeded into the new tab: a
    reader who goes on from the switched page does so in that tab, where it lives on."""
    page = await ctx.new_page()
    recorder = PageRecorder(page)

    def failure(reason: str, message: str, status: int | None = None,
                final: str | None = None) -> PageFailure:
        if recorder.crashed and reason in ("timeout", "crash", "error"):
            reason, message = "crash", OUT_OF_MEMORY  # as capture_page says it
        return PageFailure(url=url, final_url=final, http_status=status, mode="elder",
                           viewport=viewport, reason=reason, message=message)

    try:
        if session is not None:
            await page.add_init_script(
                f"({SESSION_SEED_JS})({json.dumps(session[0])}, {json.dumps(session[1])})")
        async with asyncio.timeout(settings.PAGE_TIMEOUT):
            nav = await navigate(page, recorder, url, settings, fake_clock=True)
            return await collect(PageTarget(page, recorder, nav, url, viewport, "elder",
                                            settings, screenshot_dir, chromium))
    except TimeoutError:
        status = recorder.main_response.status if recorder.main_response else None
        return failure("timeout", not_captured_in_time(settings), status)
    except PageFailed as failed:
        return failure(failed.reason, failed.message, failed.status, failed.final_url)
    except PlaywrightError as exc:
        reason = classify(exc)
        if reason == "browser-crash":
            raise BrowserCrashed(str(exc)) from exc
        return failure("crash" if recorder.crashed else reason, first_line(exc, 300))
    finally:
        recorder.detach()
        with contextlib.suppress(PlaywrightError):  # gone with a crashed renderer
            await page.close()


def _mentions_elder(home: Capture, candidates: Sequence[Entry]) -> bool:
    """Whether any text or control of the home page names an elder mode, or a nameless image
    among its `candidates` hints at one: if none does, there is nothing for the live look to
    find and its page load is saved."""
    words = [w for w, _ in ELDER_WORDS]
    texts = [r.text for r in home.text_runs] + [
        " ".join(filter(None, (i.text, i.name, i.title, i.aria_label))) for i in home.interactive]
    return any(w in t.lower() for t in texts for w in words) or any(
        e.source == "attribute" for e in candidates)


async def _first_look(pool: BrowserPool, home: Capture, listed: list[Entry], toolbar: str | None,
                      settings: ScanSettings, screenshot_dir: Path | None,
                      further: Sequence[str] = (),
                      ) -> tuple[list[Entry], dict[str, str], _Tried | None]:
    """One load of the home page: the clickable non-links (a handler added by script is
    invisible in the HTML), the onclick each candidate carries once the page's scripts have run,
    and — when the best candidate is clicked rather than followed — its trial, on this page that
    nothing has been done to yet (one load fewer)."""
    try:
        async with pool.context(home.viewport, probe=True) as ctx:
            await ctx.add_init_script(TRACK_JS)
            page = await clocked_page(ctx)
            recorder = PageRecorder(page)
            requests = _Requests(page)
            await navigate(page, recorder, home.url, settings, fake_clock=True, home=True)
            raw = await page.evaluate(FIND_JS, {
                "words": [w for w, _ in ELDER_WORDS], "known": [e.selector for e in listed],
                "maxLabel": MAX_LABEL})
            found = [Interactive(**{**item, "box": tuple(item["box"])}) for item in raw["found"]]
            handlers: dict[str, str] = dict(raw["handlers"])
            candidates = elder_candidates(home, found) if found else listed
            best = candidates[0] if candidates else None
            if best is None or _is_link(best, home.final_url or home.url):
                return candidates, handlers, None
            tried = await _toggle(page, recorder, requests, home.url, best, toolbar,
                                  handlers.get(best.selector), home.viewport, settings,
                                  screenshot_dir, pool.version, further)
            return candidates, handlers, tried
    except PageFailed:
        return listed, {}, None
    except PlaywrightError as exc:
        if classify(exc) == "browser-crash" or not pool.is_alive():
            raise BrowserCrashed(str(exc)) from exc
        return listed, {}, None


def _best(tried: list[_Tried]) -> _Tried | None:
    """The entry the verdict is about: a proven elder-specific one, else the best
    elder-specific one whatever happened to it, else the best toolbar. A nameless image that
    only its file or link calls a care mode (`ELDER_HINTS`) counts only if it proved one."""
    elder = [t for t in tried if t.trial.role == "elder" and t.trial.how != "not-tried"
             and (t.trial.entry.source != "attribute" or t.trial.verdict == "effective")]
    toolbars = [t for t in tried if t.trial.role == "toolbar" and t.trial.how != "not-tried"]
    for group in (elder, toolbars):
        working = [t for t in group if t.trial.verdict == "effective"]
        if working or group:
            return (working or group)[0]
    return None


async def probe_elder(
    pool: BrowserPool,
    home: Capture,
    settings: ScanSettings,
    screenshot_dir: Path | None = None,
) -> tuple[ElderProbe, list[Capture | PageFailure]]:
    """The probe's verdict on how elder mode is offered, and the elder-mode captures."""
    toolbar = toolbar_fingerprint(home)
    candidates = elder_candidates(home)
    further = toggled_pages(home.final_url or home.url, home.links)
    handlers: dict[str, str] = {}
    done: dict[str, _Tried] = {}  # trials made before the loop, by selector
    top = candidates[0] if candidates else None
    if top is not None and not is_toolbar(top) and _is_link(top, home.final_url or home.url):
        # The common case: a link to an elder version. Followed first, it may settle it
        # without the live look's page load.
        done[top.selector] = await _follow(pool, home, top, toolbar, None, home.viewport,
                                           settings, screenshot_dir)
    if (not any(t.trial.verdict == "effective" for t in done.values())
            and _mentions_elder(home, candidates)):
        candidates, handlers, first = await _first_look(pool, home, candidates, toolbar,
                                                         settings, screenshot_dir, further)
        if first is not None:
            done[first.trial.entry.selector] = first
    if not candidates:
        return ElderProbe(candidates=[], entry=None, kind="none", toolbar=toolbar,
                          activation=None, changes=[], elder_url=None, failure=None,
                          captures=0, toolbar_vendor=vendor_name(toolbar)), []
    tried: list[_Tried] = []
    winner: _Tried | None = None
    for candidate in candidates[:10]:
        handler = handlers.get(candidate.selector)
        attempts = sum(1 for t in tried if t.trial.how != "not-tried")
        if winner is not None or attempts >= MAX_TRIES:
            skipped = "proven-earlier" if winner is not None else "try-limit"
            tried.append(_Tried(_trial(candidate, toolbar, handler, how="not-tried",
                                       verdict="not-tried", skipped=skipped), "broken"))
            continue
        if candidate.selector in done:
            outcome = done[candidate.selector]
        else:
            outcome = await _activate(pool, home, candidate, toolbar, handler, home.viewport,
                                      settings, screenshot_dir, further)
        tried.append(outcome)
        if outcome.trial.verdict == "effective":
            winner = outcome
    best = _best(tried)
    if best is None:  # only nameless images were tried, and none switched a mode on
        return ElderProbe(candidates=candidates[:10], entry=None, kind="none", toolbar=toolbar,
                          activation=None, changes=[], elder_url=None, failure=None,
                          captures=0, trials=[t.trial for t in tried],
                          toolbar_vendor=vendor_name(toolbar)), []
    captures: list[Capture | PageFailure] = []
    if best.capture is not None:
        captures.append(best.capture)
        # The other viewports and a separate version's further pages, all at once (in the
        # order listed): each is a context or tab of its own.
        others = [_activate(pool, home, best.trial.entry, toolbar, best.trial.handler, other,
                            settings, screenshot_dir)
                  for other in settings.viewports if other != home.viewport]
        more = (_more_elder_pages(pool, home, best.capture, settings, screenshot_dir)
                if best.kind == "link" else _no_pages())
        extras, pages = await asyncio.gather(asyncio.gather(*others), more)
        captures.extend(e.capture for e in extras if e.capture is not None)
        captures.extend(pages)
        captures.extend(best.further)
    trial = best.trial
    probe = ElderProbe(
        candidates=candidates[:10], entry=trial.entry, kind=best.kind, toolbar=toolbar,
        activation=trial.how, changes=trial.changes,
        elder_url=trial.url_after if best.kind == "link" else (
            best.capture.final_url if best.capture else trial.url_after),
        failure=None if best.kind != "broken" else trial.verdict,
        captures=len(captures), trials=[t.trial for t in tried],
        toolbar_vendor=vendor_name(toolbar),
    )
    return probe, captures


async def _no_pages() -> list[Capture | PageFailure]:
    return []


def _folder(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path.rsplit('/', 1)[0]}/"


def _place(url: str) -> tuple[str, str]:
    """Host (without `www.`, whatever the scheme or port) and folder of an address."""
    parts = urlsplit(url)
    return (parts.hostname or "").removeprefix("www."), parts.path.rsplit("/", 1)[0] + "/"


def _as_folder(url: str) -> str:
    """`url` with a slash after a last path segment that has no dot (`/elder` → `/elder/`)."""
    parts = urlsplit(url)
    last = parts.path.rsplit("/", 1)[-1]
    if not last or "." in last:
        return url
    return parts._replace(path=parts.path + "/").geturl()


def _query(url: str) -> set[tuple[str, str]]:
    return set(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def _leaves(marker: set[tuple[str, str]], url: str) -> bool:
    """Whether `url` sets a marking parameter to another value (`?elder=0` for `?elder=1`)."""
    query = _query(url)
    return any((name, value) not in query and any(k == name for k, _ in query)
               for name, value in marker)


def further_elder_urls(elder_home: str, home: str, links: list[str],
                       limit: int = EXTRA_ELDER_PAGES, now: float | None = None) -> list[str]:
    """Links of a separate elder version's home page that are pages of that version too.

    A version in a folder of its own (`/elder/`, `/elder` served without the slash, another
    host) owns what lies under it; a folder that holds the standard home (the site's root, for
    a home in `/portal/`) is not its own. One in the standard home's folder is marked only by
    its query (`?elder=1`, `index.html?mode=care`): its pages are the links that keep that
    query, except a cache-buster (`&_t=1733…`, `_cache_buster`) that none of them repeats: a
    toggle script added it to the reload, and it marks nothing. Never taken:
    the standard home and the elder home, under their own names, their folder's default
    document or without a cache-buster (`/?mode=care` is `/index.html?mode=care&_t=1733…`),
    a page already taken under such another name, and a link that sets a marking
    parameter otherwise (its way out, `?elder=0`). Without a folder or a query to tell them
    apart, none is taken. `now`: the time a script's cache-buster is compared with (the
    clock's by default)."""
    now = time.time() if now is None else now
    base = normalize_url(elder_home) or elder_home
    standard = normalize_url(home) or home
    urls = [url for link in links if (url := normalize_url(link))]
    carried = {pair for url in urls for pair in _query(url)}
    marker = {pair for pair in _query(base) - _query(standard)
              if pair in carried or not _cache_buster(*pair, now)}
    # `/elder` served as it is (no redirect to `/elder/`): its pages lie under `/elder/`
    named = base if marker else _as_folder(base)
    folder = _folder(named)
    (host, path), (home_host, home_path) = _place(named), _place(standard)
    own_folder = host != home_host or not home_path.startswith(path)
    if not own_folder and not marker:
        return []
    return _first_pages(
        urls, [base, standard], limit, now,
        lambda url: (url.startswith(folder) and same_site(url, base) and not _leaves(marker, url)
                     and (own_folder or marker <= _query(url))))


def _first_pages(urls: Sequence[str], taken: Sequence[str], limit: int, now: float,
                 wanted: Callable[[str], bool]) -> list[str]:
    """The first `limit` of `urls` that are `wanted`, each page once (`_page_key`), none of
    them one of the pages `taken` already."""
    seen = {_page_key(url, now) for url in taken}
    picked: list[str] = []
    for url in urls:
        key = _page_key(url, now)
        if key not in seen and wanted(url):
            picked.append(url)
            seen.add(key)
        if len(picked) >= limit:
            break
    return picked


def toggled_pages(home: str, links: list[str], limit: int = EXTRA_ELDER_PAGES,
                  now: float | None = None) -> list[str]:
    """The pages a switch's stored elder mode is followed to: the home's first links to other
    pages of its site, each page once (not the home under another name, not a file)."""
    now = time.time() if now is None else now
    standard = normalize_url(home) or home
    urls = [url for link in links if (url := normalize_url(link))]
    return _first_pages(
        urls, [standard], limit, now,
        lambda url: (url.startswith(("http://", "https://")) and same_site(url, standard)
                     and not looks_like_non_html(url)))


BUSTER_NAMES = frozenset({"_", "_t", "t", "ts", "_ts", "timestamp", "_dc", "nocache", "rnd",
                          "rand", "random", "_r", "r"})
"""Names that scripts give a parameter whose only job is to miss the cache."""
_BUSTER_VALUE = re.compile(r"\d{6,}|0?\.\d{4,}")
"""What such a parameter holds: a time or a counter, or `Math.random()`."""
NOW_S = 86_400.0
"""How near the scan's own time a bare 10- or 13-digit value must be to be taken for the time
a script added (`Date.now()` at the click); a page's id that happens to be a number that long
(`?articleid=2024120500001`) is not."""


def _cache_buster(name: str, value: str, now: float) -> bool:
    """A parameter whose value changes with every load: under a buster's name, a number or a
    random fraction (`t=1` or `r=news` are not); under any name, the time of the scan in seconds
    or milliseconds (within `NOW_S` of `now`)."""
    if value.isdigit() and len(value) in (10, 13):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        if abs(seconds - now) <= NOW_S:
            return True
    return name.lower() in BUSTER_NAMES and _BUSTER_VALUE.fullmatch(value) is not None


DEFAULT_DOCUMENTS = frozenset({
    "index.html", "index.htm", "index.shtml", "index.jsp", "index.php", "index.asp",
    "index.aspx", "default.html", "default.htm", "default.asp", "default.aspx"})
"""Names a server answers for a folder's own address: `/news/` and `/news/index.html` are
one page to the elder version's crawl."""


def _page_key(url: str, now: float) -> str:
    """`url` without a last path segment that names its folder's default document, nor a
    cache-buster in its query: what tells one page of the version from another."""
    parts = urlsplit(url)
    folder, _, last = parts.path.rpartition("/")
    path = folder + "/" if last.lower() in DEFAULT_DOCUMENTS else parts.path
    query = urlencode([pair for pair in parse_qsl(parts.query, keep_blank_values=True)
                       if not _cache_buster(*pair, now)])
    return parts._replace(path=path, query=query).geturl()


async def _more_elder_pages(pool: BrowserPool, home: Capture, elder_home: Capture,
                            settings: ScanSettings,
                            screenshot_dir: Path | None) -> list[Capture | PageFailure]:
    """A few pages of a separate elder version (`further_elder_urls`)."""
    picked = further_elder_urls(elder_home.final_url, home.final_url or home.url,
                                elder_home.links)
    # At once: each is a tab of its own, and most of a capture is waiting on the page.
    return list(await asyncio.gather(*(
        capture_page(pool, url, "desktop", settings, mode="elder", screenshot_dir=screenshot_dir,
                     probe=True)
        for url in picked)))
