"""Findings in, score out: a weighted mean per dimension, a weighted total, vetoes, a grade.

Same findings, same score: nothing here reads the clock, the network or a random source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from elderscan.contract import Score, UnjudgedRule, Veto
from elderscan.scoring import weights as w


class Scored(Protocol):
    """What the score reads of a finding."""

    @property
    def rule(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def weight(self) -> float: ...
    @property
    def message(self) -> str: ...


class Unrun(Protocol):
    """A rule that could not run on a page (its input failed to capture), and why."""

    @property
    def rule(self) -> str: ...
    @property
    def message(self) -> str: ...


@dataclass(frozen=True)
class Judged:
    """A finding with where it came from; `page` groups axe findings per page."""

    finding: Scored
    mode: str
    page: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """Findings of one rule, outcome and severity folded into one, their weights summed."""

    rule: str
    outcome: str
    severity: str
    weight: float
    message: str = ""


class Tally:
    """Findings folded, as they come, into what `compute` reads of them, so that a scan of
    thousands of pages holds a few entries per rule instead of every finding.

    Folding keeps the score: a rule's score sums weights, so findings of one rule, outcome
    and severity add up into one (per page for axe rules, which count once a page, and for the
    `PROVEN_BY_REVIEW` rules, whose review-only pages count as passed); a failed veto rule
    keeps its message; and entries keep the order their first finding came in.
    """

    def __init__(self) -> None:
        self._weights: dict[tuple[str, str, str, str, str, str], float] = {}

    def add(self, findings: Iterable[Scored], mode: str, page: str) -> None:
        for f in findings:
            per_page = f.rule.startswith("wcag.") or f.rule in w.PROVEN_BY_REVIEW
            veto = f.rule in w.VETO_RULES and f.outcome == "fail"
            key = (f.rule, f.outcome, f.severity, mode, page if per_page else "",
                   f.message if veto else "")
            self._weights[key] = self._weights.get(key, 0.0) + f.weight

    def judged(self) -> list[Judged]:
        return [Judged(Verdict(rule, outcome, severity, weight, message), mode, page)
                for (rule, outcome, severity, mode, page, message), weight
                in self._weights.items()]


def _family(rule: str) -> str:
    return "wcag.*" if rule.startswith("wcag.") else rule


def proven_by_review(judged: list[Judged]) -> list[Judged]:
    """A pass for each page where a `PROVEN_BY_REVIEW` rule found only things to review: what
    it could prove (no pop-up, promotion or ad request) holds there."""
    outcomes: dict[tuple[str, str, str], set[str]] = {}
    for item in judged:
        if item.finding.rule in w.PROVEN_BY_REVIEW:
            key = (item.finding.rule, item.mode, item.page)
            outcomes.setdefault(key, set()).add(item.finding.outcome)
    return [Judged(Verdict(rule, "pass", "minor", w.PROVEN_BY_REVIEW[rule]), mode, page)
            for (rule, mode, page), seen in outcomes.items() if seen == {"review"}]


def unjudged(errors: Iterable[str | Unrun]) -> list[UnjudgedRule]:
    """Each rule that could not run, once, with its dimension, the first reason given and on
    how many pages (or the site) it failed to run."""
    found: dict[str, UnjudgedRule] = {}
    for error in errors:
        rule, reason = (error, "") if isinstance(error, str) else (error.rule, error.message)
        entry = found.setdefault(_family(rule), UnjudgedRule(
            rule=rule, dimension=_dimension_of(rule), reason=reason, count=0))
        entry["count"] += 1
        entry["reason"] = entry["reason"] or reason
    return list(found.values())


def _dimension_of(rule: str) -> str | None:
    family = _family(rule)
    return next((d for d, rules in w.RULE_WEIGHTS.items() if family in rules), None)


def rule_score(items: Iterable[Judged]) -> float | None:
    """Passed weight over passed + failed weight; `review` weighs nothing; None: no verdict."""
    good = bad = 0.0
    for item in items:
        if item.finding.outcome == "pass":
            good += item.finding.weight
        elif item.finding.outcome == "fail":
            bad += item.finding.weight
    return None if good + bad == 0 else good / (good + bad)


def axe_score(items: Iterable[Judged]) -> float | None:
    """Each axe rule on each page counts once, a violation by its impact."""
    verdicts: dict[tuple[str, str], tuple[bool, str]] = {}
    for item in items:
        key = (item.page, item.finding.rule)
        failed = item.finding.outcome == "fail"
        prior = verdicts.get(key)
        if item.finding.outcome == "review":
            continue
        if prior is None or (failed and not prior[0]):
            verdicts[key] = (failed, item.finding.severity)
    good = bad = 0.0
    for failed, severity in verdicts.values():
        if failed:
            bad += w.AXE_IMPACT_WEIGHTS.get(severity, 2.0)
        else:
            good += w.AXE_PASS_WEIGHT
    return None if good + bad == 0 else good / (good + bad)


def _dimension(rules: dict[str, list[Judged]], dimension: str) -> float | None:
    total = weight = 0.0
    for rule_id, rule_weight in w.RULE_WEIGHTS[dimension].items():
        if rule_weight == 0 or rule_id not in rules:
            continue
        score = axe_score(rules[rule_id]) if rule_id == "wcag.*" else rule_score(rules[rule_id])
        if score is None:
            continue
        total += rule_weight * score
        weight += rule_weight
    return None if weight == 0 else 100.0 * total / weight


def grade(total: float) -> str:
    return next(letter for bound, letter in w.GRADES if total >= bound)


def compute(judged: Iterable[Judged],
            errored_rules: Iterable[str | Unrun] = ()) -> Score:
    """The contract's `score` object. A rule that could not run (`errored_rules`: ids, or
    errors with a rule and a message) is left out, named in `unjudged` with its reason, and
    the score is computed from the rules that ran; a dimension none of whose rules gave a
    verdict is left out of the total (`unscored` names it when an error was the cause)."""
    judged = list(judged)
    judged += proven_by_review(judged)
    by_rule: dict[str, dict[str, list[Judged]]] = defaultdict(lambda: defaultdict(list))
    for item in judged:
        family = _family(item.finding.rule)
        by_rule["all"][family].append(item)
        by_rule[item.mode][family].append(item)
    not_run = unjudged(errored_rules)
    errored = {_family(e["rule"]) for e in not_run}
    dims: dict[str, float | None] = {}
    best: dict[str, str] = {}
    for dimension in w.RULE_WEIGHTS:
        if dimension in w.BEST_MODE_DIMENSIONS:
            site_rules = {r: [i for i in items if i.mode == "site"]
                          for r, items in by_rule["all"].items()}
            options = {}
            for mode in ("standard", "elder"):
                merged = {r: site_rules.get(r, []) + by_rule[mode].get(r, [])
                          for r in set(site_rules) | set(by_rule[mode])}
                value = _dimension(merged, dimension)
                if value is not None and by_rule[mode]:
                    options[mode] = value
            if options:
                mode = max(options, key=lambda m: (options[m], m == "standard"))
                dims[dimension], best[dimension] = options[mode], mode
            else:
                dims[dimension] = None
        else:
            dims[dimension] = _dimension(by_rule["all"], dimension)
    unscored = [d for d, s in dims.items() if s is None
                and any(r in errored and wt > 0 for r, wt in w.RULE_WEIGHTS[d].items())]
    vetoes = [
        Veto(rule=item.finding.rule, message=item.finding.message)
        for item in judged
        if item.finding.rule in w.VETO_RULES and item.finding.outcome == "fail"
    ]
    vetoes = [v for i, v in enumerate(vetoes) if v not in vetoes[:i]][:5]
    total: float | None = None
    scored = {d: s for d, s in dims.items() if s is not None}
    weight = sum(w.DIMENSION_WEIGHTS[d] for d in scored)
    if weight:
        total = sum(w.DIMENSION_WEIGHTS[d] * s for d, s in scored.items()) / weight
        if vetoes:
            total = min(total, w.VETO_CAP)
    rounded = round(total, 1) if total is not None else None
    return {
        "total": rounded,
        "pass_line": w.PASS_LINE,
        "passed": None if rounded is None else rounded >= w.PASS_LINE,
        "grade": None if rounded is None else grade(rounded),
        "dimensions": {d: (round(s, 1) if s is not None else None) for d, s in dims.items()},
        "vetoes": vetoes,
        "model": w.MODEL_VERSION,
        "best_mode": best,
        "unscored": unscored,
        "unjudged": not_run,
    }
