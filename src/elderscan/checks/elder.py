"""Elder mode: is there an entry, can people find it, and does it make the text big enough?"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from elderscan.capture import Capture, ElderProbe, ElderTrial
from elderscan.checks._common.maintext import main_runs
from elderscan.checks._common.reads import ReadsPages
from elderscan.checks._registry import Decides, Hit, RuleMeta, fail, passed, review, rule
from elderscan.checks.elder_trials import reason
from elderscan.checks.standards import thresholds as t


class ElderSite(Protocol):
    """What elder.entry and elder.entry-prominent read of a site: the elder-mode probe."""

    @property
    def elder(self) -> ElderProbe | None: ...


class ElderPages(ElderSite, ReadsPages, Protocol):
    """What elder.max-scale reads: the probe and the captures (elder mode's among them)."""


class ElderHome(ElderPages, Protocol):
    """What elder.effective reads: also the start address, to find the home page."""

    @property
    def start_url(self) -> str: ...


def main_text_px(capture: Capture) -> float | None:
    """The size most main-content characters are set in (a character-weighted median)."""
    runs = sorted(main_runs(capture.text_runs), key=lambda r: r.font_px)
    total = sum(r.length for r in runs)
    if not total:
        return None
    seen = 0
    for run in runs:
        seen += run.length
        if seen * 2 >= total:
            return run.font_px
    return runs[-1].font_px


def _captures(site: ElderPages, mode: str) -> list[Capture]:
    return [p for p in site.pages if isinstance(p, Capture) and p.mode == mode]


def home_capture(site: ElderHome) -> Capture | None:
    standard = _captures(site, "standard")
    for capture in standard:
        if capture.url == site.start_url and capture.viewport == "desktop":
            return capture
    return standard[0] if standard else None


def elder_home(site: ElderPages) -> Capture | None:
    elder = _captures(site, "elder")
    return next((c for c in elder if c.viewport == "desktop"), elder[0] if elder else None)


def mode_text_px(site: ElderHome) -> tuple[float | None, float | None]:
    home, elder = home_capture(site), elder_home(site)
    return (main_text_px(home) if home else None, main_text_px(elder) if elder else None)


ENTRY = RuleMeta(
    id="elder.entry",
    clause="WEB (u) service principles; APP 3.1",
    severity="critical",
    title_zh="提供适老化版本入口（关怀版/长者模式）",
    title_en="There is an entry to an elder mode",
    failure_title_zh="找不到适老化版本入口",
    failure_title_en="No elder-mode entry",
    why_zh="规范要求网站提供关怀版、长者模式等适老化版本，且入口醒目。",
    why_en="The MIIT rules ask for an elder version (关怀版, 长者模式) with a clear entry.",
    decides=Decides(
        fail="no entry found",
        passes="the entry (text, kind)",
    ),
    reads=("elder",),
    scope="site",
    messages={
        "found": ("找到适老化入口“{text}”（{kind}）",
                  "found the elder-mode entry “{text}” ({kind})"),
        "found-unnamed": ("找到适老化入口：一个没有名称的图片，"
                          "其链接或图片文件名含“{keyword}”（{kind}）",
                          "found the elder-mode entry: an image with no name whose link or file "
                          "says “{keyword}” ({kind})"),
        "missing": ("首页没有关怀版、长者模式、适老版等入口",
                    "the home page has no 关怀版 / 长者模式 / 适老版 entry"),
    },
)


@rule(ENTRY)
def entry(site: ElderSite) -> Iterator[Hit]:
    probe = site.elder
    if probe is None:
        return
    if probe.entry is None or probe.kind == "none":
        yield fail("missing", value="none", threshold="present")
        return
    named = probe.entry.text or probe.entry.name
    yield passed("found" if named else "found-unnamed", selector=probe.entry.selector,
                 box=probe.entry.box, value=probe.kind, threshold="present", text=named,
                 keyword=probe.entry.keyword or "", kind=probe.kind)


PROMINENT = RuleMeta(
    id="elder.entry-prominent",
    clause="APP 3.1",
    severity="serious",
    title_zh="适老化入口醒目、可用键盘到达、有可读名称",
    title_en="The elder-mode entry is prominent, keyboard-reachable and named",
    failure_title_zh="适老化入口不够醒目或无法用键盘到达",
    failure_title_en="The elder-mode entry is hard to find or reach",
    why_zh="入口要放在首屏显著位置，读屏和键盘用户也要能找到并使用。",
    why_en="The entry must be on the first screen, and usable by keyboard and screen reader.",
    decides=Decides(
        fail="each of: not in the first screen; not keyboard-reachable; no accessible name",
        passes="each condition met",
    ),
    reads=("elder",),
    scope="site",
    messages={
        "first-screen": ("入口在首屏内", "the entry is on the first screen"),
        "not-first-screen": ("入口不在首屏，需要滚动才能看到",
                             "the entry is below the first screen"),
        "keyboard": ("入口可用 Tab 键到达", "the entry can be reached with Tab"),
        "no-keyboard": ("入口无法用键盘到达（不可聚焦）",
                        "the entry cannot be reached by keyboard (not focusable)"),
        "named": ("入口有可读名称“{name}”", "the entry has an accessible name “{name}”"),
        "unnamed": ("入口没有可读名称，读屏软件无法读出",
                    "the entry has no accessible name for screen readers"),
    },
)


@rule(PROMINENT)
def prominent(site: ElderSite) -> Iterator[Hit]:
    probe = site.elder
    if probe is None or probe.entry is None or probe.kind == "none":
        return
    e = probe.entry
    where = {"selector": e.selector, "box": e.box}
    yield (passed("first-screen", value=True, threshold=True, **where) if e.in_first_screen
           else fail("not-first-screen", value=False, threshold=True, **where))
    yield (passed("keyboard", value=True, threshold=True, **where) if e.keyboard_reachable
           else fail("no-keyboard", value=False, threshold=True, **where))
    name = e.name.strip()
    yield (passed("named", value=name, threshold="non-empty", name=name, **where) if name
           else fail("unnamed", value="", threshold="non-empty", **where))


EFFECTIVE = RuleMeta(
    id="elder.effective",
    clause="WEB (u) 1.2.3; APP 1.1",
    severity="critical",
    title_zh="开启适老模式后正文不小于 18 像素且明显变大",
    title_en="Elder mode makes main text at least 18 px and larger",
    failure_title_zh="适老模式无效",
    failure_title_en="Elder mode does not work",
    why_zh="只有入口没有效果的关怀版，对老年人毫无帮助。",
    why_en="An elder-mode entry that changes nothing does not help anyone.",
    decides=Decides(
        fail="entry broken (error page, nothing changes), or elder main text < 18 px, or not "
        "larger than standard; the message quotes the probe's reason for the entry (what it "
        "calls, what changed, which request failed, the text size)",
        review="no elder capture",
        passes="main text ≥ 18 px and larger (than the page the entry is on, when the home "
        "page has no main text: a shell of frames)",
    ),
    reads=("elder", "pages", "start_url"),
    scope="site",
    messages={
        "broken": ("适老化入口无效：{why_zh}", "the elder-mode entry does not work: {why_en}"),
        "no-capture": ("开启适老模式后未能采集页面", "no page could be captured in elder mode"),
        "effective": ("开启后正文从 {standard_px:g}px 变为 {value:g}px",
                      "main text goes from {standard_px:g} px to {value:g} px"),
        "effective-alone": ("开启后正文为 {value:g}px（首页没有可比较的正文）",
                            "main text in elder mode is {value:g} px (the home page has no "
                            "main text to compare with)"),
        "too-small": ("开启后正文只有 {value:g}px（要求 ≥{threshold:g}px）",
                      "main text in elder mode is {value:g} px (needs ≥{threshold:g} px)"),
        "not-larger": ("开启后正文没有变大（{standard_px:g}px → {value:g}px）",
                       "main text did not get larger ({standard_px:g} px → {value:g} px)"),
        "too-small-why": ("开启后正文只有 {value:g}px（要求 ≥{threshold:g}px）：{why_zh}",
                          "main text in elder mode is {value:g} px (needs ≥{threshold:g} px): "
                          "{why_en}"),
        "not-larger-why": ("开启后正文没有变大（{standard_px:g}px → {value:g}px）：{why_zh}",
                           "main text did not get larger ({standard_px:g} px → {value:g} px): "
                           "{why_en}"),
    },
)


def entry_trial(site: ElderSite) -> ElderTrial | None:
    """The probe's record of the entry the verdict is about (None for older captures)."""
    probe = site.elder
    if probe is None or probe.entry is None:
        return None
    return next((tr for tr in probe.trials if tr.entry.selector == probe.entry.selector
                 and tr.how != "not-tried"), None)


def _why(site: ElderHome) -> dict[str, str]:
    trial = entry_trial(site)
    if trial is None:
        failure = site.elder.failure if site.elder else None
        return {"why_zh": failure or "", "why_en": failure or ""}
    home = site.start_url
    return {"why_zh": reason(trial, "zh", home=home), "why_en": reason(trial, "en", home=home)}


@rule(EFFECTIVE)
def effective(site: ElderHome) -> Iterator[Hit]:
    probe = site.elder
    if probe is None or probe.kind == "none":
        return
    where = {"selector": probe.entry.selector, "box": probe.entry.box} if probe.entry else {}
    if probe.kind == "broken":
        yield fail("broken", value="broken", threshold=t.ELDER_MIN_TEXT_PX,
                   **_why(site), **where)
        return
    standard, elder = mode_text_px(site)
    if elder is None:
        yield review("no-capture", threshold=t.ELDER_MIN_TEXT_PX, **where)
        return
    trial = entry_trial(site)
    if standard is None and trial is not None:  # the page the entry is on (a framed page)
        standard = trial.text_px_before
    data = {"standard_px": standard or 0.0, "elder_url": probe.elder_url, **where}
    why = "-why" if trial is not None else ""
    if elder < t.ELDER_MIN_TEXT_PX - t.PX_TOLERANCE:
        yield fail("too-small" + why, value=elder, threshold=t.ELDER_MIN_TEXT_PX, **_why(site),
                   **data)
    elif standard is not None and elder <= standard:
        yield fail("not-larger" + why, value=elder, threshold=t.ELDER_MIN_TEXT_PX, **_why(site),
                   **data)
    elif standard is None:  # nothing to compare with (a home page of images, of frames)
        yield passed("effective-alone", value=elder, threshold=t.ELDER_MIN_TEXT_PX, **data)
    else:
        yield passed("effective", value=elder, threshold=t.ELDER_MIN_TEXT_PX, **data)


MAX_SCALE = RuleMeta(
    id="elder.max-scale",
    clause="APP 1.1",
    severity="minor",
    title_zh="适老模式下主要功能的最大字号不小于 30 像素",
    title_en="The largest size offered for main functions is at least 30 px",
    failure_title_zh="适老模式下最大字号不足 30 像素",
    failure_title_en="Elder mode offers no size of 30 px or more",
    why_zh="视力较差的老人需要更大的字号选择，规范要求主要功能最大不小于 30。",
    why_en="People with poor sight need a larger step; the spec asks for 30 at the most.",
    decides=Decides(
        fail="largest main text in elder mode < 30 px",
        passes="≥ 30 px",
    ),
    reads=("elder", "pages"),
    scope="site",
    messages={
        "ok": ("适老模式下主要功能最大字号 {value:g}px",
               "largest main-function text: {value:g} px"),
        "small": ("适老模式下主要功能最大字号只有 {value:g}px（要求 ≥{threshold:g}px）",
                  "largest main-function text is {value:g} px (needs ≥{threshold:g} px)"),
    },
)


@rule(MAX_SCALE)
def max_scale(site: ElderPages) -> Iterator[Hit]:
    if site.elder is None or site.elder.kind in {"none", "broken"}:
        return
    home = elder_home(site)
    if home is None:
        return
    controls = [r for r in home.text_runs if r.landmark in {None, "main", "nav"}]
    if not controls:
        return
    biggest = max(controls, key=lambda r: r.font_px)
    make = passed if biggest.font_px >= t.ELDER_MAX_SCALE_PX - t.PX_TOLERANCE else fail
    yield make("ok" if make is passed else "small", selector=biggest.selector, box=biggest.box,
               value=biggest.font_px, threshold=t.ELDER_MAX_SCALE_PX)
