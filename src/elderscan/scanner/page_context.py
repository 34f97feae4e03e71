"""One page capture in the works: what it measures (`PageTarget`, once `collect`'s nine
parameters) and what its steps have found so far (`PageContext`), so each step of
`scanner.page.STEPS` takes and fills one object."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import CDPSession, Page

from elderscan.capture import (
    Anchor,
    AxeResults,
    Capture,
    FocusStep,
    Mode,
    MovingElement,
    Reflow,
    Viewport,
)
from elderscan.scanner.dompass import DomPass
from elderscan.scanner.navigation import Navigation
from elderscan.scanner.recorder import PageRecorder
from elderscan.settings import ScanSettings


@dataclass(frozen=True)
class PageTarget:
    """A loaded page to measure, and where its capture is said to come from."""

    page: Page
    recorder: PageRecorder
    nav: Navigation
    url: str
    viewport: Viewport
    mode: Mode
    settings: ScanSettings
    screenshot_dir: Path | None
    chromium: str
    on_dom: OnDom | None = None
    """told the page as the DOM pass saw it, before axe-core and the rest: what the site probes
    read of the home page, so they start that much sooner. Given only for the home page, whose
    DOM pass then also reads its version controls (`dompass.version_controls`)"""
    session: CDPSession | None = None
    """the page's DevTools session, opened before the capture steps run (a tab's own); without
    one the axe-core step opens one for itself"""


OnDom = Callable[[Capture], None]


@dataclass
class PageContext:
    """What the capture steps hand on to each other and to the `Capture` built at the end."""

    target: PageTarget
    data: DomPass | None = None
    """the DOM pass's answer (js/collect.js); the first step's, so see `dom`"""
    axe: AxeResults | None = None
    version_controls: list[dict[str, Any]] | None = None
    """the home page's (see `dompass.version_controls`)"""
    anchors: dict[str, Anchor] = field(default_factory=dict)
    snippets: dict[str, str] = field(default_factory=dict)
    anchors_ms: float = 0.0
    shot_path: str | None = None
    shot_height: int | None = None
    focus: list[FocusStep] | None = None
    reflow: Reflow | None = None
    motion: list[MovingElement] | None = None
    errors: dict[str, str] = field(default_factory=dict)
    spent_ms: dict[str, float] = field(default_factory=dict)
    """wall time of each step that ran, by its name"""

    @property
    def dom(self) -> DomPass:
        """The DOM pass's answer, for the steps after it (it is the first step)."""
        if self.data is None:
            raise RuntimeError("a capture step ran before the DOM pass")
        return self.data

    @property
    def page(self) -> Page:
        return self.target.page

    @property
    def settings(self) -> ScanSettings:
        return self.target.settings

    @property
    def warnings(self) -> list[str]:
        """The navigation's warnings, added to by the steps (one list, as the capture shows)."""
        return self.target.nav.warnings
