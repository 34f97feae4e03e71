"""Text size and spacing: can an older reader make out the words?"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from elderscan.capture import SpacingOverride
from elderscan.checks._common.maintext import main_runs
from elderscan.checks._common.reads import ReadsTextRuns
from elderscan.checks._registry import Decides, Hit, RuleMeta, fail, passed, rule
from elderscan.checks.standards import thresholds as t

FONT_SIZE = RuleMeta(
    id="font.size",
    clause="WEB (u) 1.2.3; APP 1.1",
    severity="serious",
    title_zh="正文字号达到 18 像素",
    title_en="Main text is at least 18 px",
    failure_title_zh="正文字号偏小",
    failure_title_en="Main text is too small",
    why_zh="老年人视力下降，正文至少 18 像素（适老模式或移动端）才能看清。",
    why_en="Older eyes need main text of at least 18 px (in elder mode or on mobile).",
    decides=Decides(
        fail="under 80 % of main-content characters at ≥ 18 px; evidence: the largest small run",
        passes="≥ 80 %",
    ),
    reads=("text_runs",),
    messages={
        "share": (
            "正文中达到 {threshold_px:g}px 的字符占 {share:.0%}（要求 ≥{threshold:.0%}），"
            "主要字号 {dominant_px:g}px",
            "{share:.0%} of main text is at least {threshold_px:g} px (needs ≥{threshold:.0%}); "
            "the most common size is {dominant_px:g} px",
        ),
    },
    modes=("standard", "elder"),
)


class TextPage(ReadsTextRuns, Protocol):
    """What font.size and font.line-spacing read of a capture."""


@rule(FONT_SIZE)
def font_size(page: TextPage) -> Iterator[Hit]:
    runs = main_runs(page.text_runs)
    total = sum(r.length for r in runs)
    if not total:
        return
    big = sum(r.length for r in runs if r.font_px >= t.ELDER_MIN_TEXT_PX - t.PX_TOLERANCE)
    share = big / total
    by_size: dict[float, int] = {}
    for r in runs:
        by_size[r.font_px] = by_size.get(r.font_px, 0) + r.length
    dominant = max(by_size.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    small = sorted((r for r in runs if r.font_px < t.ELDER_MIN_TEXT_PX - t.PX_TOLERANCE),
                   key=lambda r: -r.length)
    evidence = small[0] if small else None
    data = {"share": share, "dominant_px": dominant, "threshold_px": t.ELDER_MIN_TEXT_PX,
            "characters": total,
            "examples": [{"selector": r.selector, "box": r.box, "font_px": r.font_px}
                         for r in small[:5]]}
    make = passed if share >= t.FONT_SHARE_TARGET else fail
    yield make("share", value=round(share, 4), threshold=t.FONT_SHARE_TARGET,
               selector=evidence.selector if evidence else None,
               box=evidence.box if evidence else None, **data)


LINE_SPACING = RuleMeta(
    id="font.line-spacing",
    clause="APP 1.2; WCAG 1.4.12",
    severity="moderate",
    title_zh="行距不小于 1.3 倍",
    title_en="Line spacing is at least 1.3",
    failure_title_zh="行距过密",
    failure_title_en="Lines are too close together",
    why_zh="行距过小时，老年人读完一行后难以找到下一行。",
    why_en="With tight lines, older readers lose their place moving to the next line.",
    decides=Decides(
        fail="each paragraph (≥ 40 chars) whose line height < 1.3 × font size ('normal' measured "
        "from the rendered line box)",
        passes="one aggregate",
    ),
    reads=("text_runs",),
    messages={
        "tight": ("行高是字号的 {value:.2f} 倍（要求 ≥{threshold:g}）",
                  "line height is {value:.2f} × the font size (needs ≥{threshold:g})"),
        "ok": ("{count} 段正文的行距达标", "{count} paragraphs have enough line spacing"),
    },
    modes=("standard", "elder"),
)


@rule(LINE_SPACING)
def line_spacing(page: TextPage) -> Iterator[Hit]:
    ok_chars = ok_count = 0
    for run in main_runs(page.text_runs):
        if run.length < t.PARAGRAPH_CHARS or run.font_px <= 0:
            continue
        line = run.line_height_px if run.line_height_px is not None else run.normal_line_px
        if line is None:
            continue
        ratio = line / run.font_px
        if ratio + t.LINE_HEIGHT_TOLERANCE < t.LINE_HEIGHT_MIN_RATIO:
            yield fail("tight", selector=run.selector, box=run.box, value=round(ratio, 3),
                       threshold=t.LINE_HEIGHT_MIN_RATIO, weight=run.length)
        else:
            ok_chars += run.length
            ok_count += 1
    if ok_count:
        yield passed("ok", weight=ok_chars, count=ok_count)


TEXT_SPACING = RuleMeta(
    id="font.text-spacing",
    clause="WCAG 1.4.12",
    severity="moderate",
    title_zh="不以 !important 锁死过密的文字间距",
    title_en="Text spacing is not locked too tight with !important",
    failure_title_zh="文字间距被 !important 锁死且过密",
    failure_title_en="Text spacing is locked too tight",
    why_zh="老年人常用浏览器插件或自定义样式加大行距、字距；"
           "style 属性里的 !important 会让这些设置失效。",
    why_en="Readers enlarge line, letter and word spacing with their own styles; !important in a "
           "style attribute defeats them unless the spacing is already wide enough.",
    decides=Decides(
        fail="`!important` in a style attribute below line-height 1.5, letter 0.12 em, word 0.16 "
        "em of the text that inherits it (line height only where text wraps; `inherit`/`unset` "
        "not applicable)",
        passes="each wide-enough declaration",
    ),
    reads=("spacing",),
    messages={
        "line-height": ("行高被 !important 设为字号的 {ratio:.2f} 倍（要求 ≥{threshold:g}）",
                        "line-height is locked at {ratio:.2f} × the font size "
                        "(needs ≥{threshold:g})"),
        "letter-spacing": ("字距被 !important 设为字号的 {ratio:.3f} 倍（要求 ≥{threshold:g}）",
                           "letter-spacing is locked at {ratio:.3f} em (needs ≥{threshold:g})"),
        "word-spacing": ("词距被 !important 设为字号的 {ratio:.3f} 倍（要求 ≥{threshold:g}）",
                         "word-spacing is locked at {ratio:.3f} em (needs ≥{threshold:g})"),
        "line-height-ok": ("行高虽用 !important，但不小于字号的 {threshold:g} 倍",
                           "line-height is !important but at least {threshold:g} × the font size"),
        "letter-spacing-ok": ("字距虽用 !important，但足够宽",
                              "letter-spacing is !important but wide enough"),
        "word-spacing-ok": ("词距虽用 !important，但足够宽",
                            "word-spacing is !important but wide enough"),
    },
    modes=("standard", "elder"),
)
SPACING_MINIMUM = {"line-height": t.TEXT_SPACING_LINE_HEIGHT,
                   "letter-spacing": t.TEXT_SPACING_LETTER, "word-spacing": t.TEXT_SPACING_WORD}


class SpacingPage(Protocol):
    """What font.text-spacing reads of a capture."""

    @property
    def spacing(self) -> list[SpacingOverride]: ...


@rule(TEXT_SPACING)
def text_spacing(page: SpacingPage) -> Iterator[Hit]:
    for item in page.spacing:
        minimum = SPACING_MINIMUM.get(item.property)
        if minimum is None or not item.visible or item.declared in {"inherit", "unset"}:
            continue
        if item.property == "line-height" and item.lines < t.WRAPPED_MIN_LINES:
            continue  # line height only matters where the text wraps
        ratio = item.ratio if item.ratio is not None else 0.0
        where = {"selector": item.selector, "value": round(ratio, 3), "threshold": minimum,
                 "ratio": ratio, "property": item.property, "declared": item.declared}
        if ratio + t.SPACING_TOLERANCE < minimum:
            yield fail(item.property, **where)
        else:
            yield passed(f"{item.property}-ok", **where)
