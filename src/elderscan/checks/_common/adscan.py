"""What on a page looks like advertising, sorted once before any rule judges it.

Pop-ups and their parts, boxes that drifted across the page (飘窗), 对联 pairs, centred notices,
promotions by their words, boxes an ad plug-in explains, and requests to ad networks: the ad
rules and the page metrics (`metrics.ads`) read the same `AdScan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from elderscan.capture import Box, Interactive, MovingElement, NetworkEntry, Overlay
from elderscan.checks._common.adnet import ad_match, plugin_match
from elderscan.checks._common.overlays import (
    couplets,
    floating_kind,
    is_centred_notice,
    is_floating,
    is_modal,
    is_popup,
    outermost,
    parts_of,
    words_in,
)
from elderscan.checks._common.reads import ReadsInteractive, ReadsOverlays
from elderscan.checks.standards import ads as std
from elderscan.geometry import contains


class AdsPage(ReadsOverlays, ReadsInteractive, Protocol):
    """What the ad scan reads of a capture: the ad rules' `reads`, and `motion` when the
    motion probe ran."""

    @property
    def network(self) -> list[NetworkEntry]: ...
    @property
    def scripts(self) -> list[str]: ...
    @property
    def viewport_size(self) -> tuple[int, int]: ...
    @property
    def motion(self) -> list[MovingElement] | None: ...


@dataclass(frozen=True)
class Drifting:
    """A box that moved across the page by itself during the motion probe (a 飘窗)."""

    selector: str
    box: Box
    text: str
    travel_px: float
    position: str
    overlay: Overlay | None


@dataclass
class AdScan:
    """What on a page looks like advertising, before any rule judges it."""

    popups: list[Overlay] = field(default_factory=list)
    """pop-ups and notice modals (the mask, or the box itself when it has none)"""
    promotions: list[Overlay] = field(default_factory=list)
    """floating boxes whose words say ad or promotion"""
    drifting: list[Drifting] = field(default_factory=list)
    couplets: list[tuple[Overlay, Overlay]] = field(default_factory=list)
    plugin_boxes: list[Overlay] = field(default_factory=list)
    """unexplained floating boxes on a page that loaded an ad plug-in"""
    unknown_floating: list[Overlay] = field(default_factory=list)
    requests: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(matched ad host or loader word, request host) → URLs"""
    plugins: dict[str, list[str]] = field(default_factory=dict)
    """plug-in kind (floating, couplet, popup) → URLs"""

    def floating_ads(self) -> int:
        """Boxes judged to be floating ads: promotions, 飘窗, both halves of each 对联 and
        the boxes an ad plug-in explains; never widgets, back-to-top buttons or pop-up parts."""
        selectors = {o.selector for o in self.promotions + self.plugin_boxes}
        selectors |= {d.selector for d in self.drifting}
        selectors |= {o.selector for pair in self.couplets for o in pair}
        return len(selectors)


def _box_kind(overlay: Overlay, controls: list[Interactive],
              widget_words: tuple[str, ...] = std.WIDGET_WORDS) -> str:
    """floating_kind, with the names of the controls inside the box as words too (an icon
    back-to-top button says 返回顶部 only in its title or aria-label)."""
    kind = floating_kind(overlay, widget_words)
    if kind != "unknown":
        return kind
    for c in controls:
        if c.visible and contains(overlay.box, c.box, slack=2) \
                and words_in(f"{c.name} {c.title or ''}", widget_words):
            return "widget"
    return "unknown"


def _drifting(page: AdsPage, skip: set[str]) -> list[Drifting]:
    motion: list[MovingElement] = page.motion or []
    overlays = {o.selector: o for o in page.overlays}
    found: list[Drifting] = []
    for moving in motion:
        if moving.position is None:
            continue
        overlay = overlays.get(moving.dom_selector or "")
        if overlay is not None and (overlay.selector in skip or _box_kind(
                overlay, page.interactive, std.STILL_WIDGET_WORDS) == "widget"):
            continue
        found.append(Drifting(
            selector=overlay.selector if overlay else moving.selector, box=moving.box,
            text=overlay_words(overlay) if overlay else "", travel_px=moving.travel_px or 0.0,
            position=moving.position, overlay=overlay))
    return found


def scan_ads(page: AdsPage) -> AdScan:
    """Sort a page's overlays once, in the order that settles each box: pop-ups and their
    parts, boxes that drifted, 对联 pairs, centred notices, then the remaining floating boxes
    by their words (the ad rules and `metrics.ads` share it)."""
    found = AdScan()
    width, height = page.viewport_size
    overlays = page.overlays
    outer = outermost(overlays)
    parts: set[str] = set()
    for overlay in outer:
        if is_popup(overlay) or is_modal(overlay, overlays):
            found.popups.append(overlay)
            parts.update(p.selector for p in parts_of(overlay, overlays))
    taken = parts | {o.selector for o in found.popups}
    _requests(page, found)
    found.drifting = _drifting(page, taken)
    taken |= {d.selector for d in found.drifting}
    rest = [o for o in outer if o.selector not in taken]
    kinds = {o.selector: _box_kind(o, page.interactive) for o in rest}
    pairable = [o for o in rest if o.position in ("fixed", "absolute")
                and kinds[o.selector] != "widget" and o.box[2] * o.box[3] >= std.FLOATING_MIN_AREA]
    found.couplets = couplets(pairable, width)
    taken |= {o.selector for pair in found.couplets for o in pair}
    for overlay in rest:
        kind = kinds[overlay.selector]
        if overlay.selector in taken:
            continue
        if overlay.position in ("fixed", "absolute") \
                and is_centred_notice(overlay, (width, height)):
            found.popups.append(overlay)  # whatever its words: it stands in the reader's way
        elif kind != "widget" and is_floating(overlay, width):
            if kind == "promotion":
                found.promotions.append(overlay)
            elif found.plugins:
                found.plugin_boxes.append(overlay)
            else:
                found.unknown_floating.append(overlay)
    return found


def _requests(page: AdsPage, found: AdScan) -> None:
    urls = [entry.url for entry in page.network] + list(page.scripts)
    for url in urls:
        plugin = plugin_match(url)
        if plugin is not None:
            bucket = found.plugins.setdefault(plugin, [])
        else:
            match = ad_match(url)
            if match is None:
                continue
            bucket = found.requests.setdefault((match, urlsplit(url).hostname or ""), [])
        if url not in bucket:
            bucket.append(url)


def overlay_words(overlay: Overlay) -> str:
    """An overlay's text without its close control's label ("×", "关闭") or a lone close
    glyph at either end ("× 重要通知")."""
    text = overlay.text
    if overlay.close_label and text.endswith(overlay.close_label):
        text = text[: -len(overlay.close_label)]
    elif overlay.close_label and text.startswith(overlay.close_label):
        text = text[len(overlay.close_label):]
    words = text.split()
    while words and words[0] in std.CLOSE_GLYPHS:
        words.pop(0)
    while words and words[-1] in std.CLOSE_GLYPHS:
        words.pop()
    return " ".join(words)
