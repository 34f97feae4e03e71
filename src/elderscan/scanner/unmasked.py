"""A second screenshot with pop-up masks hidden, for the crops of DOM contrast findings.

The contrast rule judges text by its own colours, whatever lies over it; a crop taken under a
notice's grey mask shows other, darker colours and makes the finding look wrong. When the page
has a mask (an outermost overlay over a third of the first screen, not sent behind the page),
it and the boxes stacked on it (the notice's panel) are hidden for one more screenshot, then
shown again before the probes. Costs a screenshot on pages with a mask only; a failure costs
that file (a warning), never the page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from elderscan.capture import Overlay
from elderscan.geometry import contains

MASK_COVERAGE = 0.3

HIDE_JS = """(selectors) => {
  const registry = window.__elderscanElements || new Map();
  const hidden = [];
  for (const sel of selectors) {
    let el = registry.get(sel);
    if (!el) {
      try { const l = document.querySelectorAll(sel); if (l.length === 1) el = l[0]; } catch (e) {}
    }
    if (!el) continue;
    hidden.push([el, el.style.getPropertyValue('visibility'),
                 el.style.getPropertyPriority('visibility')]);
    el.style.setProperty('visibility', 'hidden', 'important');
  }
  window.__elderscanHidden = hidden;
  return hidden.length;
}"""

SHOW_JS = """() => {
  for (const [el, value, priority] of window.__elderscanHidden || []) {
    if (value) el.style.setProperty('visibility', value, priority);
    else el.style.removeProperty('visibility');
  }
  window.__elderscanHidden = null;
}"""


def mask_selectors(overlays: list[Overlay]) -> list[str]:
    """The masks among the DOM pass's overlays, and the boxes stacked on each (not nested in
    it, above it in z, inside its box): what to hide for the unmasked screenshot."""
    masks = [o for o in overlays if o.inside is None
             and o.viewport_coverage >= MASK_COVERAGE and (o.z_index or 0) >= 0]
    hide = [m.selector for m in masks]
    for mask in masks:
        hide += [o.selector for o in overlays
                 if o is not mask and o.inside is None and o.selector not in hide
                 and (o.z_index or 0) >= (mask.z_index or 0)
                 and contains(mask.box, o.box, slack=1.0)]
    return hide


async def unmasked_shot(page: Page, overlays: list[Overlay], target: Path,
                        shoot: Callable[[Path], Awaitable[None]],
                        warnings: list[str]) -> str | None:
    """Take the page's screenshot again into `target` with its masks hidden; its path, or None
    when the page has no mask or the shot failed."""
    hide = mask_selectors(overlays)
    if not hide:
        return None
    try:
        if not await page.evaluate(HIDE_JS, hide):
            return None
        try:
            await shoot(target)
        finally:
            await page.evaluate(SHOW_JS)
    except (PlaywrightError, TimeoutError) as exc:
        warnings.append(f"no screenshot without the pop-up's mask: {str(exc)[:200]}")
        return None
    return str(target)
