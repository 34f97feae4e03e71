"""What an overlay is: a pop-up on load, a notice modal, a floating box, a 对联 pair, a bar.

The page metrics and the ad rules share these heuristics.
"""

from __future__ import annotations

from elderscan.capture import Overlay
from elderscan.checks.standards import ads as std
from elderscan.geometry import centre, contains


def is_popup(overlay: Overlay) -> bool:
    """Covers a third of the first screen, and was added or shown after the HTML was parsed."""
    return overlay.viewport_coverage >= std.POPUP_MIN_COVERAGE and overlay.appeared_ms is not None


def is_floating(overlay: Overlay, viewport_width: int) -> bool:
    """A fixed box that is not a page-wide bar: the shape of floating ads and widgets."""
    _, _, width, height = overlay.box
    return (
        overlay.position == "fixed"
        and overlay.viewport_coverage < std.FLOATING_MAX_COVERAGE
        and width < viewport_width * std.FLOATING_MAX_WIDTH_SHARE
        and width * height >= std.FLOATING_MIN_AREA
    )


def _z(overlay: Overlay) -> int:
    return overlay.z_index or 0


def parts_of(mask: Overlay, overlays: list[Overlay]) -> list[Overlay]:
    """The boxes that make up one pop-up with `mask`: those inside it in the DOM, and
    siblings stacked on it within its box (a notice modal's panel and close button are often
    fixed boxes of their own beside the mask), smallest first."""
    inner = nested_in(mask, overlays)
    stacked = [o for o in overlays if o is not mask and o.inside is None and o not in inner
               and _z(o) >= _z(mask) and o.viewport_coverage < mask.viewport_coverage
               and contains(mask.box, o.box, slack=1.0)]
    return sorted(inner + stacked, key=lambda o: o.box[2] * o.box[3])


def is_modal(overlay: Overlay, overlays: list[Overlay]) -> bool:
    """A box over a third of the first screen, stacked above the page, with words to read or
    a control to close it (its own or its parts'): a notice modal, shown on load even when it
    came with the HTML. A decorative fixed backdrop has neither."""
    if overlay.viewport_coverage < std.POPUP_MIN_COVERAGE or _z(overlay) <= 0:
        return False
    pieces = [overlay, *parts_of(overlay, overlays)]
    return any(p.text.strip() or p.close_box is not None for p in pieces)


def is_centred_notice(overlay: Overlay, viewport: tuple[int, int]) -> bool:
    """A closable box in the middle of the first screen: a pop-up without a mask."""
    if overlay.close_box is None or overlay.viewport_coverage < std.NOTICE_MIN_COVERAGE:
        return False
    cx, cy = centre(overlay.box)
    width, height = viewport
    return abs(cx - width / 2) <= width * 0.2 and height * 0.2 <= cy <= height * 0.8


def couplets(boxes: list[Overlay], viewport_width: int) -> list[tuple[Overlay, Overlay]]:
    """对联: two narrow boxes at the left and right edges, mirrored, of about one size."""
    left = [o for o in boxes if _narrow(o, viewport_width)
            and o.box[0] <= viewport_width * std.COUPLET_EDGE_SHARE]
    right = [o for o in boxes if _narrow(o, viewport_width)
             and o.box[0] + o.box[2] >= viewport_width * (1 - std.COUPLET_EDGE_SHARE)]
    pairs: list[tuple[Overlay, Overlay]] = []
    used: set[str] = set()
    for a in left:
        for b in right:
            if a is b or a.selector in used or b.selector in used:
                continue
            if _mirrored(a, b, viewport_width):
                pairs.append((a, b))
                used.update((a.selector, b.selector))
    return pairs


def _narrow(overlay: Overlay, viewport_width: int) -> bool:
    _, _, w, h = overlay.box
    return 0 < w <= viewport_width * std.COUPLET_MAX_WIDTH_SHARE and h >= w


def _mirrored(a: Overlay, b: Overlay, viewport_width: int) -> bool:
    (ax, ay, aw, ah), (bx, by, bw, bh) = a.box, b.box
    def similar(u: float, v: float) -> bool:
        return abs(u - v) <= std.COUPLET_SIZE_TOLERANCE * max(u, v)
    right_margin = viewport_width - (bx + bw)
    return (similar(aw, bw) and similar(ah, bh) and abs(ay - by) <= std.COUPLET_MIRROR_PX
            and abs(ax - right_margin) <= std.COUPLET_MIRROR_PX)


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


def floating_kind(overlay: Overlay, widget_words: tuple[str, ...] = std.WIDGET_WORDS) -> str:
    """'widget' (back-to-top, toolbar, customer service), 'promotion', or 'unknown'."""
    text = overlay.text or ""
    if words_in(text, std.PROMOTION_WORDS):
        return "promotion"
    if words_in(text, widget_words):
        return "widget"
    return "unknown"
