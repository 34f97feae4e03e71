"""focus.visible: can people who use the keyboard see where focus is?"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from elderscan.capture import FocusStep
from elderscan.checks._registry import Decides, Hit, RuleMeta, fail, passed, rule

FOCUS = RuleMeta(
    id="focus.visible",
    clause="WEB (u); WCAG 2.4.7, 2.1.1",
    severity="serious",
    title_zh="键盘焦点清晰可见",
    title_en="Keyboard focus is visible",
    failure_title_zh="键盘焦点不可见",
    failure_title_en="Keyboard focus cannot be seen",
    why_zh="用键盘或读屏操作的老年人需要看清当前焦点所在，否则不知道按下回车会发生什么。",
    why_en="People who use the keyboard need to see where focus is, or they cannot tell what "
           "Enter will do.",
    decides=Decides(
        fail="each Tab stop with no visible change",
        passes="one aggregate",
    ),
    reads=("focus",),
    messages={
        "invisible": ("焦点移到“{name}”时没有可见的变化",
                      "focus on “{name}” shows no visible change"),
        "ok": ("{count} 个 Tab 停留点有可见的焦点样式",
               "{count} Tab stops show a visible focus indicator"),
    },
    modes=("standard", "elder"),
)


class FocusPage(Protocol):
    """What focus.visible reads of a capture: the Tab stops, None when not probed."""

    @property
    def focus(self) -> list[FocusStep] | None: ...


@rule(FOCUS)
def focus_visible(page: FocusPage) -> Iterator[Hit]:
    steps = page.focus
    if not steps:
        return
    seen: set[str] = set()
    ok = 0
    for step in steps:
        if step.selector in seen:
            continue
        seen.add(step.selector)
        if step.indicator:
            ok += 1
        else:
            yield fail("invisible", selector=step.selector, box=step.box, value="none",
                       threshold="visible change", name=(step.name or step.tag)[:40],
                       tag=step.tag)
    if ok:
        yield passed("ok", weight=ok, count=ok)
