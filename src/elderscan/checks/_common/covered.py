"""Was a text run under a pop-up's mask when the page was photographed?

The DOM contrast rules judge the text's own colours, whatever lies over it, but the marked
crop a person looks at comes from the screenshot; under a grey mask the crop shows darker,
different colours than the ones judged. A finding names the mask (`covered_by`), so reports
can say the crop does not show the element as judged.

A mask is an overlay over a third of the first screen, not sent behind the page (z-index < 0).
Text belongs to the pop-up (and is not covered) when it lies inside one of the pop-up's parts
or its words are the pop-up's own.
A fixed mask over nearly the whole first screen stretches over the whole screenshot (the
capture enlarges the viewport to the page), so it covers text anywhere on the page.
"""

from __future__ import annotations

from elderscan.capture import Box, Overlay
from elderscan.checks._common.overlays import outermost, parts_of
from elderscan.checks.standards import ads as std
from elderscan.geometry import contains


def _overlap(box: Box, over: Box) -> float:
    x, y, w, h = box
    ox, oy, ow, oh = over
    ix = max(0.0, min(x + w, ox + ow) - max(x, ox))
    iy = max(0.0, min(y + h, oy + oh) - max(y, oy))
    return ix * iy / (w * h) if w > 0 and h > 0 else 0.0


def _own_words(text: str, pieces: list[Overlay]) -> bool:
    words = " ".join(text.split())[:30]
    return bool(words) and any(words in " ".join(p.text.split()) for p in pieces)


def covering_overlay(box: Box, text: str, overlays: list[Overlay]) -> str | None:
    """Selector of the mask lying over `box` (text `text`) in the screenshot, or None."""
    for mask in outermost(overlays):
        if mask.viewport_coverage < std.POPUP_MIN_COVERAGE or (mask.z_index or 0) < 0:
            continue
        pieces = [mask, *parts_of(mask, overlays)]
        if any(contains(p.box, box, slack=1.0) for p in pieces[1:]) or _own_words(text, pieces):
            continue
        whole = mask.position == "fixed" and mask.viewport_coverage >= std.WHOLE_PAGE_COVERAGE
        if whole or _overlap(box, mask.box) >= std.MIN_OVERLAP:
            return mask.selector
    return None
