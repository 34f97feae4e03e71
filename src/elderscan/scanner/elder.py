"""Find the elder-mode entry, switch it on in a fresh context, and capture the result.

Portals do it three ways: a link to a separate version (`/ghb/`, a `wap.` host), an in-page
toggle that adds a class and remembers it in localStorage, or a toolbar script (`window.aria`,
`body.useOldFixed`). The probe tries the best-ranked candidates in turn, records what each
activation changed, and hands back elder-mode captures for the checks. Judging whether the mode
is *effective* (text ≥ 18 px) is the checks' job, not this module's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from elderscan.capture import Capture, ElderKind, ElderProbe, Entry, PageFailure, Viewport
from elderscan.errors import first_line
from elderscan.runner.settings import ScanSettings
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.entries import elder_candidates, toolbar_fingerprint
from elderscan.scanner.page import (
    BrowserCrashed,
    Navigation,
    PageFailed,
    PageRecorder,
    capture_page,
    classify,
    collect,
    navigate,
)
from elderscan.scanner.urls import normalize_url, same_site
from elderscan.scanner.voice import press

_JS = resources.files("elderscan.scanner").joinpath("js")
MAX_TRIES = 3
EXTRA_ELDER_PAGES = 2
CLICK_WAIT_MS = 1200

STATE_JS = _JS.joinpath("elder_state.js").read_text("utf-8")
TOOLBAR_CALL_JS = _JS.joinpath("toolbar_call.js").read_text("utf-8")


@dataclass
class _Outcome:
    kind: ElderKind
    capture: Capture | None = None
    activation: str | None = None
    changes: list[str] = field(default_factory=list)
    elder_url: str | None = None
    failure: str | None = None


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    changes: list[str] = []
    if before["url"] != after["url"]:
        changes.append(f"url: {after['url']}")
    if before["html_class"] != after["html_class"]:
        changes.append(f"html.class: {after['html_class']}")
    for name in sorted(set(before["body"]) | set(after["body"])):
        if before["body"].get(name) != after["body"].get(name):
            changes.append(f"body[{name}]: {after['body'].get(name)}")
    for key in sorted(set(after["storage"]) - set(before["storage"])):
        changes.append(f"localStorage.{key}")
    for key in sorted(set(after["storage"]) & set(before["storage"])):
        if before["storage"][key] != after["storage"][key]:
            changes.append(f"localStorage.{key}")
    old = {c.split("=")[0].strip() for c in before["cookie"].split(";") if c.strip()}
    new = {c.split("=")[0].strip() for c in after["cookie"].split(";") if c.strip()}
    changes.extend(f"cookie.{name}" for name in sorted(new - old))
    if before["text_px"] and after["text_px"] and after["text_px"] != before["text_px"]:
        changes.append(f"text: {before['text_px']:g}px → {after['text_px']:g}px")
    return changes


def _is_link(entry: Entry, page_url: str) -> bool:
    href = entry.href
    if not href or not href.lower().startswith(("http://", "https://")):
        return False
    target = normalize_url(href)
    return target is not None and target != normalize_url(page_url)


async def _activate(pool: BrowserPool, home_url: str, entry: Entry, toolbar: str | None,
                    viewport: Viewport, settings: ScanSettings,
                    screenshot_dir: Path | None) -> _Outcome:
    if _is_link(entry, home_url):
        assert entry.href is not None
        result = await capture_page(pool, entry.href, viewport, settings, mode="elder",
                                    screenshot_dir=screenshot_dir)
        if isinstance(result, PageFailure):
            return _Outcome("broken", activation="follow-link", elder_url=entry.href,
                            failure=f"the entry leads to a page that failed: {result.message}")
        if not result.text_runs:
            return _Outcome("broken", activation="follow-link", elder_url=entry.href,
                            failure="the entry leads to a page with no text")
        return _Outcome("link", result, "follow-link", ["url"], result.final_url)
    try:
        async with pool.context(viewport) as ctx:
            page = await ctx.new_page()
            recorder = PageRecorder(page)
            nav = await navigate(page, recorder, home_url, settings)
            return await _toggle(page, recorder, nav, home_url, entry, toolbar, viewport,
                                 settings, screenshot_dir, pool.version)
    except PageFailed as failed:
        return _Outcome("broken", failure=f"the page failed: {failed.message}")
    except PlaywrightError as exc:
        if classify(exc) == "browser-crash" or not pool.is_alive():
            raise BrowserCrashed(str(exc)) from exc
        return _Outcome("broken", failure=f"activation failed: {first_line(exc)}")


async def _toggle(page: Page, recorder: PageRecorder, nav: Navigation, home_url: str,
                  entry: Entry, toolbar: str | None, viewport: Viewport,
                  settings: ScanSettings, screenshot_dir: Path | None,
                  chromium: str) -> _Outcome:
    before = await page.evaluate(STATE_JS)
    popups: list[Page] = []

    def on_popup(new: Page) -> None:
        popups.append(new)

    page.context.on("page", on_popup)
    activation = "click" if await press(page, entry.selector) else "click-failed"
    await page.wait_for_timeout(CLICK_WAIT_MS)
    if popups:  # the entry opened its version in a new window: that is a link
        new = popups[0]
        await new.wait_for_load_state("load", timeout=settings.LOAD_TIMEOUT * 1000)
        new_nav = Navigation(status=None, started=time.perf_counter(),
                             loaded=time.perf_counter())
        capture = await collect(new, PageRecorder(new), new_nav, new.url, viewport, "elder",
                                settings, screenshot_dir, chromium)
        return _Outcome("link", capture, "click-new-window", ["new window"], new.url)
    await page.wait_for_load_state("load", timeout=settings.LOAD_TIMEOUT * 1000)
    after = await page.evaluate(STATE_JS)
    changes = _diff(before, after)
    if not changes and toolbar and await page.evaluate(TOOLBAR_CALL_JS):
        activation = "toolbar-call"
        await page.wait_for_timeout(CLICK_WAIT_MS)
        after = await page.evaluate(STATE_JS)
        changes = _diff(before, after)
    if not changes:
        return _Outcome("broken", activation=activation,
                        failure="activating the entry changed nothing on the page")
    navigated = after["url"] != before["url"]
    status = recorder.main_response.status if navigated and recorder.main_response else None
    if status is not None and status >= 400:
        return _Outcome("broken", activation=activation, elder_url=after["url"],
                        failure=f"the entry leads to an error page (HTTP {status})")
    now = time.perf_counter()
    capture = await collect(page, recorder, Navigation(status, now, now), page.url, viewport,
                            "elder", settings, screenshot_dir, chromium)
    if navigated:
        return _Outcome("link", capture, activation, changes, page.url)
    kind: ElderKind = "toolbar" if (toolbar or entry.source == "fingerprint") else "toggle"
    return _Outcome(kind, capture, activation, changes, page.url)


async def probe_elder(
    pool: BrowserPool,
    home: Capture,
    settings: ScanSettings,
    screenshot_dir: Path | None = None,
) -> tuple[ElderProbe, list[Capture | PageFailure]]:
    """The probe's verdict on how elder mode is offered, and the elder-mode captures."""
    candidates = elder_candidates(home)
    toolbar = toolbar_fingerprint(home)
    if not candidates:
        return ElderProbe(candidates=[], entry=None, kind="none", toolbar=toolbar,
                          activation=None, changes=[], elder_url=None, failure=None,
                          captures=0), []
    outcome = _Outcome("broken", failure="no candidate could be activated")
    entry = candidates[0]
    for candidate in candidates[:MAX_TRIES]:
        entry = candidate
        outcome = await _activate(pool, home.url, candidate, toolbar, home.viewport, settings,
                                  screenshot_dir)
        if outcome.kind != "broken":
            break
    captures: list[Capture | PageFailure] = []
    if outcome.capture is not None:
        captures.append(outcome.capture)
        for other in settings.viewports:
            if other == home.viewport or outcome.kind == "broken":
                continue
            extra = await _activate(pool, home.url, entry, toolbar, other, settings,
                                    screenshot_dir)
            if extra.capture is not None:
                captures.append(extra.capture)
        if outcome.kind == "link":
            captures.extend(await _more_elder_pages(pool, outcome.capture, settings,
                                                    screenshot_dir))
    probe = ElderProbe(
        candidates=candidates[:10], entry=entry, kind=outcome.kind, toolbar=toolbar,
        activation=outcome.activation, changes=outcome.changes, elder_url=outcome.elder_url,
        failure=outcome.failure, captures=len(captures),
    )
    return probe, captures


async def _more_elder_pages(pool: BrowserPool, elder_home: Capture, settings: ScanSettings,
                            screenshot_dir: Path | None) -> list[Capture | PageFailure]:
    """A few pages of a separate elder version, under the same path as its home page."""
    base = elder_home.final_url
    prefix = base.rsplit("/", 1)[0] + "/"
    picked: list[str] = []
    for link in elder_home.links:
        url = normalize_url(link)
        if (url and url.startswith(prefix) and same_site(url, base)
                and url != normalize_url(base) and url not in picked):
            picked.append(url)
        if len(picked) >= EXTRA_ELDER_PAGES:
            break
    results: list[Capture | PageFailure] = []
    for url in picked:
        results.append(await capture_page(pool, url, "desktop", settings, mode="elder",
                                          screenshot_dir=screenshot_dir))
    return results
