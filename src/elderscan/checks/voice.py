"""Voice: is there read-aloud, does it really speak and stop, can a screen reader cope?"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from elderscan.capture import Capture, VoiceProbe
from elderscan.checks._common.reads import ReadsPages
from elderscan.checks._registry import (
    Decides,
    Hit,
    RuleMeta,
    fail,
    passed,
    review,
    rule,
)
from elderscan.finding import Outcome


class VoiceSite(Protocol):
    """What voice.readaloud and voice.functional read of a site: the voice probe."""

    @property
    def voice(self) -> VoiceProbe | None: ...


class ScannedPages(ReadsPages, Protocol):
    """What voice.screenreader reads of a site: the captures, with their axe-core results."""


READALOUD = RuleMeta(
    id="voice.readaloud",
    clause="WEB (u) voice reading on article pages, with on/off",
    severity="serious",
    title_zh="提供语音朗读功能",
    title_en="There is a read-aloud control",
    failure_title_zh="没有语音朗读功能",
    failure_title_en="No read-aloud control",
    why_zh="视力不好的老人依靠语音朗读获取信息。",
    why_en="People who cannot read the screen well rely on read-aloud.",
    decides=Decides(
        fail="no read-aloud control (the message says so when only voice search / voice input "
        "was found); an image-only control without an accessible name (and, said in the same "
        "finding, not reachable with Tab)",
        passes="the control",
    ),
    reads=("voice",),
    scope="site",
    messages={
        "found": ("找到语音朗读控件“{text}”", "found the read-aloud control “{text}”"),
        "found-unnamed": ("找到语音朗读控件（{at}，一个没有文字的图标）",
                          "found the read-aloud control ({at}, an icon without text)"),
        "missing": ("没有找到语音朗读、读屏、指读等控件",
                    "no read-aloud (语音朗读, 读屏, 指读) control found"),
        "only-input": ("页面上只有语音搜索/语音输入（“{inputs}”），它把说话变成文字，不能朗读页面；"
                       "请提供朗读正文的“语音朗读”按钮",
                       "the page only has voice search / voice input (“{inputs}”), which turns "
                       "speech into text and reads nothing aloud; add a read-aloud button that "
                       "reads the article"),
        "unnamed": ("朗读控件没有可读出的名称（无文字，也无 aria-label、title 或图片 alt）："
                    "读屏用户和语音控制用户找不到它；请给它加上名称，如 aria-label=\"语音朗读\"",
                    "the read-aloud control has no accessible name (no text, aria-label, title "
                    "or image alt): screen-reader and voice-control users cannot find it; name "
                    "it, e.g. aria-label=\"语音朗读\""),
        "unnamed-unfocusable": (
            "朗读控件没有可读出的名称（无文字，也无 aria-label、title 或图片 alt），"
            "也不能用 Tab 键选中：读屏和键盘用户找不到它；"
            "请改用带名称的 <button>，如 <button aria-label=\"语音朗读\">",
            "the read-aloud control has no accessible name (no text, aria-label, title or image "
            "alt) and cannot be reached with Tab: screen-reader and keyboard users cannot find "
            "it; make it a named <button>, e.g. <button aria-label=\"语音朗读\">"),
    },
)


@rule(READALOUD)
def readaloud(site: VoiceSite) -> Iterator[Hit]:
    probe = site.voice
    if probe is None:
        return
    if not probe.found:
        inputs = [t.label or t.selector for t in probe.tried if t.outcome == "voice-input"]
        if inputs:
            yield fail("only-input", value=False, threshold="present", inputs="”“".join(inputs))
        else:
            yield fail("missing", value=False, threshold="present")
        return
    e = probe.entry
    if e is None:
        yield passed("found", value=True, threshold="present", text="")
        return
    where = {"selector": e.selector, "box": e.box}
    label = e.text or e.name
    if label:
        yield passed("found", value=True, threshold="present", text=label, **where)
    else:
        yield passed("found-unnamed", value=True, threshold="present", at=e.selector, **where)
        key = "unnamed" if e.keyboard_reachable else "unnamed-unfocusable"
        yield fail(key, value="", threshold="accessible name", **where)


FUNCTIONAL = RuleMeta(
    id="voice.functional",
    clause="WEB (u)",
    severity="serious",
    title_zh="语音朗读能真正发声，并且可以关闭",
    title_en="Read-aloud really speaks, and can be stopped",
    failure_title_zh="语音朗读无效",
    failure_title_en="Read-aloud does not work",
    why_zh="只有按钮而不发声的“语音”功能，对老人没有任何帮助。",
    why_en="A 语音 button that makes no sound helps nobody.",
    decides=Decides(
        fail="pressing each candidate starts no speech (the message names what was pressed); "
        "speech cannot be stopped (weight ½)",
        review="the page sent its text to a speech service that did not answer; could not be "
        "probed",
        passes="speech observed (kind), and stopped",
    ),
    reads=("voice",),
    scope="site",
    messages={
        "speaks-speech-synthesis": ("按下“{label}”后，浏览器用自带的语音合成开始朗读",
                                    "pressing “{label}” starts reading with the browser's "
                                    "speech synthesis"),
        "speaks-audio": ("按下“{label}”后开始播放朗读音频",
                         "pressing “{label}” starts playing the reading"),
        "speaks-tts-request": ("按下“{label}”后，页面把正文发往语音合成服务 {endpoint}，"
                               "服务返回了语音",
                               "pressing “{label}” sends the text to the speech service "
                               "{endpoint}, which answers"),
        "silent": ("按下“{label}”后，既没有调用浏览器的语音合成，也没有播放音频或请求语音服务"
                   "（共按了 {tried} 个控件：{labels}）："
                   "请检查按钮的点击事件是否已绑定、朗读脚本是否已加载",
                   "pressing “{label}” neither starts the browser's speech synthesis nor plays "
                   "audio nor asks a speech service ({tried} controls pressed: {labels}): check "
                   "that its click handler is bound and the read-aloud script loads"),
        "not-pressed": ("“{label}”无法按下（被遮挡或不响应点击）：请确认它没有被其他元素盖住",
                        "“{label}” could not be pressed (covered, or it takes no click): make "
                        "sure nothing lies over it"),
        "tts-unreachable": (
            "按下“{label}”后，页面把正文（{chars} 字，{pieces} 个请求）"
            "发往语音合成服务 {endpoint}，"
            "但该服务没有应答（{error}），所以听不到声音：请确认该服务在运行、并且从公网可以访问",
            "pressing “{label}” sends the text ({chars} characters in {pieces} requests) to the "
            "speech service {endpoint}, which does not answer ({error}), so nothing is heard: "
            "make sure that service runs and can be reached from the internet"),
        "tts-unreachable-named": (
            "按下“{label}”后，页面向语音合成服务 {endpoint} 发出了 {pieces} 个请求，"
            "但该服务没有应答（{error}），所以听不到声音：请确认该服务在运行、并且从公网可以访问",
            "pressing “{label}” sends {pieces} requests to the speech service {endpoint}, which "
            "does not answer ({error}), so nothing is heard: make sure that service runs and "
            "can be reached from the internet"),
        "unknown": ("无法判断朗读是否生效：检测时页面出错（{failure}）",
                    "could not tell whether it speaks: the page failed during the check "
                    "({failure})"),
        "stops": ("朗读可以停止", "speech can be stopped"),
        "no-stop": ("找不到停止朗读的方法：请提供“停止朗读”按钮，或让再按一次朗读按钮时停止",
                    "speech could not be stopped: add a stop button, or stop when the "
                    "read-aloud button is pressed again"),
    },
)


def label_of(probe: VoiceProbe) -> str:
    """The entry as a person finds it on the page: its text, its name, else where it is."""
    e = probe.entry
    return (e.text or e.name or e.selector) if e else ""


def verdict(probe: VoiceProbe) -> tuple[Outcome, str, dict[str, Any]]:
    """voice.functional's outcome, message key and message data for a probe that found an
    entry: also the `reason` the result's voice section gives."""
    data: dict[str, Any] = {"label": label_of(probe), "kind": probe.kind,
                            "evidence": probe.evidence}
    calls = [r for r in probe.requests if r.chars]
    named = calls or probe.requests  # a speech service known by its address, no text seen
    if named:
        first = named[0]
        data.update(endpoint=first.url.split("?")[0], chars=sum(r.chars for r in calls),
                    pieces=len(named), error=first.failure or f"HTTP {first.status}"
                    if first.status is not None else first.failure or "")
    if probe.functional:
        return "pass", f"speaks-{probe.kind}", data
    if probe.reason == "tts-unreachable":
        return "review", "tts-unreachable" if calls else "tts-unreachable-named", data
    if probe.functional is None:
        return "review", "unknown", {**data, "failure": probe.failure or ""}
    pressed = [t for t in probe.tried if t.outcome in {"silent", "not-pressed"}]
    data.update(tried=len(pressed), labels="、".join(t.label or t.selector for t in pressed))
    return "fail", probe.reason or "silent", data


@rule(FUNCTIONAL)
def functional(site: VoiceSite) -> Iterator[Hit]:
    probe = site.voice
    if probe is None or not probe.found:
        return
    e = probe.entry
    where = {"selector": e.selector, "box": e.box} if e else {}
    outcome, key, data = verdict(probe)
    value = probe.kind if outcome == "pass" else "none" if outcome == "fail" else "unknown"
    hit = {"pass": passed, "fail": fail, "review": review}[outcome]
    yield hit(key, value=value, threshold="speech observed", **where, **data)
    if probe.stoppable is True:
        yield passed("stops", value=True, threshold=True, **where)
    elif probe.stoppable is False:
        yield fail("no-stop", value=False, threshold=True, weight=0.5, **where)


SCREENREADER_AXE = {
    "image-alt": "WCAG 1.1.1", "input-image-alt": "WCAG 1.1.1", "area-alt": "WCAG 1.1.1",
    "role-img-alt": "WCAG 1.1.1", "svg-img-alt": "WCAG 1.1.1", "object-alt": "WCAG 1.1.1",
    "document-title": "WCAG 2.4.2", "html-has-lang": "WCAG 3.1.1",
    "html-lang-valid": "WCAG 3.1.1", "button-name": "WCAG 4.1.2", "link-name": "WCAG 4.1.2",
    "label": "WCAG 4.1.2", "select-name": "WCAG 4.1.2", "frame-title": "WCAG 4.1.2",
    "aria-command-name": "WCAG 4.1.2", "aria-input-field-name": "WCAG 4.1.2",
}

SCREENREADER = RuleMeta(
    id="voice.screenreader",
    clause="WCAG 1.1.1, 2.4.2, 3.1.1, 4.1.2",
    severity="serious",
    title_zh="读屏软件所需的信息齐全（替代文本、名称、语言、标题）",
    title_en="Screen readers get what they need (alt text, names, lang, title)",
    failure_title_zh="读屏软件无法正确朗读",
    failure_title_en="Screen readers are left without names or text",
    why_zh="使用读屏软件的老人依赖图片替代文本、控件名称、页面语言和标题。",
    why_en="Older screen-reader users depend on alt text, control names, page lang and title.",
    decides=Decides(
        fail="each node violating axe's alt-text, name, lang or title rules (WCAG 1.1.1, 2.4.2, "
        "3.1.1, 4.1.2)",
        passes="each of those rules passing, weighted by pages",
    ),
    reads=("pages",),
    scope="site",
    messages={
        "violation": ("{axe_rule}：{help}", "{axe_rule}: {help}"),
        "ok": ("{axe_rule} 通过（{pages} 个页面）", "{axe_rule} passes ({pages} pages)"),
    },
)


@rule(SCREENREADER)
def screenreader(site: ScannedPages) -> Iterator[Hit]:
    passing: dict[str, int] = {}
    for page in site.pages:
        if not isinstance(page, Capture) or page.mode != "standard" or page.axe is None:
            continue
        for violation in page.axe.violations:
            if violation.id not in SCREENREADER_AXE:
                continue
            clause = SCREENREADER_AXE[violation.id]
            for node in violation.nodes:
                yield fail("violation", selector=node.target[0] if node.target else None,
                           value=violation.id, threshold="pass", axe_rule=violation.id,
                           help=violation.help, page=page.url, clause=clause,
                           **({"help_en": violation.help_en} if violation.help_en else {}))
        for rule_id in page.axe.passes:
            if rule_id in SCREENREADER_AXE:
                passing[rule_id] = passing.get(rule_id, 0) + 1
    for rule_id, pages in sorted(passing.items()):
        yield passed("ok", value=rule_id, threshold="pass", axe_rule=rule_id, pages=pages,
                     weight=pages)
