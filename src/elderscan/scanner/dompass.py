"""The DOM pass: one injected walk (`js/collect.js`) that returns text runs, controls,
overlays, frames, media and links, following a page that replaces itself meanwhile; on the
home page also the controls that may lead to a language version (`js/versions_find.js`)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from importlib import resources
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from pydantic import BaseModel, ConfigDict, TypeAdapter

from elderscan.capture import Frame, Image, Interactive, Media, Overlay, SpacingOverride, TextRun
from elderscan.scanner.failures import (
    ERROR_PAGE,
    PageFailed,
    context_gone,
    failed_redirect,
    reraise_crash,
)
from elderscan.scanner.page_scripts import COLLECT, read_answer
from elderscan.settings import ScanSettings

VERSIONS_FIND_JS = resources.files("elderscan.scanner").joinpath(
    "js/versions_find.js").read_text("utf-8")
MAX_TEXT_RUNS = 5000
MAX_INTERACTIVE = 3000
MAX_SELF_NAVIGATIONS = 8


class DomPass(BaseModel):
    """What `js/collect.js` returns, in the capture's own models (`read_answer`: a corpus
    page's ~300 KB took 4.8 ms of Python where `json.loads` and the models took 9.5, 51 corpus
    pages). Each field goes into the `Capture` field of its name, of the same type (a test
    keeps them so); `document_url` only says where the pass ran."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    title: str
    lang: str | None
    meta_viewport: str | None
    meta_refresh: str | None
    charset: str
    document_url: str = ""
    document_size: tuple[int, int]
    text_runs: list[TextRun]
    text_runs_truncated: bool
    interactive: list[Interactive]
    overlays: list[Overlay]
    iframes: list[Frame]
    media: list[Media]
    links: list[str]
    images: list[Image]
    scripts: list[str]
    spacing: list[SpacingOverride]
    dialogs: list[str]


_DOM_PASS = TypeAdapter(DomPass)


async def dom_pass(page: Page, settings: ScanSettings, warnings: list[str]) -> DomPass:
    """The DOM pass; a page that replaces itself (meta refresh, script redirect) is followed.

    Each new document destroys the pass's context, and `page.url` may still name the old one
    for a moment, so the document's own URL is asked for before the pass is tried again. A
    target that fails to load shows Chromium's error page, which reloads itself on a timer:
    that is a failed redirect at once, not something to wait out."""
    options = {"maxTextRuns": MAX_TEXT_RUNS, "maxInteractive": MAX_INTERACTIVE}
    deadline = time.monotonic() + settings.LOAD_TIMEOUT
    moves = 0
    while True:
        try:
            data = read_answer(_DOM_PASS, await COLLECT(page, options))
            if data.document_url.startswith(ERROR_PAGE):
                raise failed_redirect()
            return data
        except PlaywrightError as exc:
            if not context_gone(exc):
                raise
            moves += 1
            if moves > MAX_SELF_NAVIGATIONS or time.monotonic() > deadline:
                raise PageFailed("redirect", "the page kept navigating by itself "
                                 f"({moves} times) and never held still to be measured",
                                 None, page.url) from exc
        current = await _settled_url(page, deadline)
        if current is None:
            continue  # replaced again meanwhile
        if current.startswith(ERROR_PAGE):
            raise failed_redirect()
        if moves == 1:
            warnings.append(f"the page navigated by itself to {current}; captured that page")


async def version_controls(page: Page) -> list[dict[str, Any]] | None:
    """The home page's controls that may lead to another version of the site, read where the
    page is already loaded: the versions probe would otherwise load it again just for this
    (a page load of every site whose home page hints at a version). None: not read (the page
    went elsewhere meanwhile), and the probe reads them itself."""
    try:
        found: list[dict[str, Any]] = await page.evaluate(VERSIONS_FIND_JS)
    except PlaywrightError as exc:
        reraise_crash(exc)
        return None
    return found


async def _settled_url(page: Page, deadline: float) -> str | None:
    """The URL of the document that replaced the page once it has loaded; None when that one
    was replaced too before it could answer."""
    with contextlib.suppress(PlaywrightError):
        await page.wait_for_load_state(
            "load", timeout=max(0.1, deadline - time.monotonic()) * 1000)
    try:
        url: str = await page.evaluate("document.URL")
    except PlaywrightError as exc:
        if not context_gone(exc):
            raise
        await asyncio.sleep(0.05)
        return None
    return url
