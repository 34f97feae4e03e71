"""What a page does while it is captured: its responses and failed requests, console errors,
uncaught exceptions, a crash, and the refreshes the init script saw. Dialogs are dismissed."""

from __future__ import annotations

import contextlib
import json

from playwright.async_api import ConsoleMessage, Dialog, Frame, Page, Request, Response
from playwright.async_api import Error as PlaywrightError

from elderscan.capture import NetworkEntry

MAX_NETWORK_ENTRIES = 2000
REFRESH_MARKER = "__elderscan:refresh:"


class PageRecorder:
    """Listens to one page's events for as long as it lives."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.network: list[NetworkEntry] = []
        self.console_errors: list[str] = []
        self.crashed = False
        self.main_response: Response | None = None
        self.document_response: Response | None = None
        """the response of the document the tab shows now (set when it replaces another)"""
        self.refreshes: list[str] | None = None
        page.on("response", self._on_response)
        page.on("framenavigated", self._on_committed)
        page.on("requestfailed", self._on_failed)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)
        page.on("crash", self._on_crash)
        page.on("dialog", _dismiss)

    def _on_response(self, response: Response) -> None:
        request = response.request
        if request.frame == self.page.main_frame and request.is_navigation_request():
            self.main_response = response
        if len(self.network) < MAX_NETWORK_ENTRIES:
            length = response.headers.get("content-length")
            self.network.append(
                NetworkEntry(
                    url=response.url[:2000],
                    resource_type=request.resource_type,
                    method=request.method,
                    status=response.status,
                    size=int(length) if length and length.isdigit() else None,
                    failure=None,
                )
            )

    def _on_committed(self, frame: Frame) -> None:
        if frame == self.page.main_frame:  # after the response of the document it commits
            self.document_response = self.main_response

    def _on_failed(self, request: Request) -> None:
        if len(self.network) < MAX_NETWORK_ENTRIES:
            self.network.append(
                NetworkEntry(
                    url=request.url[:2000],
                    resource_type=request.resource_type,
                    method=request.method,
                    status=None,
                    size=None,
                    failure=(request.failure or "failed")[:200],
                )
            )

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "debug" and message.text.startswith(REFRESH_MARKER):
            if self.refreshes is None:  # the first document's, not a later one's
                with contextlib.suppress(ValueError):
                    self.refreshes = [str(c) for c in json.loads(
                        message.text[len(REFRESH_MARKER):])][:20]
            return
        if message.type == "error" and len(self.console_errors) < 100:
            self.console_errors.append(message.text[:500])

    def _on_pageerror(self, error: PlaywrightError) -> None:
        self.page_error(f"uncaught: {str(error)[:500]}")

    def page_error(self, text: str) -> None:
        """An exception the page threw: from an event (Chromium reports it) or from a timer
        the clock ran (`interact.run_clock` hands it over)."""
        if len(self.console_errors) < 100:
            self.console_errors.append(text)

    def _on_crash(self, _page: Page) -> None:
        self.crashed = True

    def detach(self) -> None:
        """Stop listening: the tab goes on to another page, which gets its own recorder."""
        self.page.remove_listener("framenavigated", self._on_committed)
        for event, handler in (("response", self._on_response),
                               ("requestfailed", self._on_failed),
                               ("console", self._on_console), ("pageerror", self._on_pageerror),
                               ("crash", self._on_crash), ("dialog", _dismiss)):
            self.page.remove_listener(event, handler)


async def _dismiss(dialog: Dialog) -> None:
    """Any dialog the init script did not catch (beforeunload, one from a frame) is dismissed."""
    with contextlib.suppress(PlaywrightError):
        await dialog.dismiss()
