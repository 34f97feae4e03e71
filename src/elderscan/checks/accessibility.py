"""Operating the page: touch targets, keyboard focus, things that move or reload by themselves,
CAPTCHAs, and text that zoom cuts off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from elderscan.capture import Capture, Image, Interactive, TextRun
from elderscan.checks._common.geometry import gap
from elderscan.checks._registry import Hit, RuleMeta, fail, passed, review, rule
from elderscan.checks.standards import accessibility as std
from elderscan.checks.standards import thresholds as t

# ---- target.size ----------------------------------------------------------------------------

TARGET_SIZE = RuleMeta(
    id="target.size",
    dimension="accessibility",
    better="higher",
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
    reads=("interactive", "text_runs", "mode"),
    messages={
        "small": ("“{name}”的触控区域为 {value}，小于 {threshold}",
                  "“{name}” has a touch area of {value}, smaller than {threshold}"),
        "ok": ("{count} 个触控目标尺寸达标", "{count} touch targets are large enough"),
    },
    viewports=("mobile",),
    modes=("standard", "elder"),
)


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
    return cy + ch > ry - 1 and cy < ry + rh + 1


@rule(TARGET_SIZE)
def target_size(page: Capture) -> Iterator[Hit]:
    minimum = t.TARGET_ELDER_MIN_PX if page.mode == "elder" else t.TARGET_MIN_PX
    runs = {r.selector: r for r in page.text_runs}
    ok = 0
    for control in page.interactive:
        if not (control.visible and control.focusable):
            continue
        _, _, w, h = control.box
        if w <= 0 or h <= 0:
            continue
        if w + 0.01 >= minimum and h + 0.01 >= minimum:
            ok += 1
            continue
        if is_inline_link(control, runs):
            continue
        yield fail("small", selector=control.selector, box=control.box, value=f"{w:g}×{h:g}",
                   threshold=f"{minimum:g}×{minimum:g}", name=(control.name or control.tag)[:40],
                   width=w, height=h, tag=control.tag)
    if ok:
        yield passed("ok", weight=ok, count=ok)


# ---- focus.visible --------------------------------------------------------------------------

FOCUS = RuleMeta(
    id="focus.visible",
    dimension="accessibility",
    clause="WEB (u); WCAG 2.4.7, 2.1.1",
    severity="serious",
    title_zh="键盘焦点清晰可见",
    title_en="Keyboard focus is visible",
    failure_title_zh="键盘焦点不可见",
    failure_title_en="Keyboard focus cannot be seen",
    why_zh="用键盘或读屏操作的老年人需要看清当前焦点所在，否则不知道按下回车会发生什么。",
    why_en="People who use the keyboard need to see where focus is, or they cannot tell what "
           "Enter will do.",
    reads=("focus",),
    messages={
        "invisible": ("焦点移到“{name}”时没有可见的变化",
                      "focus on “{name}” shows no visible change"),
        "ok": ("{count} 个 Tab 停留点有可见的焦点样式",
               "{count} Tab stops show a visible focus indicator"),
    },
    modes=("standard", "elder"),
)


@rule(FOCUS)
def focus_visible(page: Capture) -> Iterator[Hit]:
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


# ---- motion.timing --------------------------------------------------------------------------

MOTION = RuleMeta(
    id="motion.timing",
    dimension="accessibility",
    clause="APP 2.3; WCAG 2.2.1, 2.2.2, 1.4.2",
    severity="serious",
    title_zh="无自动刷新、自动轮播和自动播放声音",
    title_en="No timed refresh, auto-advancing content or auto-playing sound",
    failure_title_zh="页面自动刷新、自动轮播或自动播放声音",
    failure_title_en="The page refreshes, moves or plays sound by itself",
    why_zh="老年人阅读和操作较慢，页面定时刷新、轮播不停或突然发声，会打断阅读、来不及操作。",
    why_en="Older people read and act more slowly: timed reloads, carousels that never stop and "
           "sound that starts by itself cut them off.",
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

_DIGITS = re.compile(r"[0-9]+")
_WS = " \t\n\f\r"


def refresh_delay(content: str | None) -> tuple[float, bool] | None:
    """The delay in seconds of a meta refresh and whether it names a URL, as the HTML
    standard's "shared declarative refresh steps" parse it; None when the content is invalid
    (the browser then ignores it)."""
    if content is None:
        return None
    pos = 0
    n = len(content)
    while pos < n and content[pos] in _WS:
        pos += 1
    digits = _DIGITS.match(content, pos)
    if digits is None:
        if pos >= n or content[pos] != ".":
            return None
        delay = 0
    else:
        delay = int(digits.group())
        pos = digits.end()
    while pos < n and content[pos] in "0123456789.":
        pos += 1
    if pos < n and content[pos] not in ";," + _WS:
        return None
    while pos < n and content[pos] in _WS:
        pos += 1
    if pos < n and content[pos] in ";,":
        pos += 1
    rest = content[pos:].strip()
    return float(delay), bool(rest)


@rule(MOTION)
def motion_timing(page: Capture) -> Iterator[Hit]:
    # Browsers act on the first *valid* refresh declaration, not simply the first one.
    declared = page.meta_refreshes or ([page.meta_refresh] if page.meta_refresh else [])
    yield from _refresh(next((c for c in declared if refresh_delay(c) is not None), None))
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
        if moving.changes < 2:
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


def _refresh(content: str | None) -> Iterator[Hit]:
    parsed = refresh_delay(content)
    if parsed is None:
        return
    delay, has_url = parsed
    where = {"selector": 'meta[http-equiv="refresh"]', "content": (content or "")[:200]}
    if delay == 0:
        yield passed("redirect", value=0, threshold=0, **where)
    elif delay <= std.REFRESH_MAX_DELAY_S:
        yield fail("refresh", value=delay, threshold=0, action="跳转" if has_url else "刷新",
                   action_en="redirects" if has_url else "reloads", **where)
    else:
        yield passed("refresh-late", value=delay, threshold=std.REFRESH_MAX_DELAY_S, **where)


# ---- captcha.alternative --------------------------------------------------------------------

CAPTCHA = RuleMeta(
    id="captcha.alternative",
    dimension="accessibility",
    clause="WEB (u) 1.4.3; APP 1.5",
    severity="serious",
    title_zh="图形验证码提供放大和语音方式",
    title_en="Visual CAPTCHAs offer magnification and a voice alternative",
    failure_title_zh="图形验证码缺少放大或语音方式",
    failure_title_en="A visual CAPTCHA lacks magnification or a voice alternative",
    why_zh="老年人看不清扭曲的图形验证码；规范要求可放大（至少 2 倍）并提供语音等非视觉方式。",
    why_en="Distorted image codes defeat weak eyes; the specifications ask for magnification "
           "(at least 2×) and a non-visual alternative such as voice.",
    reads=("images", "interactive"),
    messages={
        "missing": ("图形验证码缺少{missing_zh}", "the visual CAPTCHA lacks {missing_en}"),
        "ok": ("图形验证码提供了语音和放大方式",
               "the visual CAPTCHA offers voice and magnification"),
    },
)
_CAPTCHA = re.compile("|".join(re.escape(w) for w in std.CAPTCHA_WORDS), re.IGNORECASE)


def is_captcha(image: Image) -> bool:
    haystack = " ".join(x for x in (image.src, image.alt, image.id, image.classes) if x)
    return bool(_CAPTCHA.search(haystack))


def _control_words(control: Interactive) -> str:
    parts = (control.name, control.text, control.title, control.aria_label, control.id,
             control.href)
    return " ".join(p for p in parts if p).lower()


def _nearby(image: Image, controls: list[Interactive], words: tuple[str, ...]) -> str | None:
    for control in controls:
        if not control.visible or gap(control.box, image.box) > std.CAPTCHA_NEARBY_PX:
            continue
        text = _control_words(control)
        if any(word.lower() in text for word in words):
            return control.selector
    return None


@rule(CAPTCHA)
def captcha_alternative(page: Capture) -> Iterator[Hit]:
    for image in page.images:
        if not image.visible or not is_captcha(image):
            continue
        voice = _nearby(image, page.interactive, std.CAPTCHA_VOICE_WORDS)
        magnify = _nearby(image, page.interactive, std.CAPTCHA_MAGNIFY_WORDS)
        data = {"voice": voice, "magnify": magnify, "src": image.src[:200], "alt": image.alt}
        if voice and magnify:
            yield passed("ok", selector=image.selector, box=image.box, **data)
            continue
        missing = [name for name, found in (("voice", voice), ("magnify", magnify))
                   if not found]
        zh = {"voice": "语音方式", "magnify": "放大方式"}
        yield fail("missing", selector=image.selector, box=image.box, value=",".join(missing),
                   threshold="voice,magnify", missing=missing,
                   missing_zh="和".join(zh[m] for m in missing),
                   missing_en=" and ".join("a voice alternative" if m == "voice"
                                           else "magnification" for m in missing),
                   **data)


# ---- zoom.reflow ----------------------------------------------------------------------------

REFLOW = RuleMeta(
    id="zoom.reflow",
    dimension="font",
    clause="WCAG 1.4.4",
    severity="serious",
    title_zh="放大到 200% 时文字不被截断",
    title_en="Text is not cut off at 200% zoom",
    failure_title_zh="放大后文字被截断",
    failure_title_en="Zooming cuts text off",
    why_zh="老年人常把网页放大阅读；放大到 200% 时文字被容器截断，就读不全了。",
    why_en="Older readers zoom in; when a box cuts text off at 200 %, part of it is lost.",
    reads=("reflow",),
    messages={
        "clipped": ("放大到 200% 时“{text}”被截断", "at 200 % “{text}” is cut off"),
        "ok": ("放大到 200% 时 {count} 段文字均完整显示",
               "at 200 % all {count} text runs show in full"),
    },
    viewports=("desktop",),
    modes=("standard", "elder"),
)


VISUALLY_HIDDEN_PX = 1.0


@rule(REFLOW)
def zoom_reflow(page: Capture) -> Iterator[Hit]:
    reflow = page.reflow
    if reflow is None or reflow.candidates == 0:
        return  # no text sits in a box that hides overflow: nothing zoom could cut off
    failed = 0
    for clipped in reflow.clipped:
        if min(clipped.clip_box[2], clipped.clip_box[3]) <= VISUALLY_HIDDEN_PX:
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
