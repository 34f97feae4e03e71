"""Why a rule could not run, as `score.unjudged` and a page's `rule_errors` keep it: English
built from these phrases (`english`, values as they are), and said again in the reader's
language by `said` (the result JSON stays as it is; only what a person reads changes).

`said` reads a stored reason back through the English phrases, outermost first: a phrase
whose English matches gives its values, each said again the same way, and the phrase is
rendered in the reader's language. A part or probe is one word (`text_runs`, `motion`) and an
address has no spaces, so a driver's own words are not mistaken for a phrase; text that
matches none is kept as it is.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from elderscan.i18n import Lang

TEXT: dict[str, tuple[str, str]] = {
    "reasons.not_captured": ("未能取得{part}：{why}", "{part} was not captured: {why}"),
    "reasons.not_captured_bare": ("未能取得{part}", "{part} was not captured"),
    "reasons.page_left": (
        "在{probe}期间，页面自行离开了 {url}（脚本跳转或定时刷新），因此无法检测",
        "the page left {url} by itself during the {probe} probe (a script redirect or reload "
        "on a timer), so it could not be watched"),
    "reasons.not_run_left": (
        "未运行：在{probe}期间，页面自行离开了 {url}（脚本跳转或定时刷新）",
        "not run: the page left {url} by itself during the {probe} probe (a script redirect "
        "or reload on a timer)"),
    "reasons.shot_slow": ("截图超过 {seconds} 秒仍未完成",
                          "the screenshot took longer than {seconds}s"),
    # what a rule reads of a capture (`RuleMeta.reads`), and the probes, by their capture names
    "reasons.part.axe": ("无障碍检测（axe-core）的结果", "axe"),
    "reasons.part.elder": ("长者模式检测的结果", "elder"),
    "reasons.part.final_url": ("页面的最终地址", "final_url"),
    "reasons.part.focus": ("键盘焦点检测的结果", "focus"),
    "reasons.part.images": ("页面的图片", "images"),
    "reasons.part.interactive": ("页面的链接和控件", "interactive"),
    "reasons.part.media": ("页面的音视频", "media"),
    "reasons.part.meta_refresh": ("页面的自动刷新设置", "meta_refresh"),
    "reasons.part.meta_refreshes": ("页面的自动刷新设置", "meta_refreshes"),
    "reasons.part.meta_viewport": ("页面的视口设置", "meta_viewport"),
    "reasons.part.mode": ("页面的模式", "mode"),
    "reasons.part.motion": ("动效检测的结果", "motion"),
    "reasons.part.network": ("页面的网络请求", "network"),
    "reasons.part.overlays": ("页面的弹窗和浮层", "overlays"),
    "reasons.part.pages": ("站点的页面", "pages"),
    "reasons.part.reflow": ("放大到 200% 的检测结果", "reflow"),
    "reasons.part.screenshot": ("页面截图", "screenshot"),
    "reasons.part.scripts": ("页面的脚本", "scripts"),
    "reasons.part.spacing": ("页面的文字间距", "spacing"),
    "reasons.part.start_url": ("检测的起始地址", "start_url"),
    "reasons.part.text_runs": ("页面的文字", "text_runs"),
    "reasons.part.versions": ("语言版本检测的结果", "versions"),
    "reasons.part.viewport_size": ("视口大小", "viewport_size"),
    "reasons.part.voice": ("语音朗读检测的结果", "voice"),
    # the probes, as named inside "during the … probe"
    "reasons.probe.focus": ("键盘焦点检测", "focus"),
    "reasons.probe.reflow": ("200% 放大检测", "reflow"),
    "reasons.probe.motion": ("动效检测", "motion"),
}
PHRASES = ("reasons.not_captured", "reasons.not_run_left", "reasons.page_left",
           "reasons.shot_slow", "reasons.not_captured_bare")
"""Tried in this order: the longer English first where one ends like another."""
_VALUE = {"part": r"\w+", "probe": r"\w+", "url": r"\S+", "seconds": r"[\d.]+"}


@cache
def _pattern(english: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", english)
    body = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_VALUE.get(p, '.+?')})"
                   for i, p in enumerate(parts))
    return re.compile(body + r"\Z", re.DOTALL)


def said(reason: str, lang: Lang) -> str:
    """`reason` (stored in English) in `lang`; English is returned as it is."""
    from elderscan.i18n import CATALOGUE, has, text

    if lang == "en":
        return reason
    for key in PHRASES:
        found = _pattern(CATALOGUE[key][1]).match(reason)
        if found is None:
            continue
        values: dict[str, object] = {}
        for name, value in found.groupdict().items():
            word = f"reasons.{name}.{value}"
            if name in ("part", "probe"):
                values[name] = text(word, lang) if has(word) else value
            else:
                values[name] = value if name in _VALUE else said(value, lang)
        return text(key, lang, **values)
    return reason
