"""The result regrouped for people: findings by rule, in the reader's language, by impact.

Shared by the HTML and Markdown reports and the dashboard, so the three order a rectification
list (整改清单) the same way. Impact is an estimate of the points the total would gain if every
failure of the rule were fixed, from the scoring model's weights; a veto rule comes first
whatever its estimate, because it caps the total below the pass line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from elderscan import dimensions
from elderscan.checks import REGISTRY
from elderscan.checks._registry import Lang as Lang
from elderscan.checks._registry import RuleMeta, TemplateError, render
from elderscan.contract import PageResult, ScanReport
from elderscan.finding import Finding
from elderscan.i18n import CATALOGUE, text
from elderscan.i18n.axe import rule_help as axe_help
from elderscan.i18n.reasons import said
from elderscan.reports.wording import error_text
from elderscan.scoring import weights as w


def _pairs(prefix: str, names: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """(zh, en) of each name, from the catalogue (the shape older callers read)."""
    return {name: CATALOGUE[f"{prefix}.{name}"] for name in names}


DIMENSIONS = _pairs("reports.dimension", dimensions.DIMENSIONS)
OUTCOMES = _pairs("reports.outcome", ("fail", "review", "pass"))
SEVERITIES = _pairs("reports.severity", ("critical", "serious", "moderate", "minor"))
SEVERITY_ORDER = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
GUARD_REASONS = _pairs("reports.guard", (
    "loopback", "private", "link-local", "metadata", "multicast", "reserved", "non-public",
    "unspecified", "unresolved", "dns-timeout"))
"""The address guard's refusal codes (`guard.refused[].code` of a result) in words."""


def meta_of(rule_id: str) -> RuleMeta | None:
    entry = REGISTRY.get("wcag.*" if rule_id.startswith("wcag.") else rule_id)
    return entry.meta if entry else None


def dimension_of(rule_id: str) -> str | None:
    meta = meta_of(rule_id)
    return meta.dimension if meta else None


def dimension_name(dimension: str, lang: Lang) -> str:
    zh, en = DIMENSIONS.get(dimension, (dimension, dimension))
    return zh if lang == "zh" else en


def outcome_name(outcome: str, lang: Lang) -> str:
    zh, en = OUTCOMES.get(outcome, (outcome, outcome))
    return zh if lang == "zh" else en


def severity_name(severity: str, lang: Lang) -> str:
    zh, en = SEVERITIES.get(severity, (severity, severity))
    return zh if lang == "zh" else en


def guard_refusals(report: ScanReport, lang: Lang) -> list[dict[str, object]]:
    """What the address guard refused in a scan, for a person: where, why, how often."""
    if report.guard is None:
        return []
    rows: list[dict[str, object]] = []
    for refusal in report.guard.refused:
        zh, en = GUARD_REASONS.get(refusal.code, GUARD_REASONS["non-public"])
        rows.append({"where": f"{refusal.host}:{refusal.port}",
                     "why": zh if lang == "zh" else en, "count": refusal.count})
    return rows


UNJUDGED_TEXT = _pairs("reports.unjudged", ("head", "note", "line"))


@dataclass(frozen=True)
class Unjudged:
    """A rule that could not run, as a reader sees it (`score.unjudged`)."""

    rule: str
    title: str
    dimension: str
    reason: str
    count: int
    text: str


def unjudged_text(key: str, lang: Lang) -> str:
    zh, en = UNJUDGED_TEXT[key]
    return zh if lang == "zh" else en


def unjudged(score: Mapping[str, object] | None, lang: Lang) -> list[Unjudged]:
    """`score.unjudged` in the reader's language, for the terminal, every report and the
    dashboard alike."""
    items = (score or {}).get("unjudged") or []
    found: list[Unjudged] = []
    for item in items if isinstance(items, list) else []:
        rule = str(item.get("rule", "?"))
        dimension = dimension_name(str(item.get("dimension") or dimension_of(rule) or "—"), lang)
        reason = said(str(item.get("reason") or "—"), lang)
        count = int(item.get("count") or 1)
        title = rule_title(rule, lang)
        text = unjudged_text("line", lang).format(title=title, rule=rule, dimension=dimension,
                                                  count=count, reason=reason)
        found.append(Unjudged(rule, title, dimension, reason, count, text))
    return found


def rule_title(rule_id: str, lang: Lang) -> str:
    if rule_id == "page.load":
        return text("reports.page.load", lang)
    meta = meta_of(rule_id)
    if meta is None:
        return rule_id
    title = meta.title_zh if lang == "zh" else meta.title_en
    if rule_id.startswith("wcag.") and rule_id != "wcag.*":
        return text("reports.wcag.title", lang, title=title, axe_id=rule_id.removeprefix("wcag."))
    return title


def rule_why(rule_id: str, lang: Lang) -> str:
    meta = meta_of(rule_id)
    if meta is None:
        return ""
    return meta.why_zh if lang == "zh" else meta.why_en


_HTTP_STATUS = re.compile(r"\bHTTP (?:status )?([1-5]\d\d)\b")


def message(finding: Finding, lang: Lang) -> str:
    """The finding's message in `lang`: stored results carry the message in the language of the
    scan, plus the key and data to render it again in the other one."""
    return say_again(finding.rule, finding.message, finding.message_key, finding.data,
                     finding.value, finding.threshold, lang)


def say_again(rule: str, stored: str, message_key: str | None, data: dict[str, Any],
              value: Any, threshold: Any, lang: Lang) -> str:
    """A stored message (in the scan's language) said again in `lang`: from its rule's
    template, key and data; a page that did not load by the kind of failure; the stored text
    when the rule no longer knows the key."""
    if rule == "page.load":  # the failure by its kind; the raw text is the stored one
        status = _HTTP_STATUS.search(stored)
        if status:
            said = "bot-check" if data.get("bot_check") else "http-status"
            return text(f"reports.error.{said}", lang, status=status.group(1))
        return error_text(str(data.get("reason") or value or ""), stored, lang)
    meta = meta_of(rule)
    if meta is None or not message_key or not message_key.startswith(meta.id):
        return stored
    key = message_key[len(meta.id) + 1:]
    if key not in meta.messages:
        return stored
    data = {**data, "value": value, "threshold": threshold}
    axe_id = data.get("axe_id") or data.get("axe_rule")
    if axe_id and "help" in data:  # axe-core's help, in the reader's language whatever the
        data["help"] = axe_help(str(axe_id), lang, data)  # scan's
    try:
        return render(meta, key, data, lang)
    except TemplateError:  # data an older version of the rule stored: its words as said then
        return stored


@dataclass(frozen=True)
class Located:
    """A finding with the page it was seen on (its index in `report.pages`) and its own index in
    that page's findings: together the finding's place in the stored result."""

    finding: Finding
    page: PageResult
    page_index: int
    index: int


@dataclass
class RuleGroup:
    rule: str
    dimension: str | None
    severity: str
    clause: str
    fail: list[Located] = field(default_factory=list)
    review: list[Located] = field(default_factory=list)
    passed: int = 0
    impact: float = 0.0
    veto: bool = False

    @property
    def problems(self) -> list[Located]:
        return self.fail + self.review


def located(report: ScanReport) -> list[Located]:
    return [Located(f, page, i, k) for i, page in enumerate(report.pages)
            for k, f in enumerate(page.findings)]


def _rule_weight(rule: str, dimension: str) -> float:
    rules = w.RULE_WEIGHTS.get(dimension, {})
    return rules.get("wcag.*" if rule.startswith("wcag.") else rule, 0.0)


def _impact(group: RuleGroup, axe_share: float) -> float:
    """Points of the total this rule's failures cost, as the model weighs them (approximate:
    it ignores best-mode selection and rules without a verdict)."""
    if group.dimension is None or not group.fail:
        return 0.0
    dimension_rules = w.RULE_WEIGHTS.get(group.dimension, {})
    share = _rule_weight(group.rule, group.dimension) / (sum(dimension_rules.values()) or 1)
    bad = sum(item.finding.weight for item in group.fail)
    if group.rule.startswith("wcag."):
        lost = axe_share * w.AXE_IMPACT_WEIGHTS.get(group.severity, 2.0)
    else:
        lost = bad / (bad + group.passed) if bad + group.passed else 1.0
    return round(w.DIMENSION_WEIGHTS.get(group.dimension, 0) * share * lost, 2)


def rule_groups(report: ScanReport) -> list[RuleGroup]:
    """Every rule with a verdict, problems first by impact, then by severity and rule id."""
    groups: dict[str, RuleGroup] = {}
    for item in located(report):
        f = item.finding
        group = groups.get(f.rule)
        if group is None:
            group = groups[f.rule] = RuleGroup(
                rule=f.rule, dimension=dimension_of(f.rule), severity=f.severity,
                clause=f.clause, veto=f.rule in w.VETO_RULES)
        if f.outcome == "fail":
            group.fail.append(item)
        elif f.outcome == "review":
            group.review.append(item)
        else:
            group.passed += 1
        if SEVERITY_ORDER.get(f.severity, 9) < SEVERITY_ORDER.get(group.severity, 9):
            group.severity = f.severity
    axe_weight: dict[str, float] = defaultdict(float)
    for group in groups.values():
        if group.rule.startswith("wcag."):
            pages = {i.page_index for i in group.fail} | {i.page_index for i in group.review}
            axe_weight["all"] += (w.AXE_IMPACT_WEIGHTS.get(group.severity, 2.0) * len(pages)
                                  if group.fail else w.AXE_PASS_WEIGHT)
    axe_share = 1 / axe_weight["all"] if axe_weight["all"] else 0.0
    for group in groups.values():
        group.impact = _impact(group, axe_share)
    return sorted(groups.values(), key=lambda g: (
        not (g.veto and g.fail), not g.fail, -g.impact, not g.review,
        SEVERITY_ORDER.get(g.severity, 9), g.rule))


def rectification(report: ScanReport) -> list[RuleGroup]:
    """The 整改清单: rules that failed somewhere, most costly first."""
    return [g for g in rule_groups(report) if g.fail]
