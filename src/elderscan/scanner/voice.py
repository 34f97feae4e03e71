"""Find the read-aloud control, press it, and observe whether speech really starts and stops.

Before the page's scripts run, `speechSynthesis.speak/cancel/pause`, `HTMLMediaElement.play/
pause` and Web Audio's `start` are wrapped to count calls (and to wake the probe the moment one
happens), and elements given a click handler are remembered. The controls are looked for in the
live page (`voice_find.js`): labelled ones (语音朗读, 播报 …), whether or not they do anything,
and image-only widgets known by a click handler and their class/src. Voice input (语音搜索, a
microphone by a search box) is listed and never pressed. The candidates are pressed best first
until one speaks; each is recorded with what happened. Requests that carry the page's text to
a speech service (EsdToolbar's `…/textToSound`) are read-aloud even when the service does not
answer: the result says so instead of calling the control dead.

Longer than most modules: the press, the watch on the page's speech calls and requests, and the
event that ends each wait are one state machine over one page.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request, Response

from elderscan.capture import (
    Capture,
    Entry,
    SpeechRequest,
    VoiceKind,
    VoiceOutcome,
    VoiceProbe,
    VoiceTry,
)
from elderscan.errors import first_line
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.entries import (
    NOT_VOICE,
    STOP_WORDS,
    VOICE_WORDS,
    toolbar_opener,
    voice_candidates,
)
from elderscan.scanner.failures import BrowserCrashed, PageFailed, classify, context_gone
from elderscan.scanner.interact import PageError
from elderscan.scanner.navigation import navigate
from elderscan.scanner.quiet import PageTime, Quiet
from elderscan.scanner.recorder import PageRecorder
from elderscan.settings import ScanSettings

_JS = resources.files("elderscan.scanner").joinpath("js")
WAIT_MS = 1000
"""How long a press may take to start speech; only a silent control costs all of it."""
GRACE_MS = 200
ANSWER_MS = 3000
"""How long a speech service may take to answer (or fail) once the page asked it."""
TOOLBAR_MS = 2000
"""How long a toolbar may take to show its controls after its button is pressed."""
MAX_TRIES = 4
TTS_URL = re.compile(r"tts|text2audio|texttosound|text2speech|tospeech|tosound|tovoice|speech|"
                     r"synthes|yuyin|duyin|langdu|bobao", re.IGNORECASE)
AUDIO_URL = re.compile(r"\.(mp3|wav|m4a|ogg|aac|opus)(\?|$)", re.IGNORECASE)
CALL_TYPES = frozenset({"xhr", "fetch", "media", "other"})
"""Resource types a speech request can have: a script or style sheet named speech.js is not one."""
VOICE_INPUT = (r"语音搜索|语音输入|语音识别|语音提问|按住说话|麦克风|microphone|"
               r"(?<![a-z])(mic|asr)(?![a-z])|voice[-_ ]?(search|input)|"
               r"speech[-_ ]?(input|recogni)|luyin")
"""Speech going in, not out: a search box's microphone is not read-aloud."""
ATTR_WORDS = (r"voice|speak|speech|read[-_]?(aloud|all|article|btn|button|icon|news|text)|"
              r"langdu|yuyin|bobao|tingdu|duyin|tingwen|listen|laba|erji|headphone|"
              r"(?<![a-z])(tts|yyld|yybb|yydd)(?![a-z])")
"""What an image-only widget's class, id or image file is called when it has no text: English,
pinyin (langdu 朗读, yuyin 语音, bobao 播报, tingwen 听文, laba 喇叭, erji 耳机) and the initials
real portals use (yyld 语音朗读, yybb 语音播报)."""
READ_WORDS = r"朗读|播报|听|读|read|listen|speak"
MAX_BODY = 20_000
"""Characters of a request body searched for page text (a 1,200-character piece fits)."""
CARRIED = re.compile(r"[^\s\"'<>{}=&]{30,}")
"""A run of 30+ characters in a request: page text being sent to be spoken."""

VOICE_INIT = _JS.joinpath("voice_init.js").read_text("utf-8")
FIND_JS = _JS.joinpath("voice_find.js").read_text("utf-8")
STOP_JS = _JS.joinpath("voice_stop.js").read_text("utf-8")
PARAGRAPH_JS = _JS.joinpath("voice_paragraph.js").read_text("utf-8")
SPEAKING: frozenset[VoiceOutcome] = frozenset({"speech-synthesis", "audio", "tts-request"})


def _counts(raw: dict[str, Any], requests: dict[str, int]) -> dict[str, int]:
    keys = ("speak", "cancel", "pause", "play", "media_pause", "webaudio")
    counts = {key: int(raw.get(key, 0)) for key in keys}
    counts.update(requests)
    return counts


SPEECH_KEYS = ("speak", "tts_requests", "play", "webaudio", "audio_requests")
"""The counters of speech started (the rest count speech stopped)."""


def _speaks(counts: dict[str, int]) -> bool:
    return any(counts[k] for k in SPEECH_KEYS)


def _stops(counts: dict[str, int]) -> int:
    return counts["cancel"] + counts["pause"] + counts["media_pause"]


def _most(seen: dict[str, int], now: dict[str, int] | None) -> dict[str, int]:
    """Counters only grow within a document; a press that navigates starts them at zero in
    the new one, and what the old one did still counts as seen."""
    return seen if now is None else {key: max(seen.get(key, 0), now[key]) for key in now}


def carried_chars(payload: str, page_text: str, title: str = "") -> int:
    """How many characters of the page's own text a request carries (0: none) — the mark of
    a request that asks a server to speak the article, whatever its URL is called. The page
    title does not count: analytics beacons send it with every click."""
    values = [payload]
    try:
        data = json.loads(payload)
        values = [str(v) for v in data.values()] if isinstance(data, dict) else [payload]
    except ValueError:
        values = [unquote_plus(payload)]
    best = 0
    for value in values:
        for run in CARRIED.findall(re.sub(r"\s+", "", value)):
            if run[:30] in page_text and run[:30] not in title:
                best = max(best, len(run))
    return best


@dataclass
class _Watch:
    """The probe's ears: speech-service and audio requests, and an event set by anything heard."""

    page_text: str = ""
    title: str = ""
    heard: asyncio.Event = field(default_factory=asyncio.Event)
    calls: list[dict[str, Any]] = field(default_factory=list)
    audio: int = 0
    _open: dict[int, dict[str, Any]] = field(default_factory=dict)

    def counters(self) -> dict[str, int]:
        return {"tts_requests": len(self.calls), "audio_requests": self.audio}

    def on_request(self, request: Request) -> None:
        if request.resource_type not in CALL_TYPES and request.method != "POST":
            return
        try:
            body = (request.post_data or "")[:MAX_BODY]
        except (UnicodeDecodeError, PlaywrightError):  # a binary upload: not text to speak
            body = ""
        query = urlsplit(request.url).query
        chars = max(carried_chars(body, self.page_text, self.title),
                    carried_chars(query, self.page_text, self.title))
        if TTS_URL.search(urlsplit(request.url).path) or chars:
            call = {"url": request.url, "method": request.method, "chars": chars,
                    "status": None, "failure": None, "done": False}
            self.calls.append(call)
            self._open[id(request)] = call
        elif request.resource_type == "media" or AUDIO_URL.search(request.url):
            self.audio += 1
        else:
            return
        self.heard.set()

    def on_response(self, response: Response) -> None:
        call = self._open.pop(id(response.request), None)
        if call is not None:
            call.update(status=response.status, done=True)
            self.heard.set()

    def on_failed(self, request: Request) -> None:
        call = self._open.pop(id(request), None)
        if call is not None:
            call.update(failure=request.failure or "failed", done=True)
            self.heard.set()

    def answered(self, since: int) -> bool:
        return all(c["done"] for c in self.calls[since:])

    def outcome(self, counts: dict[str, int], since: int) -> VoiceOutcome:
        calls = self.calls[since:]
        if counts["speak"]:
            return "speech-synthesis"
        if calls:
            ok = any(c["status"] is not None and c["status"] < 400 for c in calls)
            return "tts-request" if ok else "tts-unreachable"
        if counts["play"] or counts["webaudio"] or counts["audio_requests"]:
            return "audio"
        return "silent"


async def _read(page: Page, watch: _Watch) -> dict[str, int] | None:
    """The counters now; None while the press's navigation replaces the document."""
    try:
        return _counts(await page.evaluate("window.__elderscanVoice || {}"), watch.counters())
    except PlaywrightError as exc:
        if not context_gone(exc):
            raise
        return None


async def _observe(page: Page, watch: _Watch, seen: Callable[[dict[str, int]], bool],
                   limit_ms: int, since: dict[str, int], quiet: Quiet,
                   page_error: PageError) -> dict[str, int]:
    """The counters once `seen` holds for them (after a short grace for what follows: the
    audio a TTS request fetches), else once the page has had `limit_ms` of its own time and
    what it set loading since the press has arrived (`quiet`), at most `limit_ms` of real time,
    or `LOADING_MS` while a script the press set loading is still on its way (a vendor's
    read-aloud code fetched on the first press).
    The wait ends on the page's signal (a wrapped speak/play/cancel, a watched request) or its
    network going quiet, not on a timer: the page's timers due in `limit_ms` are run ahead on
    its clock, so a silent control costs a short quiet, not the whole wait."""
    timers = PageTime(page, quiet, limit_ms, page_error)
    counts = since
    while True:
        watch.heard.clear()
        counts = _most(counts, await _read(page, watch))
        if seen(counts):
            await page.wait_for_timeout(GRACE_MS)
            return _most(counts, await _read(page, watch))
        if await timers.run_if_due():  # what the press (or a script it loaded) scheduled
            continue
        if quiet.settled() or (timers.left_ms() <= 0 and not timers.stretch()):
            return counts
        await _heard(watch, min(timers.left_ms() / 1000, 0.1))


async def _heard(watch: _Watch, seconds: float) -> None:
    """Until the page or the network says something happened, or `seconds` pass."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(watch.heard.wait(), seconds)


async def _answers(watch: _Watch, since: int) -> None:
    """Wait until every speech request since `since` was answered or failed (bounded)."""
    deadline = time.monotonic() + ANSWER_MS / 1000
    while not watch.answered(since) and (left := deadline - time.monotonic()) > 0:
        watch.heard.clear()
        await _heard(watch, left)


ARM_JS = """(selector) => {
  window.__elderscanPressed = false;
  const listen = (e) => {
    let control = null;
    try { control = document.querySelector(selector); } catch (err) { /* not CSS: never ours */ }
    if (e.isTrusted && control && control.contains(e.target)) {
      window.__elderscanPressed = true;
      document.removeEventListener('click', listen, true);
    }
  };
  document.addEventListener('click', listen, true);
}"""
"""Notes whether the user's click reached the control, so a press is never fired twice."""
PRESSED_JS = "() => window.__elderscanPressed !== false"
"""true also in a new document: a click that reloaded the page (Lonsun's 长辈版) arrived"""


async def press(page: Page, selector: str) -> bool:
    """Click like a user; if a pop-up covers the control, fire the click on it directly.

    Once: a click that Chromium delivered can still time out here (a handler that holds the
    renderer, a busy machine), and firing it again would run the handler twice — a read-aloud
    or care-mode switch pressed twice is off again."""
    armed = False
    with contextlib.suppress(PlaywrightError):
        await page.evaluate(ARM_JS, selector)
        armed = True
    try:
        await page.click(selector, timeout=1500, no_wait_after=True)
        return True
    except PlaywrightError:
        pass
    with contextlib.suppress(PlaywrightError):
        if armed and await page.evaluate(PRESSED_JS):
            return True
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


@dataclass(frozen=True)
class _Found:
    """A candidate as the live page showed it: the entry, its mark for pressing, voice input?"""

    entry: Entry
    mark: str
    voice_input: bool


async def _find(page: Page) -> list[_Found]:
    raw: list[dict[str, Any]] = await page.evaluate(FIND_JS, [
        [list(w) for w in VOICE_WORDS], NOT_VOICE.pattern, VOICE_INPUT, ATTR_WORDS, READ_WORDS])
    found = []
    for item in raw:
        entry = Entry(text=item["text"], name=item["name"], selector=item["selector"],
                      tag=item["tag"], href=item["href"], box=tuple(item["box"]),
                      in_first_screen=item["in_first_screen"], landmark=item["landmark"],
                      keyboard_reachable=item["keyboard_reachable"], keyword=item["keyword"],
                      source=item["source"], score=float(item["score"]))
        found.append(_Found(entry=entry, mark=item["mark"], voice_input=item["input"]))
    return found


def worth_probing(home: Capture) -> bool:
    """Whether the home page shows any sign of a voice control: a voice word in a short text
    or a control's name, an image or script named like one, or an accessibility toolbar. A
    page with none is not loaded again (most pages: the probe then costs nothing)."""
    words = [w for w, _ in VOICE_WORDS]
    attr = re.compile(ATTR_WORDS + "|" + VOICE_INPUT, re.IGNORECASE)
    texts = [r.text for r in home.text_runs if len(r.text) <= 40]
    texts += [" ".join(filter(None, (i.text[:40], i.name[:40], i.aria_label, i.title)))
              for i in home.interactive]
    return (home.text_runs_truncated
            or any(w in t.lower() for t in texts for w in words)
            or any(attr.search(" ".join(filter(None, (i.src, i.classes, i.id, i.alt))))
                   for i in home.images)
            or any(attr.search(src) or TTS_URL.search(src) for src in home.scripts)
            or toolbar_opener(home) is not None)


async def probe_voice(pool: BrowserPool, home: Capture, settings: ScanSettings) -> VoiceProbe:
    if not worth_probing(home):
        return VoiceProbe(candidates=[], entry=None, found=False, functional=False, kind="none",
                          stoppable=None, evidence={}, failure=None)
    try:
        return await _probe(pool, home, settings)
    except PageFailed as failed:
        return _unprobed(home, f"the page failed: {failed.message}")
    except PlaywrightError as exc:
        if classify(exc) == "browser-crash" or not pool.is_alive():
            raise BrowserCrashed(str(exc)) from exc
        return _unprobed(home, first_line(exc, 200))


def _unprobed(home: Capture, failure: str) -> VoiceProbe:
    """The page could not be probed: what the capture shows is found, whether it speaks is
    unknown (never a missing control for a page that failed to load again)."""
    candidates = voice_candidates(home)
    return VoiceProbe(candidates=candidates[:10], entry=candidates[0] if candidates else None,
                      found=bool(candidates), functional=None, kind="none", stoppable=None,
                      evidence={}, reason="probe-failed", failure=failure)


class _Session:
    """One probe's page: the candidates met so far and what pressing each did."""

    def __init__(self, page: Page, watch: _Watch, home: Capture, settings: ScanSettings,
                 recorder: PageRecorder) -> None:
        self.page, self.watch, self.home = page, watch, home
        self.settings, self.recorder = settings, recorder
        self.found: list[_Found] = []
        self.marks: dict[str, str] = {}
        """selector → the mark that presses it in the current document"""
        self.tried: dict[str, VoiceOutcome] = {}
        self.counts = _counts({}, watch.counters())
        self.quiet = Quiet(page)

    async def observe(self, seen: Callable[[dict[str, int]], bool], limit_ms: int,
                      since: dict[str, int]) -> dict[str, int]:
        return await _observe(self.page, self.watch, seen, limit_ms, since, self.quiet,
                              self.recorder.page_error)

    async def press(self, selector: str) -> bool:
        """Press, with the requests it starts watched from here on."""
        self.quiet.mark()
        return await press(self.page, selector)

    async def discover(self) -> list[_Found]:
        """Candidates not met before, best first."""
        known = {f.entry.selector for f in self.found}
        now = await _find(self.page)
        self.marks.update((f.entry.selector, f.mark) for f in now)
        fresh = [f for f in now if f.entry.selector not in known]
        self.found.extend(fresh)
        return fresh

    async def attempt(self, cand: _Found, point: bool) -> VoiceOutcome:
        """Press one candidate (and, for the first, rest the pointer on text: 指读)."""
        page, watch = self.page, self.watch
        calls_before, url_before = len(watch.calls), page.url
        base = dict(self.counts)

        def fresh(now: dict[str, int]) -> bool:
            return _speaks({k: v - base.get(k, 0) for k, v in now.items()})

        mark = self.marks.get(cand.entry.selector)
        if mark is None or not await self.press(mark):
            return "not-pressed"
        counts = await self.observe(fresh, WAIT_MS, base)
        if not fresh(counts) and point:
            paragraph = await page.evaluate(PARAGRAPH_JS)
            if paragraph:
                self.quiet.mark()
                await point_at(page, paragraph)
                counts = await self.observe(fresh, WAIT_MS, counts)
                if not fresh(counts):
                    await self.press(paragraph)
                    counts = await self.observe(fresh, WAIT_MS // 2, counts)
        if len(watch.calls) > calls_before:
            await _answers(watch, calls_before)
        delta = {k: v - base.get(k, 0) for k, v in counts.items()}
        outcome = watch.outcome(delta, calls_before)
        self.counts = counts
        if page.url != url_before and outcome not in SPEAKING:
            # It led away: come back so the next candidate is pressed on the home page.
            await navigate(page, self.recorder, self.home.url, self.settings, fake_clock=True,
                           home=True)
            self.counts = _counts({}, watch.counters())
            self.marks.clear()
            await self.discover()
        return outcome

    async def stoppable(self, entry: Entry) -> bool:
        """Press the stop control, or the entry again where there is none. Speech that press
        starts (a control that reads from the top again) is not the entry's evidence: counted,
        it made one press read as two, or not, as the machine's speed let a timer come due."""
        spoke, before = self.counts, _stops(self.counts)
        stop = await self.page.evaluate(STOP_JS, STOP_WORDS.pattern)
        await self.press(stop or self.marks.get(entry.selector, entry.selector))
        counts = await self.observe(lambda now: _stops(now) > before, WAIT_MS // 2, spoke)
        self.counts = {k: spoke.get(k, 0) if k in SPEECH_KEYS else v for k, v in counts.items()}
        return _stops(counts) > before


async def _probe(pool: BrowserPool, home: Capture, settings: ScanSettings) -> VoiceProbe:
    async with pool.context(home.viewport, probe=True) as ctx:
        watch = _Watch()
        await ctx.expose_binding("__elderscanVoiceSignal", lambda _source, _what: watch.heard.set())
        await ctx.add_init_script(VOICE_INIT)
        page = await ctx.new_page()
        # The page's own clock, as in the capture: the settle wait is run ahead, not waited.
        await page.clock.install()
        recorder = PageRecorder(page)
        await navigate(page, recorder, home.url, settings, fake_clock=True, home=True)
        text, title = await page.evaluate(
            "[document.body ? document.body.innerText : '', document.title]")
        watch.page_text, watch.title = re.sub(r"\s+", "", text), re.sub(r"\s+", "", title)
        page.on("request", watch.on_request)
        page.on("response", watch.on_response)
        page.on("requestfailed", watch.on_failed)
        session = _Session(page, watch, home, settings, recorder)
        winner = await _press_in_turn(session, await session.discover())
        opener = toolbar_opener(home)
        if winner is None and opener is not None:
            # Voice add-ons of the common toolbars appear only once the toolbar is open.
            # Looked for again as the toolbar loads, until one shows or the toolbar has had
            # TOOLBAR_MS of its own time and loaded what it asked for (`Quiet`).
            await session.press(opener.selector)
            timers = PageTime(page, session.quiet, TOOLBAR_MS, recorder.page_error, rounds=None)
            fresh: list[_Found] = []
            while (not [f for f in fresh if not f.voice_input]
                   and (timers.left_ms() > 0 or timers.stretch())):
                if not await timers.run_if_due():  # the toolbar's timers, and its scripts'
                    if session.quiet.settled():
                        break
                    await page.wait_for_timeout(100)
                fresh = await session.discover()
            winner = await _press_in_turn(session, fresh)
        stoppable: bool | None = None
        if winner is not None and session.tried[winner.entry.selector] in SPEAKING:
            stoppable = await session.stoppable(winner.entry)
        return _verdict(session, winner, stoppable)


async def _press_in_turn(session: _Session, fresh: list[_Found]) -> _Found | None:
    """Press the new candidates best first until one speaks (or reaches a speech service)."""
    for cand in fresh:
        if cand.voice_input or len(session.tried) >= MAX_TRIES:
            continue
        outcome = await session.attempt(cand, point=not session.tried)
        session.tried[cand.entry.selector] = outcome
        if outcome in SPEAKING or outcome == "tts-unreachable":
            return cand
    return None


def _verdict(session: _Session, winner: _Found | None, stoppable: bool | None) -> VoiceProbe:
    readers = [f for f in session.found if not f.voice_input]
    tried = [VoiceTry(label=f.entry.text or f.entry.name, selector=f.entry.selector,
                      source=f.entry.source, keyword=f.entry.keyword,
                      outcome="voice-input" if f.voice_input
                      else session.tried.get(f.entry.selector, "not-tried"))
             for f in session.found]
    requests = [SpeechRequest(url=c["url"], method=c["method"], chars=c["chars"],
                              status=c["status"], failure=c["failure"])
                for c in session.watch.calls][:20]
    outcome: VoiceOutcome | None = session.tried[winner.entry.selector] if winner else None
    kind: VoiceKind = ("tts-request" if outcome == "tts-unreachable"
                       else outcome if outcome in SPEAKING else "none")  # type: ignore[assignment]
    entry = winner.entry if winner else (readers[0].entry if readers else None)
    if outcome in SPEAKING:
        functional: bool | None = True
        reason = None
    elif outcome == "tts-unreachable":
        functional, reason = None, "tts-unreachable"
    elif readers:
        pressed = [o for o in session.tried.values() if o != "not-pressed"]
        functional, reason = False, ("silent" if pressed else "not-pressed")
    else:
        functional, reason = False, ("only-input" if session.found else None)
    return VoiceProbe(
        candidates=[f.entry for f in readers][:10], entry=entry, found=bool(readers),
        functional=functional if readers else False, kind=kind, stoppable=stoppable,
        evidence=session.counts, failure=None, tried=tried, requests=requests, reason=reason)
