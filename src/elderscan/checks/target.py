"""target.size: are buttons and links big enough for less nimble fingers?"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from elderscan.capture import Interactive, Mode, TextRun
from elderscan.checks._common.reads import ReadsInteractive, ReadsTextRuns
from elderscan.checks._registry import Decides, Hit, RuleMeta, fail, passed, rule
from elderscan.checks.standards import accessibility as std
from elderscan.checks.standards import thresholds as t

TARGET_SIZE = RuleMeta(
    id="target.size",
    clause="APP 2.1",
    severity="serious",
    title_zh="触控目标不小于 44×44",
    title_en="Touch targets are at least 44×44",
    failure_title_zh="触控目标过小",
    failure_title_en="Touch targets are too small",
    why_zh="老年人手指不够灵活，按钮和链接太小容易点错；移动端触控目标至少 44×44 像素，"
           "适老模式主要组件至少 60×60。",
    why_en="Less nimble fingers miss small buttons and links: on phones targets need at least "
           "44×44 px, and elder-mode main components 60×60.",
    decides=Decides(
        fail="each control under 44×44 (60×60 elder)",
        passes="one aggregate",
    ),
    reads=("interactive", "text_runs", "mode"),
    messages={
        "small": ("“{name}”的触控区域为 {value}，小于 {threshold}",
                  "“{name}” has a touch area of {value}, smaller than {threshold}"),
        "ok": ("{count} 个触控目标尺寸达标", "{count} touch targets are large enough"),
    },
    viewports=("mobile",),
    modes=("standard", "elder"),
)


class TargetPage(ReadsInteractive, ReadsTextRuns, Protocol):
    """What target.size reads of a capture."""

    @property
    def mode(self) -> Mode: ...


def _parent_selector(selector: str) -> str | None:
    head, sep, _ = selector.rpartition(" > ")
    return head if sep else None


def is_inline_link(control: Interactive, runs_by_selector: dict[str, TextRun]) -> bool:
    """A link inside a sentence (WCAG 2.5.8's inline exception): its parent has running text of
    its own around it, and the link sits on that text's lines."""
    if control.tag not in std.INLINE_TAGS:
        return False
    parent = _parent_selector(control.selector)
    run = runs_by_selector.get(parent) if parent else None
    if run is None:
        return False
    # The parent's run holds only its own text nodes; the link's text is a run of its own.
    if run.length < std.INLINE_MIN_SURROUNDING_CHARS:
        return False
    _, ry, _, rh = run.box
    _, cy, _, ch = control.box
    slack = t.INLINE_LINE_SLACK_PX
    return cy + ch > ry - slack and cy < ry + rh + slack


@rule(TARGET_SIZE)
def target_size(page: TargetPage) -> Iterator[Hit]:
    minimum = t.TARGET_ELDER_MIN_PX if page.mode == "elder" else t.TARGET_MIN_PX
    runs = {r.selector: r for r in page.text_runs}
    ok = 0
    for control in page.interactive:
        if not (control.visible and control.focusable):
            continue
        _, _, w, h = control.box
        if w <= 0 or h <= 0:
            continue
        if w + t.PX_TOLERANCE >= minimum and h + t.PX_TOLERANCE >= minimum:
            ok += 1
            continue
        if is_inline_link(control, runs):
            continue
        yield fail("small", selector=control.selector, box=control.box, value=f"{w:g}×{h:g}",
                   threshold=f"{minimum:g}×{minimum:g}", name=(control.name or control.tag)[:40],
                   width=w, height=h, tag=control.tag)
    if ok:
        yield passed("ok", weight=ok, count=ok)
