"""Voice: is there read-aloud, does it really speak and stop, can a screen reader cope?"""

from __future__ import annotations

from collections.abc import Iterator

from elderscan.capture import Capture, SiteCapture
from elderscan.checks._registry import Hit, RuleMeta, fail, passed, review, rule

READALOUD = RuleMeta(
    id="voice.readaloud",
    dimension="voice",
    clause="WEB (u) voice reading on article pages, with on/off",
    severity="serious",
    title_zh="提供语音朗读功能",
    title_en="There is a read-aloud control",
    failure_title_zh="没有语音朗读功能",
    failure_title_en="No read-aloud control",
    why_zh="视力不好的老人依靠语音朗读获取信息。",
    why_en="People who cannot read the screen well rely on read-aloud.",
    reads=("voice",),
    scope="site",
    messages={
        "found": ("找到语音朗读控件“{text}”", "found the read-aloud control “{text}”"),
        "missing": ("没有找到语音朗读、读屏、指读等控件",
                    "no read-aloud (语音朗读, 读屏, 指读) control found"),
    },
)


@rule(READALOUD)
def readaloud(site: SiteCapture) -> Iterator[Hit]:
    probe = site.voice
    if probe is None:
        return
    if not probe.found:
        yield fail("missing", value=False, threshold="present")
        return
    e = probe.entry
    yield passed("found", value=True, threshold="present", selector=e.selector if e else None,
                 box=e.box if e else None, text=(e.text or e.name) if e else "")


FUNCTIONAL = RuleMeta(
    id="voice.functional",
    dimension="voice",
    clause="WEB (u)",
    severity="serious",
    title_zh="语音朗读能真正发声，并且可以关闭",
    title_en="Read-aloud really speaks, and can be stopped",
    failure_title_zh="语音朗读无效",
    failure_title_en="Read-aloud does not work",
    why_zh="只有按钮而不发声的“语音”功能，对老人没有任何帮助。",
    why_en="A 语音 button that makes no sound helps nobody.",
    reads=("voice",),
    scope="site",
    messages={
        "speaks": ("按下后开始朗读（{kind}）", "pressing it starts speech ({kind})"),
        "silent": ("按下后没有任何朗读：{failure}", "pressing it starts no speech: {failure}"),
        "unknown": ("无法判断朗读是否生效：{failure}",
                    "could not tell whether it speaks: {failure}"),
        "stops": ("朗读可以停止", "speech can be stopped"),
        "no-stop": ("找不到停止朗读的方法", "speech could not be stopped"),
    },
)


@rule(FUNCTIONAL)
def functional(site: SiteCapture) -> Iterator[Hit]:
    probe = site.voice
    if probe is None or not probe.found:
        return
    e = probe.entry
    where = {"selector": e.selector, "box": e.box} if e else {}
    data = {"kind": probe.kind, "evidence": probe.evidence, "failure": probe.failure or ""}
    if probe.functional is None:
        yield review("unknown", value="unknown", threshold="speech observed", **where, **data)
        return
    if not probe.functional:
        yield fail("silent", value="none", threshold="speech observed", **where, **data)
        return
    yield passed("speaks", value=probe.kind, threshold="speech observed", **where, **data)
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
    dimension="voice",
    clause="WCAG 1.1.1, 2.4.2, 3.1.1, 4.1.2",
    severity="serious",
    title_zh="读屏软件所需的信息齐全（替代文本、名称、语言、标题）",
    title_en="Screen readers get what they need (alt text, names, lang, title)",
    failure_title_zh="读屏软件无法正确朗读",
    failure_title_en="Screen readers are left without names or text",
    why_zh="使用读屏软件的老人依赖图片替代文本、控件名称、页面语言和标题。",
    why_en="Older screen-reader users depend on alt text, control names, page lang and title.",
    reads=("pages",),
    scope="site",
    messages={
        "violation": ("{axe_rule}：{help}", "{axe_rule}: {help}"),
        "ok": ("{axe_rule} 通过（{pages} 个页面）", "{axe_rule} passes ({pages} pages)"),
    },
)


@rule(SCREENREADER)
def screenreader(site: SiteCapture) -> Iterator[Hit]:
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
                           help=violation.help, page=page.url, clause=clause)
        for rule_id in page.axe.passes:
            if rule_id in SCREENREADER_AXE:
                passing[rule_id] = passing.get(rule_id, 0) + 1
    for rule_id, pages in sorted(passing.items()):
        yield passed("ok", value=rule_id, threshold="pass", axe_rule=rule_id, pages=pages,
                     weight=pages)


def contract_voice(site: SiteCapture) -> dict[str, object] | None:
    """The result's `voice` object."""
    probe = site.voice
    if probe is None:
        return None
    entry = probe.entry
    return {
        "found": probe.found,
        "functional": probe.functional,
        "kind": probe.kind,
        "stoppable": probe.stoppable,
        "entry": {"text": entry.text or entry.name, "selector": entry.selector,
                  "box": entry.box} if entry else None,
        "evidence": probe.evidence,
    }
