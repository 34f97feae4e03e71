"""Zoom: may people enlarge the page (zoom.allowed), and does text survive 200 % (zoom.reflow)?"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

from elderscan.capture import Reflow
from elderscan.checks._registry import Decides, Hit, RuleMeta, fail, passed, rule
from elderscan.checks.standards import thresholds as t
from elderscan.checks.standards import viewport as vp

ZOOM = RuleMeta(
    id="zoom.allowed",
    clause="WCAG 1.4.4",
    severity="serious",
    title_zh="允许缩放页面",
    title_en="Zooming is allowed",
    failure_title_zh="页面禁止缩放",
    failure_title_en="The page blocks zooming",
    why_zh="禁止缩放后，看不清的老年人无法用双指放大文字。",
    why_en="When zoom is blocked, people who cannot read the text cannot pinch to enlarge it.",
    decides=Decides(
        fail="`user-scalable` whose value (yes=1, no=0, device-width=10, other words=0) is "
        "between −1 and 1; `maximum-scale` in [0, 2)",
        passes="a viewport that sets either and allows zoom",
    ),
    reads=("meta_viewport",),
    messages={
        "user-scalable": ("meta viewport 设置了 user-scalable={value}，禁止缩放",
                          "meta viewport sets user-scalable={value}, which blocks zoom"),
        "maximum-scale": ("meta viewport 的 maximum-scale={value}，小于 {threshold:g}",
                          "meta viewport maximum-scale={value} is below {threshold:g}"),
        "ok": ("meta viewport 允许缩放", "meta viewport allows zoom"),
    },
)


class ViewportPage(Protocol):
    """What zoom.allowed reads of a capture: None when the page has no meta viewport."""

    @property
    def meta_viewport(self) -> str | None: ...


_PAIR = re.compile(r"([a-zA-Z-]+)\s*=\s*([^,;\s]+)")


def viewport_properties(content: str) -> dict[str, str]:
    return {k.lower(): v.strip().strip("'\"").lower() for k, v in _PAIR.findall(content)}


def viewport_number(value: str) -> float:
    """A viewport property value as browsers read it (CSS Device Adaptation): keywords map
    to numbers and anything unreadable to 0, which is why `user-scalable=invalid` blocks zoom."""
    if value in vp.KEYWORDS:
        return vp.KEYWORDS[value]
    number = _number(value)
    return 0.0 if number is None else number


@rule(ZOOM)
def zoom_allowed(page: ViewportPage) -> Iterator[Hit]:
    content = page.meta_viewport
    if content is None or not content.strip():
        return
    props = viewport_properties(content)
    if "user-scalable" not in props and "maximum-scale" not in props:
        return  # nothing here can block zoom: not applicable
    where = 'meta[name="viewport"]'
    scalable = props.get("user-scalable")
    low, high = vp.USER_SCALABLE_BLOCKS
    if scalable is not None and low < viewport_number(scalable) < high:
        yield fail("user-scalable", selector=where, value=scalable, threshold="yes")
        return
    maximum = props.get("maximum-scale")
    if maximum is not None:
        number = viewport_number(maximum)
        if maximum == "no":
            number = vp.SMALLEST_SCALE
        if 0 <= number < t.ZOOM_MIN_MAXIMUM_SCALE:
            yield fail("maximum-scale", selector=where, value=maximum,
                       threshold=t.ZOOM_MIN_MAXIMUM_SCALE)
            return
    yield passed("ok", selector=where, value=content[:100])


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


REFLOW = RuleMeta(
    id="zoom.reflow",
    clause="WCAG 1.4.4",
    severity="serious",
    title_zh="放大到 200% 时文字不被截断",
    title_en="Text is not cut off at 200% zoom",
    failure_title_zh="放大后文字被截断",
    failure_title_en="Zooming cuts text off",
    why_zh="老年人常把网页放大阅读；放大到 200% 时文字被容器截断，就读不全了。",
    why_en="Older readers zoom in; when a box cuts text off at 200 %, part of it is lost.",
    decides=Decides(
        fail="each text clipped at 200 % by an overflow:hidden/clip box (not a horizontal clip "
        "with an ellipsis, not a box exactly one line tall); no finding when no text sits in "
        "such a box",
        passes="one aggregate",
    ),
    reads=("reflow",),
    messages={
        "clipped": ("放大到 200% 时“{text}”被截断", "at 200 % “{text}” is cut off"),
        "ok": ("放大到 200% 时 {count} 段文字均完整显示",
               "at 200 % all {count} text runs show in full"),
    },
    viewports=("desktop",),
    modes=("standard", "elder"),
)


class ReflowPage(Protocol):
    """What zoom.reflow reads of a capture: None when not probed."""

    @property
    def reflow(self) -> Reflow | None: ...


@rule(REFLOW)
def zoom_reflow(page: ReflowPage) -> Iterator[Hit]:
    reflow = page.reflow
    if reflow is None or reflow.candidates == 0:
        return  # no text sits in a box that hides overflow: nothing zoom could cut off
    failed = 0
    for clipped in reflow.clipped:
        if min(clipped.clip_box[2], clipped.clip_box[3]) <= t.VISUALLY_HIDDEN_PX:
            continue  # a 1×1 px clip is the "visually hidden" idiom: hidden on purpose
        if clipped.axis == "x" and clipped.ellipsis:
            continue  # cut off with an ellipsis: the reader sees that text continues
        if clipped.axis == "y" and clipped.one_line_box:
            continue  # a box exactly one line tall: a one-line design, clipped at any zoom
        failed += 1
        yield fail("clipped", selector=clipped.selector, box=clipped.box, value="clipped",
                   threshold="no clipping", text=clipped.text[:60], clip_box=clipped.clip_box,
                   viewport_width=reflow.viewport_width, axis=clipped.axis)
    whole = reflow.candidates - failed
    if whole > 0:
        yield passed("ok", weight=whole, count=whole, viewport_width=reflow.viewport_width,
                     horizontal_scroll=reflow.horizontal_scroll)
