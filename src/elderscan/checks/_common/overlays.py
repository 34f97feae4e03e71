"""What an overlay is: a pop-up on load, a floating box, a page-wide bar.

The heuristics started in `checks/metrics.py` (which still has its own copy for the page
metrics); the ad rules share them from here.
"""

from __future__ import annotations

from elderscan.capture import Overlay
from elderscan.checks._common.geometry import contains
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
    """Drop overlays nested in another overlay, so one pop-up counts once."""
    # Same box twice (a wrapper and its panel): the first in document order is the outer one.
    return [
        o
        for i, o in enumerate(overlays)
        if not any(
            j != i and contains(other.box, o.box, slack=0) and (other.box != o.box or j < i)
            for j, other in enumerate(overlays)
        )
    ]


def nested_in(outer: Overlay, overlays: list[Overlay]) -> list[Overlay]:
    """Overlays inside `outer` (its panels), smallest first."""
    inner = [o for o in overlays if o is not outer and contains(outer.box, o.box, slack=0)]
    return sorted(inner, key=lambda o: o.box[2] * o.box[3])


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
