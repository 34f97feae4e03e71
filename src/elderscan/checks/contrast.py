"""Contrast: can an older reader tell the text from what lies behind it?

Three rules. `contrast.text` takes the background the DOM resolves (ancestors' colours composited
until an opaque one) and applies the WCAG formula; `contrast.over-image` handles text whose
background is an image or gradient, where the DOM colour misleads, by reading the screenshot's
pixels; `contrast.enhanced` repeats the DOM check at WCAG's AAA levels for elder mode only.

Text nobody can see is not judged (ACT afw4f7's applicability): runs moved off the document, text
painted in exactly its background colour, and SVG text. Icon-font glyphs (private-use code points),
a lone symbol or punctuation mark ("×", "›", a "|" separator), and a lone letter inside a control
whose accessible name differs ("X" for "Close") convey no words: they are non-text content (WCAG
1.4.11), so they pass the text rule whatever their contrast, as ACT afw4f7 rules.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any, Protocol

from elderscan.capture import RGB, RGBA, Interactive, Overlay, TextRun
from elderscan.checks._common.color import (
    composite,
    contrast_ratio,
    css_rgba,
    hex_rgb,
    is_large_text,
    passing_colour,
)
from elderscan.checks._common.covered import covering_overlay
from elderscan.checks._common.pixels import Screenshot, hex_colour
from elderscan.checks._common.reads import ReadsInteractive, ReadsOverlays, ReadsTextRuns
from elderscan.checks._registry import Decides, Hit, RuleMeta, fail, passed, review, rule
from elderscan.checks.standards import contrast as std
from elderscan.checks.standards import thresholds as t
from elderscan.geometry import contains, off_document


def shown(ratio: float, threshold: float | None = None) -> float:
    """The ratio at two decimals; a failing ratio never shows as reaching its threshold
    (4.499 against 4.5 is 4.49, not 4.50)."""
    value = round(ratio, 2)
    if threshold is not None and ratio < threshold <= value:
        return math.floor(ratio * 100) / 100
    return value


def _behind(run: TextRun) -> tuple[float, ...]:
    """What touches the glyphs: a hugging text-shadow over the background, else the background."""
    return _behind_colours(run.shadow, run.background)


def judged_colour(run: TextRun) -> tuple[float, float, float]:
    """The text colour as it shows: a translucent colour blended over what is behind it."""
    return _judged_colour(run.color, run.shadow, run.background)


def dom_ratio(run: TextRun) -> float:
    """Text against what touches its glyphs: a hugging text-shadow, else the background."""
    return _dom_ratio(run.color, run.shadow, run.background)


@lru_cache(maxsize=4096)
def _behind_colours(shadow: RGBA | None, background: RGB) -> tuple[float, ...]:
    """Kept per colour pair, as the ratio below: a page's thousands of runs use a few dozen."""
    if shadow is not None:
        return composite(shadow, background)
    return tuple(float(c) for c in background)


@lru_cache(maxsize=4096)
def _judged_colour(color: RGBA, shadow: RGBA | None,
                   background: RGB) -> tuple[float, float, float]:
    return composite(color, _behind_colours(shadow, background))


@lru_cache(maxsize=4096)
def _dom_ratio(color: RGBA, shadow: RGBA | None, background: RGB) -> float:
    return contrast_ratio(_judged_colour(color, shadow, background),
                          _behind_colours(shadow, background))


def _private_use(ch: str) -> bool:
    return _within(ord(ch), std.PRIVATE_USE)


def _cjk(ch: str) -> bool:
    return _within(ord(ch), std.CJK)


def _within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def naming_controls(controls: Sequence[Interactive]) -> list[Interactive]:
    """The controls `is_icon` can find a lone letter standing in for: visible, with a name of
    more than one character. Taken once a page, not once a run."""
    return [c for c in controls if c.visible and len(c.name.strip()) > 1]


def is_icon(run: TextRun, controls: Sequence[Interactive] | None = None) -> bool:
    """Icon-font glyphs; a lone symbol (×, ✕, ›, |); or one letter standing in for a control's
    different name ("X" named "Close")."""
    glyphs = "".join(run.text.split())
    if glyphs and all(_private_use(ch) for ch in glyphs):
        return True
    if len(glyphs) == 1 and unicodedata.category(glyphs)[0] in "SP":
        return True
    if controls is None or len(glyphs) != 1 or _cjk(glyphs):
        return False
    return any(
        c.visible and c.name.strip() and c.name.strip() != glyphs and len(c.name.strip()) > 1
        and contains(c.box, run.box, slack=2)
        for c in controls
    )


def judged(run: TextRun) -> bool:
    """Text a sighted reader can see, and that WCAG 1.4.3 covers (not disabled controls)."""
    return not (run.length == 0 or run.disabled or run.tag.lower() in std.SVG_TEXT_TAGS
                or off_document(run.box))


def _evidence(run: TextRun, ratio: float, large: bool, threshold: float,
              overlays: list[Overlay]) -> dict[str, Any]:
    """What was judged: `color` is the colour as it shows (a translucent one blended over its
    background, the original in `color_declared`), `suggest` the nearest colour that would
    pass, `covered_by` a pop-up that lay over the text when the screenshot was taken."""
    alpha = round(run.color[3], 3) if len(run.color) > 3 else 1.0
    shown_colour = judged_colour(run)
    data: dict[str, Any] = {
        "text": run.text[:60],
        "color": hex_rgb(shown_colour),
        "alpha": alpha,
        "background": hex_colour(run.background),
        "font_px": run.font_px,
        "font_weight": run.font_weight,
        "large": large,
        "ratio": round(ratio, 4),
    }
    if alpha < 1:
        data["color_declared"] = css_rgba(run.color)
    if run.shadow is not None:
        data["judged_background"] = hex_rgb(_behind(run))
    suggestion = passing_colour(shown_colour, _behind(run), threshold)
    if suggestion is not None:
        data["suggest"] = hex_rgb(suggestion)
    cover = covering_overlay(run.box, run.text, overlays)
    if cover is not None:
        data["covered_by"] = cover
    return data


def _dom_contrast(runs: list[TextRun], controls: list[Interactive], normal: float,
                  large: float, overlays: list[Overlay]) -> Iterator[Hit]:
    ok_chars = ok_count = 0
    worst: float | None = None
    controls = naming_controls(controls)
    for run in runs:
        if run.over_image or not judged(run):
            continue
        ratio = dom_ratio(run)
        if ratio < std.INVISIBLE_RATIO:
            continue
        if is_icon(run, controls):
            ok_chars += run.length
            ok_count += 1
            continue
        is_large = is_large_text(run.font_px, run.font_weight)
        threshold = large if is_large else normal
        # WCAG's "at least" is exact: 4.499 fails.
        if ratio < threshold:
            evidence = _evidence(run, ratio, is_large, threshold, overlays)
            yield fail("low-alpha" if "color_declared" in evidence else "low",
                       selector=run.selector, box=run.box, value=shown(ratio, threshold),
                       threshold=threshold, weight=run.length, **evidence)
        else:
            ok_chars += run.length
            ok_count += 1
            worst = ratio if worst is None else min(worst, ratio)
    if ok_count:
        yield passed("ok", weight=ok_chars, count=ok_count, characters=ok_chars,
                     lowest=round(worst, 2) if worst is not None else None)


class DomPage(ReadsTextRuns, ReadsInteractive, ReadsOverlays, Protocol):
    """What contrast.text and contrast.enhanced read of a capture."""


class PixelPage(ReadsTextRuns, ReadsInteractive, Protocol):
    """What contrast.over-image reads of a capture: the screenshot's file (the engine finds
    it in the scan's screenshot folder), None when none was taken."""

    @property
    def screenshot(self) -> str | None: ...


CONTRAST_TEXT = RuleMeta(
    id="contrast.text",
    clause="APP 1.3; WCAG 1.4.3",
    severity="serious",
    title_zh="文字与背景对比度充足",
    title_en="Text has enough contrast with its background",
    failure_title_zh="文字与背景对比度不足",
    failure_title_en="Text contrast is too low",
    why_zh="老年人对比敏感度下降，浅灰字、浅色底上的浅色字难以辨认；"
           "普通文字对比度应不低于 4.5:1，大字不低于 3:1。",
    why_en="Contrast sensitivity falls with age: pale text on a pale background becomes "
           "unreadable. Normal text needs 4.5:1, large text 3:1.",
    decides=Decides(
        fail="each run under 4.5:1 (3:1 large)",
        passes="one aggregate",
    ),
    reads=("text_runs", "interactive", "overlays"),
    messages={
        "low": ("文字“{text}”颜色 {color} 与背景 {background} 的对比度为 {value:.2f}:1，"
                "低于 {threshold:g}:1",
                "text “{text}” ({color} on {background}) has contrast {value:.2f}:1, "
                "below {threshold:g}:1"),
        "low-alpha": ("文字“{text}”颜色 {color}（半透明的 {color_declared} 叠加在背景上）与背景 "
                      "{background} 的对比度为 {value:.2f}:1，低于 {threshold:g}:1",
                      "text “{text}” ({color}, the translucent {color_declared} blended over "
                      "{background}) has contrast {value:.2f}:1, below {threshold:g}:1"),
        "ok": ("{count} 段文字（{characters} 个字符）对比度达标",
               "{count} text runs ({characters} characters) have enough contrast"),
    },
    modes=("standard", "elder"),
)


@rule(CONTRAST_TEXT)
def contrast_text(page: DomPage) -> Iterator[Hit]:
    yield from _dom_contrast(page.text_runs, page.interactive, t.CONTRAST_MIN,
                             t.CONTRAST_MIN_LARGE, page.overlays)


CONTRAST_OVER_IMAGE = RuleMeta(
    id="contrast.over-image",
    clause="WCAG 1.4.3",
    severity="serious",
    title_zh="图片或渐变上的文字对比度充足",
    title_en="Text over images and gradients has enough contrast",
    failure_title_zh="图片或渐变上的文字看不清",
    failure_title_en="Text over an image or gradient is hard to read",
    why_zh="压在照片或渐变色上的文字，背景颜色随处变化，网页代码给出的背景色并不可信；"
           "按截图中文字周围的实际像素测量。",
    why_en="Behind text set over a photo or gradient the colour changes from place to place and "
           "the page's declared background misleads; the screenshot's pixels around the text "
           "are measured instead.",
    decides=Decides(
        fail="median background fails",
        review="mixed, unmeasurable, outside, no screenshot",
        passes="each run",
    ),
    reads=("text_runs", "interactive", "screenshot"),
    messages={
        "low": ("图片上的文字“{text}”与背景的对比度中位数为 {value:.2f}:1，低于 {threshold:g}:1",
                "text “{text}” over an image has median contrast {value:.2f}:1, "
                "below {threshold:g}:1"),
        "mixed": ("图片上的文字“{text}”对比度在 {p10:.2f}:1 与 {p50:.2f}:1 之间，部分背景不达标，"
                  "请人工确认",
                  "text “{text}” over an image ranges from {p10:.2f}:1 to {p50:.2f}:1 against "
                  "its background; part of it falls short, a person should check"),
        "ok": ("图片上的文字“{text}”在最不利的背景处对比度仍有 {value:.2f}:1",
               "text “{text}” over an image keeps {value:.2f}:1 even against its worst "
               "background"),
        "icon": ("“{text}”是图标而非文字，不适用文字对比度要求",
                 "“{text}” is an icon, not text; the text contrast minimum does not apply"),
        "sample": ("图片上的文字“{text}”周围可测的背景像素太少，请人工确认",
                   "too few background pixels around “{text}” to measure; a person should "
                   "check"),
        "glyphs": ("截图中文字“{text}”的位置找不到其颜色（可能被弹窗遮挡），请人工确认",
                   "the colour of “{text}” is not found where it should be in the screenshot "
                   "(covered by a pop-up?); a person should check"),
        "outside": ("文字“{text}”不在截图范围内，无法测量，请人工确认",
                    "text “{text}” lies outside the screenshot and could not be measured"),
        "no-screenshot": ("没有页面截图，图片上的文字“{text}”无法测量，请人工确认",
                          "no screenshot was taken, so text “{text}” over an image could not be "
                          "measured"),
    },
    modes=("standard", "elder"),
)


@rule(CONTRAST_OVER_IMAGE)
def contrast_over_image(page: PixelPage) -> Iterator[Hit]:
    runs = [r for r in page.text_runs if r.over_image and judged(r)]
    if not runs:
        return
    shot = Screenshot(page.screenshot) if page.screenshot else None
    controls = naming_controls(page.interactive)
    for run in runs:
        if is_icon(run, controls):
            yield passed("icon", selector=run.selector, box=run.box, weight=run.length,
                         text=run.text[:60])
            continue
        is_large = is_large_text(run.font_px, run.font_weight)
        threshold = t.CONTRAST_MIN_LARGE if is_large else t.CONTRAST_MIN
        where: dict[str, Any] = {"selector": run.selector, "box": run.box,
                                 "threshold": threshold, "weight": run.length}
        info = {"text": run.text[:60], "color": hex_colour(run.color),
                "font_px": run.font_px, "font_weight": run.font_weight, "large": is_large}
        if shot is None:
            yield review("no-screenshot", **where, **info)
            continue
        if not shot.inside(run.box):
            yield review("outside", **where, **info)
            continue
        sample = shot.measure(run.box, run.color, run.font_px)
        if isinstance(sample, str):
            yield review(sample, **where, **info)
            continue
        data = {**info, **sample.as_data()}
        verdict = sample.judge(threshold)
        if verdict == "pass":
            yield passed("ok", value=round(sample.worst, 2), **where, **data)
        elif verdict == "fail":
            yield fail("low", value=shown(sample.typical, threshold), **where, **data)
        else:
            yield review("mixed", value=round(sample.worst, 2), **where, **data)


CONTRAST_ENHANCED = RuleMeta(
    id="contrast.enhanced",
    clause="WCAG 1.4.6",
    severity="minor",
    title_zh="适老模式下文字达到增强对比度",
    title_en="Elder-mode text has enhanced contrast",
    failure_title_zh="适老模式下文字未达到增强对比度",
    failure_title_en="Elder-mode text falls short of enhanced contrast",
    why_zh="适老模式面向视力较弱的用户，宜达到 WCAG AAA 的增强对比度：普通文字 7:1，大字 4.5:1"
           "（参考性指标）。",
    why_en="Elder mode serves readers with weaker sight and should reach WCAG AAA enhanced "
           "contrast: 7:1 for normal text, 4.5:1 for large text (informational).",
    decides=Decides(
        fail="each run under 7:1 (4.5:1 large); severity minor",
        passes="one aggregate",
    ),
    reads=("text_runs", "interactive", "overlays"),
    messages={
        "low": ("文字“{text}”对比度 {value:.2f}:1，低于增强标准 {threshold:g}:1",
                "text “{text}” has contrast {value:.2f}:1, below the enhanced {threshold:g}:1"),
        "low-alpha": ("文字“{text}”（{color_declared} 叠加后为 {color}）对比度 {value:.2f}:1，"
                      "低于增强标准 {threshold:g}:1",
                      "text “{text}” ({color_declared}, showing as {color}) has contrast "
                      "{value:.2f}:1, below the enhanced {threshold:g}:1"),
        "ok": ("{count} 段文字（{characters} 个字符）达到增强对比度",
               "{count} text runs ({characters} characters) reach enhanced contrast"),
    },
    modes=("elder",),
)


@rule(CONTRAST_ENHANCED)
def contrast_enhanced(page: DomPage) -> Iterator[Hit]:
    yield from _dom_contrast(page.text_runs, page.interactive, t.CONTRAST_ENHANCED,
                             t.CONTRAST_ENHANCED_LARGE, page.overlays)
