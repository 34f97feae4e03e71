"""What an overlay is: a pop-up on load, a floating box, a page-wide bar.

The page metrics and the ad rules share these heuristics.
"""

from __future__ import annotations

from elderscan.capture import Overlay
from elderscan.checks.standards import ads as std

POPUP_MIN_COVERAGE = 0.3
FLOATING_MAX_COVERAGE = 0.3
FLOATING_MAX_WIDTH_SHARE = 0.6
FLOATING_MIN_AREA = 2500.0


def is_popup(overlay: Overlay) -> bool:
    """Covers a third of the first screen, and was added or shown after the HTML was parsed."""
    return overlay.viewport_coverage >= POPUP_MIN_COVERAGE and overlay.appeared_ms is not None


def is_floating(overlay: Overlay, viewport_width: int) -> bool:
    """A fixed box that is not a page-wide bar: the shape of floating ads and widgets."""
    _, _, width, height = overlay.box
    return (
        overlay.position == "fixed"
        and overlay.viewport_coverage < FLOATING_MAX_COVERAGE
        and width < viewport_width * FLOATING_MAX_WIDTH_SHARE
        and width * height >= FLOATING_MIN_AREA
    )


def outermost(overlays: list[Overlay]) -> list[Overlay]:
    """Overlays not inside another overlay in the DOM, so one pop-up counts once (a floating
    ad that merely sits under a full-screen pop-up still counts on its own)."""
    return [o for o in overlays if o.inside is None]


def nested_in(outer: Overlay, overlays: list[Overlay]) -> list[Overlay]:
    """Overlays inside `outer` in the DOM (its panels), smallest first."""
    inner = [o for o in overlays if o is not outer and _descends(o, outer, overlays)]
    return sorted(inner, key=lambda o: o.box[2] * o.box[3])


def _descends(item: Overlay, outer: Overlay, overlays: list[Overlay]) -> bool:
    by_selector = {o.selector: o for o in overlays}
    seen: set[str] = set()
    current: Overlay | None = item
    while current is not None and current.inside is not None and current.inside not in seen:
        if current.inside == outer.selector:
            return True
        seen.add(current.inside)
        current = by_selector.get(current.inside)
    return False


def words_in(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if w in text]


def floating_kind(overlay: Overlay) -> str:
    """'widget' (back-to-top, toolbar, customer service), 'promotion', or 'unknown'."""
    text = overlay.text or ""
    if words_in(text, std.PROMOTION_WORDS):
        return "promotion"
    if words_in(text, std.WIDGET_WORDS):
        return "widget"
    return "unknown"
