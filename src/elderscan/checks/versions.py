"""Language and other versions: where a region's plan requires one (西藏 → 藏文版), is it there,
does it open, is it really in that language, marked as such, and legible?

Elsewhere versions are informational: they are listed in the result's `versions`, not judged.
Which region requires what, and the clause it comes from, is data (`standards/regions.json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from elderscan.capture import SiteCapture, VersionEntry
from elderscan.checks._registry import Hit, RuleMeta, fail, passed, review, rule
from elderscan.langscripts import RTL_SCRIPTS, lang_matches, scripts_for

WCAG_LANG = "WCAG 2.x 3.1.1 Language of Page; 3.1.2 Language of Parts"
NOT_FOLLOWED = frozenset({"off-site", "robots"})


@dataclass(frozen=True)
class Requirement:
    """One required version of a region: its language, its name, the clause it comes from."""

    region: str
    lang: str
    name_zh: str
    name_en: str
    clause: str


@cache
def _regions() -> dict[str, Any]:
    text = resources.files("elderscan.checks.standards").joinpath("regions.json").read_text(
        "utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def verified_share() -> float:
    """The share of the expected script from which a version counts as in its language."""
    return float(_regions()["verified_share"])


def requirements(region: str | None) -> list[Requirement]:
    """The versions `region` requires (a row's region matches when it contains a name)."""
    if not region:
        return []
    low = region.lower()
    for entry in _regions()["regions"]:
        if any(name.lower() in low for name in entry["names"]):
            return [Requirement(entry["names"][0], lang, entry["label_zh"], entry["label_en"],
                                entry["clause"]) for lang in entry["required"]]
    return []


def known_region(region: str) -> bool:
    """Whether the data file names the region (for a warning on a mistyped --region)."""
    low = region.lower()
    return any(name.lower() in low for e in _regions()["regions"] for name in e["names"])


REQUIRED = RuleMeta(
    id="lang.version-required",
    dimension="accessibility",
    clause="regional plan (standards/regions.json)",
    severity="serious",
    title_zh="提供地区要求的民族语言版本（如藏汉双语）",
    title_en="The language version the region requires is there and works",
    failure_title_zh="缺少地区要求的民族语言版本，或该版本不可用",
    failure_title_en="The language version the region requires is missing or broken",
    why_zh="自治区的方案要求政府、金融、媒体网站提供本民族语言版本（如西藏的藏汉双语）；"
           "不懂汉语的老人只能靠它办事。",
    why_en="Autonomous regions' plans ask government, finance and media sites for a version in "
           "the region's language (Tibet: 藏汉双语); older people who read no Chinese depend "
           "on it.",
    reads=("versions",),
    scope="site",
    messages={
        "works": ("{name_zh}可用：“{label}”打开后，{share_pct}% 的文字为该语言文字",
                  "the {name_en} works: “{label}” opens a page {share_pct}% in its script"),
        "missing": ("首页找不到{name_zh}的入口", "the start page has no entry to the {name_en}"),
        "http": ("{name_zh}入口“{label}”打不开（HTTP {status}）",
                 "the {name_en} entry “{label}” does not open (HTTP {status})"),
        "unreachable": ("{name_zh}入口“{label}”打不开（无应答、超时或被拒绝）",
                        "the {name_en} entry “{label}” does not open (no answer, timeout or "
                        "refused)"),
        "no-change": ("点击{name_zh}切换“{label}”后页面没有任何变化",
                      "pressing the {name_en} switch “{label}” changes nothing"),
        "not-followed": ("{name_zh}入口“{label}”指向其他网站或被 robots.txt 禁止，需人工确认",
                         "the {name_en} entry “{label}” leads to another site or robots.txt "
                         "forbids it: check by hand"),
        "unverified": ("{name_zh}“{label}”打开后只有 {share_pct}% 的文字是该语言文字（至少 "
                       "{threshold_pct}%）",
                       "the {name_en} “{label}” is only {share_pct}% in its script (at least "
                       "{threshold_pct}%)"),
        "glyphs": ("{name_zh}的文字显示为方框：没有字体能显示 {value}",
                   "the {name_en} shows boxes: no font renders {value}"),
        "direction": ("{name_zh}的文字没有按从右到左排列",
                      "the {name_en} is not set right-to-left"),
        "mislabelled": ("{name_zh}的页面语言标为 “{lang_attr}”，该语言的段落也未标注 lang",
                        "the {name_en} page is marked lang “{lang_attr}” and its passages are "
                        "not marked either"),
    },
)


def _best(entries: list[VersionEntry], lang: str) -> VersionEntry | None:
    """The entry of `lang` that worked, else the first one found."""
    ours = [e for e in entries if e.lang and lang_matches(e.lang, lang)]
    return next((e for e in ours if e.failure is None), ours[0] if ours else None)


def _pct(value: float | None) -> str:
    return "0" if value is None else f"{value * 100:.0f}"


def _judge(need: Requirement, e: VersionEntry) -> Hit:
    share = verified_share()
    data = {"name_zh": need.name_zh, "name_en": need.name_en, "label": e.label, "url": e.url,
            "lang": need.lang, "status": e.status, "lang_attr": e.lang_attr or "",
            "share_pct": _pct(e.verified), "threshold_pct": _pct(share), "region": need.region}
    where: dict[str, Any] = {"selector": e.selector, "box": e.box, "clause": need.clause}
    if e.failure in NOT_FOLLOWED:
        return review("not-followed", value=e.failure, threshold="followed", **where, **data)
    if e.failure == "no-change" or e.failure == "click-failed":
        return fail("no-change", value=e.failure, threshold="page changes", **where, **data)
    if e.failure:
        key = "http" if e.status and e.status >= 400 else "unreachable"
        return fail(key, value=e.status or e.failure, threshold="HTTP 200", **where, **data)
    if e.verified is None or e.verified < share:
        return fail("unverified", value=e.verified, threshold=share, **where, **data)
    if e.glyphs_ok is False:
        return fail("glyphs", value=e.missing_glyphs, threshold="every character has a glyph",
                    **where, **data)
    if set(scripts_for(need.lang)) & RTL_SCRIPTS and e.direction == "ltr":
        return fail("direction", value="ltr", threshold="rtl", **where, **data)
    if not lang_matches(e.lang_attr, need.lang) and e.unmarked:
        return fail("mislabelled", value=e.lang_attr or "", threshold=need.lang,
                    **{**where, "clause": WCAG_LANG}, **data)
    return passed("works", value=e.verified, threshold=share, **where, **data)


@rule(REQUIRED)
def version_required(site: SiteCapture) -> Iterator[Hit]:
    probe = site.versions
    if probe is None:
        return
    for need in requirements(probe.region):
        entry = _best(probe.versions, need.lang)
        if entry is None:
            yield fail("missing", value="none", threshold="present", clause=need.clause,
                       name_zh=need.name_zh, name_en=need.name_en, lang=need.lang,
                       region=need.region)
            continue
        yield _judge(need, entry)
