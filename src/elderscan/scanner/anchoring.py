"""Element anchors (role, text, landmark, index) and HTML snippets for the selectors a
finding can name, so finding identity survives a markup refactor (see docs/ci.md)."""

from __future__ import annotations

import time

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from pydantic import BaseModel, ConfigDict, TypeAdapter

from elderscan.capture import Anchor, AxeResults
from elderscan.errors import first_line
from elderscan.scanner.failures import reraise_crash
from elderscan.scanner.page_scripts import MARKS, read_answer

MAX_SNIPPET_CHARS = 300


class _Anchors(BaseModel):
    """What `js/anchors.js` returns."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    anchors: dict[str, Anchor] = {}
    error: str | None = None


class _Snippets(BaseModel):
    """What `js/snippets.js` returns."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    snippets: dict[str, str] = {}
    error: str | None = None


_MARKS = TypeAdapter(tuple[_Anchors, _Snippets])


def axe_selectors(axe: AxeResults | None, main_url: str) -> list[str]:
    """axe-core's targets in the main frame (a frame's selectors mean nothing in the main
    document, so those stay unanchored)."""
    if axe is None:
        return []
    return list(dict.fromkeys(node.target[0] for rule in (*axe.violations, *axe.incomplete)
                              for node in rule.nodes if node.target and node.frame_url == main_url))


async def anchor_pass(page: Page, selectors: list[str], anchors: dict[str, Anchor],
                      snippets: dict[str, str], errors: dict[str, str], *,
                      registry: bool = False) -> float:
    """Anchors for `selectors`, and with `registry` for every selector the DOM pass handed out
    (into `anchors`), and the same elements' HTML for the reports' fix help (into `snippets`);
    returns the milliseconds it took.

    Right after axe-core, before the probes move the clock and the viewport, so the text read
    is the text the checks judged. One call for both (`page_scripts.MARKS`); a failure costs
    the anchors (findings fall back to their selector for identity) or the snippets, never
    the page.
    """
    if not selectors and not registry:
        return 0.0
    started = time.perf_counter()
    try:
        found, html = read_answer(
            _MARKS, await MARKS(page, {"selectors": selectors, "registry": registry}))
    except PlaywrightError as exc:
        reraise_crash(exc)
        errors["anchors"] = errors["snippets"] = first_line(exc, 300)
    except ValueError as exc:  # an answer that is not what the scripts write (a page's own
        # JSON.stringify, say): the page is still captured, without these two
        errors["anchors"] = errors["snippets"] = first_line(exc, 300)
    else:
        anchors.update(found.anchors)
        snippets.update({sel: text[:MAX_SNIPPET_CHARS] for sel, text in html.snippets.items()})
        for part, error in (("anchors", found.error), ("snippets", html.error)):
            if error is not None:
                errors[part] = error.split("\n", 1)[0][:300]
    return (time.perf_counter() - started) * 1000
