"""Element anchors (role, text, landmark, index) and HTML snippets for the selectors a
finding can name, so finding identity survives a markup refactor (see docs/ci.md)."""

from __future__ import annotations

import json
import time

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from elderscan.capture import Anchor, AxeResults
from elderscan.errors import first_line
from elderscan.scanner.failures import reraise_crash
from elderscan.scanner.page_scripts import ANCHORS
from elderscan.scanner.snippets import snippet_pass


def axe_selectors(axe: AxeResults | None, main_url: str) -> list[str]:
    """axe-core's targets in the main frame (a frame's selectors mean nothing in the main
    document, so those stay unanchored)."""
    if axe is None:
        return []
    return list(dict.fromkeys(node.target[0] for rule in (*axe.violations, *axe.incomplete)
                              for node in rule.nodes if node.target and node.frame_url == main_url))


async def anchor_pass(page: Page, selectors: list[str], anchors: dict[str, Anchor],
                      errors: dict[str, str], *, registry: bool = False,
                      snippets: dict[str, str] | None = None) -> float:
    """Anchors for `selectors`, and with `registry` for every selector the DOM pass handed out
    (into `anchors`); returns the milliseconds it took.

    Right after axe-core, before the probes move the clock and the viewport, so the text read
    is the text the checks judged. A failure costs the anchors (findings fall back to their
    selector for identity), never the page.
    """
    if not selectors and not registry:
        return 0.0
    started = time.perf_counter()
    try:
        raw = json.loads(await ANCHORS(page, {"selectors": selectors, "registry": registry}))
        anchors.update({sel: Anchor(**value) for sel, value in raw["anchors"].items()})
    except PlaywrightError as exc:
        reraise_crash(exc)
        errors["anchors"] = first_line(exc, 300)
    if snippets is not None:  # the same elements' HTML, for the reports' fix help
        try:
            await snippet_pass(page, selectors, snippets, registry=registry)
        except PlaywrightError as exc:
            reraise_crash(exc)
            errors["snippets"] = first_line(exc, 300)
    return (time.perf_counter() - started) * 1000
