"""Element snippets: the opening tag, a little text and the closing tag of each element a
finding can name, so a developer can find it in their templates (`js/snippets.js`)."""

from __future__ import annotations

import json
import time

from playwright.async_api import Page

from elderscan.scanner.page_scripts import SNIPPETS

MAX_CHARS = 300


async def snippet_pass(page: Page, selectors: list[str], snippets: dict[str, str], *,
                       registry: bool = False) -> float:
    """Snippets for `selectors`, and with `registry` for every selector the DOM pass handed
    out (into `snippets`); returns the milliseconds it took. Taken beside the anchors, before
    the probes change the page; the caller decides what a browser error costs."""
    if not selectors and not registry:
        return 0.0
    started = time.perf_counter()
    raw = json.loads(await SNIPPETS(page, {"selectors": selectors, "registry": registry}))
    snippets.update({sel: str(html)[:MAX_CHARS] for sel, html in raw["snippets"].items()})
    return (time.perf_counter() - started) * 1000
