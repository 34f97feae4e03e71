"""Find the read-aloud control, press it, and observe whether speech really starts and stops.

Before the page's scripts run, `speechSynthesis.speak/cancel/pause`, `HTMLMediaElement.play/
pause` and Web Audio's `start` are wrapped to count calls, and requests that look like TTS or
audio are watched. A control labelled 语音 that triggers none of these is "found, not
functional" — the case a regulator most needs to know about.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from importlib import resources
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request

from elderscan.capture import Capture, Entry, VoiceKind, VoiceProbe
from elderscan.errors import first_line
from elderscan.runner.settings import ScanSettings
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.entries import (
    STOP_WORDS,
    VOICE_WORDS,
    toolbar_opener,
    voice_candidates,
)
from elderscan.scanner.page import (
    BrowserCrashed,
    PageFailed,
    PageRecorder,
    classify,
    context_gone,
    navigate,
)

_JS = resources.files("elderscan.scanner").joinpath("js")
WAIT_MS = 1000
POLL_MS = 100
GRACE_MS = 200
TTS_URL = re.compile(r"tts|text2audio|speech|synthes|yuyin|duyin|langdu", re.IGNORECASE)
AUDIO_URL = re.compile(r"\.(mp3|wav|m4a|ogg|aac|opus)(\?|$)", re.IGNORECASE)

VOICE_INIT = _JS.joinpath("voice_init.js").read_text("utf-8")

FIND_JS = _JS.joinpath("voice_find.js").read_text("utf-8")
STOP_JS = _JS.joinpath("voice_stop.js").read_text("utf-8")
PARAGRAPH_JS = _JS.joinpath("voice_paragraph.js").read_text("utf-8")


def _counts(raw: dict[str, Any], requests: dict[str, int]) -> dict[str, int]:
    keys = ("speak", "cancel", "pause", "play", "media_pause", "webaudio")
    counts = {key: int(raw.get(key, 0)) for key in keys}
    counts.update(requests)
    return counts


def _kind(counts: dict[str, int]) -> VoiceKind:
    """Where the speech comes from: the browser's own voice, a TTS service, or an audio file."""
    if counts["speak"]:
        return "speech-synthesis"
    if counts["tts_requests"]:
        return "tts-request"
    if counts["play"] or counts["webaudio"] or counts["audio_requests"]:
        return "audio"
    return "none"


def _speaks(counts: dict[str, int]) -> bool:
    return _kind(counts) != "none"


def _stops(counts: dict[str, int]) -> int:
    return counts["cancel"] + counts["pause"] + counts["media_pause"]


async def _observe(page: Page, requests: dict[str, int],
                   seen: Callable[[dict[str, int]], bool], limit_ms: int,
                   since: dict[str, int] | None = None) -> dict[str, int]:
    """The counters once `seen` holds for them (after a short grace for what follows: the
    audio a TTS request fetches), else after `limit_ms`. Speech that starts does so within
    milliseconds of the press; only its absence needs the whole wait (a scan of a site whose
    control works no longer waits 2.5 s for it)."""
    deadline = time.monotonic() + limit_ms / 1000
    counts = since or _counts({}, requests)
    while True:
        counts = _most(counts, await _read(page, requests))
        if seen(counts):
            await page.wait_for_timeout(GRACE_MS)
            return _most(counts, await _read(page, requests))
        left = deadline - time.monotonic()
        if left <= 0:
            return counts
        await page.wait_for_timeout(min(POLL_MS, left * 1000))


def _most(seen: dict[str, int], now: dict[str, int] | None) -> dict[str, int]:
    """Counters only grow within a document; a press that navigates starts them at zero in
    the new one, and what the old one did still counts as seen."""
    return seen if now is None else {key: max(seen.get(key, 0), now[key]) for key in now}


async def _read(page: Page, requests: dict[str, int]) -> dict[str, int] | None:
    """The counters now; None while the press's navigation replaces the document."""
    try:
        return _counts(await page.evaluate("window.__elderscanVoice"), requests)
    except PlaywrightError as exc:
        if not context_gone(exc):
            raise
        return None


async def press(page: Page, selector: str) -> bool:
    """Click like a user; if a pop-up covers the control, fire the click on it directly."""
    try:
        await page.click(selector, timeout=1500, no_wait_after=True)
        return True
    except PlaywrightError:
        pass
    try:
        await page.dispatch_event(selector, "click", timeout=1500)
        return True
    except PlaywrightError:
        return False


async def point_at(page: Page, selector: str) -> None:
    """Rest the pointer on text (指读); dispatch the events when an overlay is in the way."""
    try:
        await page.hover(selector, timeout=1500)
    except PlaywrightError:
        for event in ("mouseover", "mouseenter", "mousemove"):
            await page.dispatch_event(selector, event, timeout=1500)


async def probe_voice(pool: BrowserPool, home: Capture, settings: ScanSettings) -> VoiceProbe:
    candidates = voice_candidates(home)
    opener = toolbar_opener(home)
    if not candidates and opener is None:
        return VoiceProbe(candidates=[], entry=None, found=False, functional=False, kind="none",
                          stoppable=None, evidence={}, failure=None)
    try:
        return await _probe(pool, home, settings, candidates, opener.selector if opener else None)
    except PageFailed as failed:
        return VoiceProbe(candidates=candidates[:10], entry=candidates[0] if candidates else None,
                          found=bool(candidates), functional=None, kind="none", stoppable=None,
                          evidence={}, failure=f"the page failed: {failed.message}")
    except PlaywrightError as exc:
        if classify(exc) == "browser-crash" or not pool.is_alive():
            raise BrowserCrashed(str(exc)) from exc
        return VoiceProbe(candidates=candidates[:10], entry=candidates[0] if candidates else None,
                          found=bool(candidates), functional=None, kind="none", stoppable=None,
                          evidence={}, failure=first_line(exc, 200))


async def _probe(pool: BrowserPool, home: Capture, settings: ScanSettings,
                 candidates: list[Entry], opener: str | None) -> VoiceProbe:
    words = [re.escape(w) for w, _ in VOICE_WORDS]
    async with pool.context(home.viewport) as ctx:
        await ctx.add_init_script(VOICE_INIT)
        page = await ctx.new_page()
        # The page's own clock, as in the capture: the settle wait is run ahead, not waited.
        await page.clock.install()
        recorder = PageRecorder(page)
        await navigate(page, recorder, home.url, settings, fake_clock=True)
        requests = {"tts_requests": 0, "audio_requests": 0}

        def on_request(request: Request) -> None:
            if TTS_URL.search(request.url):
                requests["tts_requests"] += 1
            elif request.resource_type == "media" or AUDIO_URL.search(request.url):
                requests["audio_requests"] += 1

        page.on("request", on_request)
        entry = next((c for c in candidates if c.box is not None), None)
        selector = entry.selector if entry else None
        if selector is None and opener is not None:
            # Voice add-ons of the common toolbars appear only once the toolbar is open.
            await press(page, opener)
            await page.wait_for_timeout(500)
            selector = await page.evaluate(FIND_JS, [words, STOP_WORDS.pattern])
        if selector is None:
            first = candidates[0] if candidates else None
            return VoiceProbe(candidates=candidates[:10], entry=first,
                              found=bool(candidates), functional=False if candidates else None,
                              kind="none", stoppable=None, evidence={},
                              failure="no visible read-aloud control to press")
        await press(page, selector)
        counts = await _observe(page, requests, _speaks, WAIT_MS)
        if not _speaks(counts):  # 指读: reading starts when the pointer rests on text
            paragraph = await page.evaluate(PARAGRAPH_JS)
            if paragraph:
                await point_at(page, paragraph)
                counts = await _observe(page, requests, _speaks, WAIT_MS, counts)
                if not _speaks(counts):
                    await press(page, paragraph)
                    counts = await _observe(page, requests, _speaks, WAIT_MS // 2, counts)
        kind = _kind(counts)
        functional = kind != "none"
        stoppable: bool | None = None
        if functional:
            before = _stops(counts)
            stop = await page.evaluate(STOP_JS, STOP_WORDS.pattern)
            await press(page, stop or selector)
            counts = await _observe(page, requests, lambda now: _stops(now) > before,
                                    WAIT_MS // 2, counts)
            stoppable = _stops(counts) > before
        found_entry = entry or (candidates[0] if candidates else None)
        return VoiceProbe(candidates=candidates[:10], entry=found_entry, found=True,
                          functional=functional, kind=kind, stoppable=stoppable, evidence=counts,
                          failure=None if functional else "pressing it started no speech")
