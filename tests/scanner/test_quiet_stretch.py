"""When a press's wait stretches past its limit: only at the limit, only while something that
can change the page (a script, a style sheet, a fragment, a frame) it set loading is on its
way, once, and never past `LOADING_MS` from the start. The waits themselves run in a real
browser in test_voice_probe.py and test_elder_waits.py; this is the rule they follow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pytest
from playwright.async_api import Page, Request

from elderscan.scanner.quiet import LOADING_MS, PageTime, Quiet


class _Events:
    """The part of a page that `Quiet` listens to."""

    def __init__(self) -> None:
        self.handlers: dict[str, Any] = {}

    def on(self, event: str, handler: Any) -> None:
        self.handlers[event] = handler


@dataclass(frozen=True)
class _Request:
    resource_type: str


def _pressed(*types: str) -> tuple[Quiet, _Events]:
    page = _Events()
    quiet = Quiet(cast(Page, page))
    quiet.mark()
    for kind in types:
        page.handlers["request"](cast(Request, _Request(kind)))
    return quiet, page


def _at_limit(quiet: Quiet) -> PageTime:
    return PageTime(cast(Page, None), quiet, 0, lambda _error: None)


@pytest.mark.parametrize("kind", ["script", "stylesheet", "xhr", "fetch", "document"])
def test_a_wait_at_its_limit_stretches_while_the_page_can_still_change(kind: str) -> None:
    quiet, _ = _pressed("image", kind)
    timers = _at_limit(quiet)
    assert timers.stretch() is True
    assert LOADING_MS - 100 < timers.left_ms() <= LOADING_MS
    assert timers.stretch() is False  # once


@pytest.mark.parametrize("kind", ["image", "font", "media", "ping", "other"])
def test_what_cannot_change_the_page_does_not_stretch_a_wait(kind: str) -> None:
    quiet, _ = _pressed(kind)
    assert _at_limit(quiet).stretch() is False


def test_a_wait_stretches_neither_before_its_limit_nor_after_what_it_waits_for_arrived() -> None:
    quiet, page = _pressed("script")
    early = PageTime(cast(Page, None), quiet, 1000, lambda _error: None)
    assert early.stretch() is False  # not at the limit yet
    (script,) = quiet.loading
    page.handlers["requestfinished"](script)
    assert _at_limit(quiet).stretch() is False  # it arrived


def test_requests_from_before_the_press_do_not_stretch_a_wait() -> None:
    page = _Events()
    quiet = Quiet(cast(Page, page))
    page.handlers["request"](cast(Request, _Request("script")))  # the load's own, unanswered
    quiet.mark()
    assert _at_limit(quiet).stretch() is False
