"""The probes step: keyboard focus and zoom reflow (desktop only: a phone has neither) and
motion (both viewports), each allowed to fail on its own without costing the page."""

from __future__ import annotations

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from elderscan.capture import FocusStep, MovingElement, Reflow, Viewport
from elderscan.errors import first_line
from elderscan.i18n import english
from elderscan.scanner.failures import context_gone, reraise_crash
from elderscan.scanner.interact import (
    DocumentReplaced,
    PageError,
    probe_focus,
    probe_motion,
    probe_reflow,
)

Probed = tuple[list[FocusStep] | None, Reflow | None, list[MovingElement] | None, bool]


async def run_probes(
    page: Page, viewport: Viewport, size: dict[str, int], errors: dict[str, str],
    page_error: PageError,
) -> Probed:
    """Keyboard and zoom on desktop only (a phone has neither); motion on both. What the page
    throws meanwhile (on focus, keydown, resize, from its timers) is its console error; only a
    probe that could not finish (the page navigated away mid-probe) leaves an error here.

    The last item says the page left by itself: the probes after that one are not run (they
    would watch another document), nor may anything else be read from the page as this one."""
    watched = page.url
    focus: list[FocusStep] | None = None
    reflow: Reflow | None = None
    motion: list[MovingElement] | None = None
    left: str | None = None  # the probe during which the page went elsewhere
    if viewport == "desktop":
        try:
            focus = await probe_focus(page)
        except PlaywrightError as exc:
            left = _probe_failed(watched, exc, "focus", errors)
        if left is None:
            try:
                reflow = await probe_reflow(page, size["width"], size["height"], page_error)
            except PlaywrightError as exc:
                left = _probe_failed(watched, exc, "reflow", errors)
    if left is None:
        try:
            motion = await probe_motion(page, page_error)
        except (PlaywrightError, DocumentReplaced) as exc:  # a timer that navigates away
            left = _probe_failed(watched, exc, "motion", errors)
    if left is not None:  # the probes not run are not judged as if they had found nothing
        order = ("focus", "reflow", "motion")
        for name in order[order.index(left) + 1:]:
            errors[name] = english("reasons.not_run_left", url=watched[:300], probe=left)
    return focus, reflow, motion, left is not None


def _probe_failed(watched: str, exc: PlaywrightError | DocumentReplaced, name: str,
                  errors: dict[str, str]) -> str | None:
    """A probe that could not finish: said in words a site owner can act on when the page
    went elsewhere by itself (a timed redirect; the probe's name then), else the driver's
    first line."""
    if isinstance(exc, PlaywrightError):
        reraise_crash(exc)
    if (isinstance(exc, DocumentReplaced) or context_gone(exc)
            or "navigat" in str(exc).lower()):
        errors[name] = english("reasons.page_left", url=watched[:300], probe=name)
        return name
    errors[name] = first_line(exc, 300)
    return None
