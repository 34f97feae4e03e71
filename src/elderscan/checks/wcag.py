"""The `wcag.*` rule family: axe-core's WCAG 2.x A/AA results as findings.

One registered family (`wcag.*`) whose hits name the concrete rule, `wcag.<axe-rule-id>`, with
the severity taken from axe's impact and the clause from its tags (`wcag143` → `WCAG 1.4.3`, with
the GB/T 37668-2019 level that matches the WCAG level). Every violating node is a `fail`, every
node axe could not decide is a `review`, and every rule that applied and passed is one `pass`
with no element. Rules our own checks measure better are skipped (`SKIPPED_AXE_RULES`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from elderscan.capture import AxeNode, AxeResults, AxeRule
from elderscan.checks._registry import (
    SEVERITIES,
    Decides,
    Hit,
    RuleMeta,
    fail,
    passed,
    review,
    rule,
)
from elderscan.checks.standards import axe as std
from elderscan.finding import Severity

FAMILY_CLAUSE = f"{std.GBT} 二级; WCAG 2.x A/AA"
_SC_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")
_LEVEL_ORDER = ("一级", "二级", "三级")

WCAG = RuleMeta(
    id="wcag.*",
    clause=FAMILY_CLAUSE,
    severity="moderate",
    title_zh="符合 WCAG 2.x A/AA（axe-core 检测）",
    title_en="Meets WCAG 2.x A/AA (axe-core checks)",
    failure_title_zh="不符合 WCAG 2.x A/AA 的要求",
    failure_title_en="Fails WCAG 2.x A/AA requirements",
    why_zh="图片替代文字、控件名称、页面语言和标题等是读屏软件为视障老人朗读网页的基础；"
           "GB/T 37668-2019 二级大致对应 WCAG AA。",
    why_en="Alternative text, control names, page language and title are what screen readers "
           "need to read a page aloud; GB/T 37668-2019 level 2 roughly matches WCAG AA.",
    decides=Decides(
        fail="each violating node",
        review="each incomplete node",
        passes="each passing rule",
    ),
    reads=("axe", "final_url"),
    messages={
        "violation": ("{help}（axe-core 规则 {axe_id}）", "{help} (axe-core rule {axe_id})"),
        "incomplete": ("{help}：axe-core 无法自动判断，请人工确认（规则 {axe_id}）",
                       "{help}: axe-core could not decide; a person should check "
                       "(rule {axe_id})"),
        "pass": ("axe-core 规则 {axe_id} 通过", "axe-core rule {axe_id} passes"),
    },
    modes=("standard", "elder"),
)


def clause_for(tags: list[str]) -> str:
    """`wcag143` → `WCAG 1.4.3`; the level tags add the matching GB/T 37668-2019 level."""
    criteria: list[tuple[int, int, int]] = []
    for tag in tags:
        m = _SC_TAG.match(tag)
        if m:
            sc = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if sc not in criteria:
                criteria.append(sc)
    levels = {std.LEVEL_TAGS[tag] for tag in tags if tag in std.LEVEL_TAGS}
    parts: list[str] = []
    if criteria:
        parts.append("WCAG " + ", ".join(f"{a}.{b}.{c}" for a, b, c in sorted(criteria)))
    for level in _LEVEL_ORDER:
        if level in levels:
            parts.append(f"{std.GBT} {level}")
            break
    return "; ".join(parts) or FAMILY_CLAUSE


def severity_for(impact: str | None) -> Severity:
    """axe's impact names match our severities; an impact-less result counts as moderate."""
    for name in SEVERITIES:
        if impact == name:
            return name
    return "moderate"


def _node_data(result: AxeRule, node: AxeNode, page_url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "axe_id": result.id,
        "help": result.help,
        "help_url": result.help_url,
        **({"help_en": result.help_en} if result.help_en else {}),
        "html": node.html[:300],
        "failure_summary": node.failure_summary,
        "targets": node.target[:5],
    }
    if node.frame_url and node.frame_url != page_url:
        data["frame_url"] = node.frame_url
    return data


def _node_hits(results: list[AxeRule], make: Callable[..., Hit], key: str,
               page_url: str) -> Iterator[Hit]:
    for result in results:
        if result.id in std.SKIPPED_AXE_RULES:
            continue
        family = {"rule": f"wcag.{result.id}", "severity": severity_for(result.impact),
                  "clause": clause_for(result.tags)}
        for node in result.nodes:
            yield make(key, selector=node.target[0] if node.target else None,
                       value=result.impact, **family, **_node_data(result, node, page_url))


class AxePage(Protocol):
    """What the `wcag.*` family reads of a capture: axe-core's results, and the page's address
    (a node in another frame names that frame)."""

    @property
    def axe(self) -> AxeResults | None: ...
    @property
    def final_url(self) -> str: ...


@rule(WCAG)
def wcag_axe(page: AxePage) -> Iterator[Hit]:
    axe = page.axe
    if axe is None:  # the runner turns a missing `axe` into an error before we get here
        return
    yield from _node_hits(axe.violations, fail, "violation", page.final_url)
    yield from _node_hits(axe.incomplete, review, "incomplete", page.final_url)
    for axe_id in axe.passes:
        if axe_id in std.SKIPPED_AXE_RULES:
            continue
        yield passed("pass", rule=f"wcag.{axe_id}", axe_id=axe_id)
