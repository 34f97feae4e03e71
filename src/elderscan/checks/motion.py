"""motion.timing: does the page reload, move or play sound by itself?"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from elderscan.capture import Media, MovingElement
from elderscan.checks._registry import Decides, Hit, RuleMeta, fail, passed, review, rule
from elderscan.checks.standards import accessibility as std
from elderscan.checks.standards import thresholds as t
from elderscan.refresh import Refresh, first_refresh

MOTION = RuleMeta(
    id="motion.timing",
    clause="APP 2.3; WCAG 2.2.1, 2.2.2, 1.4.2",
    severity="serious",
    title_zh="无自动刷新、自动轮播和自动播放声音",
    title_en="No timed refresh, auto-advancing content or auto-playing sound",
    failure_title_zh="页面自动刷新、自动轮播或自动播放声音",
    failure_title_en="The page refreshes, moves or plays sound by itself",
    why_zh="老年人阅读和操作较慢，页面定时刷新、轮播不停或突然发声，会打断阅读、来不及操作。",
    why_en="Older people read and act more slowly: timed reloads, carousels that never stop and "
           "sound that starts by itself cut them off.",
    decides=Decides(
        fail="refresh 0 < delay ≤ 20 h; sound without controls; motion > 5 s without pause",
        review="motion seen in too short a window",
        passes="instant redirect; controls; pause",
    ),
    reads=("meta_refresh", "meta_refreshes", "media", "motion"),
    messages={
        "refresh": ("页面在 {value:g} 秒后自动{action}（meta refresh）",
                    "the page {action_en} after {value:g} s (meta refresh)"),
        "redirect": ("页面立即跳转（meta refresh 0 秒），不构成定时",
                     "the page redirects at once (meta refresh 0 s), which sets no time limit"),
        "refresh-late": ("meta refresh 延迟 {value:g} 秒，超过 20 小时",
                         "meta refresh after {value:g} s, more than 20 hours"),
        "audio": ("{tag} 自动播放声音，且没有播放控制条",
                  "a {tag} element plays sound by itself with no controls"),
        "audio-ok": ("自动播放的 {tag} 提供了播放控制条",
                     "an auto-playing {tag} element has controls"),
        "moving": ("此处内容在 {seconds:g} 秒内自动变化 {changes} 次，且没有暂停按钮",
                   "this content changed {changes} times in {seconds:g} s by itself, with no "
                   "pause control"),
        "moving-ok": ("自动变化的内容有暂停按钮",
                      "content that moves by itself has a pause control"),
        "moving-short": ("此处内容在 {seconds:g} 秒的观察期内自动变化 {changes} 次，"
                         "观察时间不足以判断是否超过 5 秒",
                         "this content changed {changes} times in a {seconds:g} s window, too "
                         "short to tell whether it moves for more than 5 s"),
    },
    modes=("standard", "elder"),
)


class MotionPage(Protocol):
    """What motion.timing reads of a capture."""

    @property
    def meta_refresh(self) -> str | None: ...
    @property
    def meta_refreshes(self) -> list[str]: ...
    @property
    def media(self) -> list[Media]: ...
    @property
    def motion(self) -> list[MovingElement] | None: ...


@rule(MOTION)
def motion_timing(page: MotionPage) -> Iterator[Hit]:
    declared = page.meta_refreshes or ([page.meta_refresh] if page.meta_refresh else [])
    yield from _refresh(first_refresh(declared))
    for media in page.media:
        if media.paused or media.muted:
            continue
        where = {"selector": media.selector, "src": media.src, "tag": media.tag,
                 "autoplay": media.autoplay}
        if media.controls:
            yield passed("audio-ok", **where)
        else:
            yield fail("audio", value="playing", threshold="controls", **where)
    limit_ms = t.MOTION_MAX_SECONDS * 1000
    for moving in page.motion or []:
        if moving.changes < t.MOTION_MIN_CHANGES:
            continue  # one change is an update (content loaded), not motion
        data = {"changes": moving.changes, "seconds": round(moving.window_ms / 1000, 1)}
        if moving.pause_control:
            yield passed("moving-ok", selector=moving.selector, box=moving.box, **data)
        elif moving.window_ms <= limit_ms:
            yield review("moving-short", selector=moving.selector, box=moving.box,
                         value=moving.changes, threshold=t.MOTION_MAX_SECONDS, **data)
        else:
            yield fail("moving", selector=moving.selector, box=moving.box,
                       value=moving.changes, threshold=t.MOTION_MAX_SECONDS, **data)


def _refresh(found: tuple[str, Refresh] | None) -> Iterator[Hit]:
    if found is None:
        return
    content, parsed = found
    delay, has_url = parsed.delay, bool(parsed.url)
    where = {"selector": 'meta[http-equiv="refresh"]', "content": content[:200]}
    if delay == 0:
        yield passed("redirect", value=0, threshold=0, **where)
    elif delay <= std.REFRESH_MAX_DELAY_S:
        yield fail("refresh", value=delay, threshold=0, action="跳转" if has_url else "刷新",
                   action_en="redirects" if has_url else "reloads", **where)
    else:
        yield passed("refresh-late", value=delay, threshold=std.REFRESH_MAX_DELAY_S, **where)
