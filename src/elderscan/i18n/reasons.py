"""Why a rule could not run, as `score.unjudged` and a page's `rule_errors` keep it: English
built from these phrases, and said again in the reader's language by `said` (the result JSON
stays as it is; only what a person reads changes).

`said` reads a stored reason back through the English phrases, outermost first: a phrase
whose English matches gives its values, each said again the same way, and the phrase is
rendered in the other language. Text that matches none (a driver's own words) is kept.
"""

from __future__ import annotations

import re
from functools import cache

TEXT: dict[str, tuple[str, str]] = {
    "reasons.not_captured": ("未取得{part}：{why}", "{part} was not captured: {why}"),
    "reasons.not_captured_bare": ("未取得{part}", "{part} was not captured"),
    "reasons.page_left": (
        "页面在{probe}期间自行离开了 {url}（脚本跳转或定时刷新），无法观察",
        "the page left {url} by itself during the {probe} probe (a script redirect or reload "
        "on a timer), so it could not be watched"),
    "reasons.not_run_left": (
        "未运行：页面在{probe}期间自行离开了 {url}（脚本跳转或定时刷新）",
        "not run: the page left {url} by itself during the {probe} probe (a script redirect "
        "or reload on a timer)"),
    # what a rule reads of a capture, and the probes, by their names in the capture
    "reasons.part.focus": ("键盘焦点检测", "focus"),
    "reasons.part.reflow": ("200% 缩放检测", "reflow"),
    "reasons.part.motion": ("动效检测", "motion"),
    "reasons.part.axe": ("axe-core 检测结果", "axe"),
    "reasons.part.screenshot": ("页面截图", "screenshot"),
    "reasons.part.elder": ("长者模式检测", "elder"),
    "reasons.part.voice": ("语音朗读检测", "voice"),
}
PHRASES = ("reasons.not_captured", "reasons.not_run_left", "reasons.page_left",
           "reasons.not_captured_bare")
"""Tried in this order: the longer English first where one ends like another."""


@cache
def _pattern(english: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", english)
    body = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)"
                   for i, p in enumerate(parts))
    return re.compile(body + r"\Z", re.DOTALL)


def said(reason: str, lang: str) -> str:
    """`reason` (stored in English) in `lang`; English is returned as it is."""
    from elderscan.i18n import CATALOGUE, has, text

    if lang == "en":
        return reason
    for key in PHRASES:
        found = _pattern(CATALOGUE[key][1]).match(reason)
        if found is None:
            continue
        values = {}
        for name, value in found.groupdict().items():
            word = f"reasons.part.{value}"
            values[name] = text(word, "zh") if name in ("part", "probe") and has(word) \
                else said(value, lang)
        return text(key, "zh", **values)
    return reason
