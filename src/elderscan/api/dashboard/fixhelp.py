"""Fix help on the dashboard: a page per rule (`/rules/{rule_id}`, and `/rules` listing them)
and, on a scan page, each finding's snippet and colours and identical colour pairs grouped.

The rule pages are what every finding links to, and what a standalone HTML report links to
when `ELDERSCAN_DASHBOARD_URL` is set; they read only the rule registry and the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from elderscan.api.dashboard.view import View, render
from elderscan.checks import REGISTRY
from elderscan.checks._registry import RuleMeta
from elderscan.reports.digest import Located, meta_of
from elderscan.reports.fixes import (
    ColourGroup,
    FixHelp,
    colour_groups,
    help_for,
    how_to_fix,
    rule_path,
    suggest_line,
)
from elderscan.scoring import weights

router = APIRouter(include_in_schema=False)
MAX_RULE_ID = 100


def _reader(request: Request) -> None:
    # The dashboard's own access check; imported late, as routes imports this module.
    from elderscan.api.dashboard.routes import reader

    reader(request)


Reader = [Depends(_reader)]


@dataclass(frozen=True)
class RuleInfo:
    """A rule as its page shows it."""

    id: str
    title: str
    failure_title: str
    dimension: str
    severity: str
    clause: str
    why: str
    how: str
    modes: list[str]
    site_wide: bool
    veto: bool


def rule_info(rule_id: str, meta: RuleMeta, view: View) -> RuleInfo:
    zh = view.lang == "zh"
    return RuleInfo(
        id=rule_id, title=view.rule(rule_id),
        failure_title=meta.failure_title_zh if zh else meta.failure_title_en,
        dimension=view.dim(meta.dimension), severity=view.t("sev." + meta.severity),
        clause=meta.clause, why=meta.why_zh if zh else meta.why_en,
        how=how_to_fix(rule_id, view.lang),
        modes=[view.t(f"fix.rule.mode.{m}") for m in meta.modes],
        site_wide=meta.scope == "site", veto=rule_id in weights.VETO_RULES)


@router.get("/rules", dependencies=Reader)
def rules_page(request: Request) -> Response:
    view = View.of(request)
    rules = [rule_info(rule_id, entry.meta, view) for rule_id, entry in sorted(REGISTRY.items())]
    return render(request, "rules.html", v=view, rules=rules, rule_path=rule_path)


@router.get("/rules/{rule_id}", dependencies=Reader)
def rule_page(request: Request, rule_id: str) -> Response:
    view = View.of(request)
    meta = meta_of(rule_id) if len(rule_id) <= MAX_RULE_ID else None
    if meta is None:
        return render(request, "error.html", 404, v=view, title_key="err.404",
                      message_key="fix.rule.unknown", values={"id": rule_id[:MAX_RULE_ID]})
    axe_id = rule_id.removeprefix("wcag.") if rule_id.startswith("wcag.") \
        and rule_id != "wcag.*" else None
    return render(request, "rule.html", v=view, rule=rule_info(rule_id, meta, view),
                  axe_id=axe_id, veto_cap=weights.VETO_CAP)


# ------------------------------------------------------------------- the scan page's help


@dataclass
class Colours:
    """One colour pair on a scan page: its heading and its elements (as the page's problems)."""

    group: ColourGroup
    heading: str
    size: str
    suggest_text: str
    members: list[Any] = field(default_factory=list)


@dataclass
class ScanHelp:
    """What a scan page's template asks for fix help (`fix.help(p)`, `fix.colours(rule)`)."""

    lang: Any
    screenshot: Callable[[Any], Path | None]
    """the page's screenshot file, if kept (`ReportSource.screenshot_path`)"""
    colour_sets: dict[str, list[Colours]] = field(default_factory=dict)

    def help(self, problem: Any) -> FixHelp:
        return help_for(problem.item, self.lang, self.screenshot(problem.item.page))

    def suggest(self, problem: Any) -> str:
        fix = self.help(problem)
        return suggest_line(fix.suggest, problem.item.finding.threshold, self.lang)

    def colours(self, rule_id: str) -> list[Colours]:
        return self.colour_sets.get(rule_id, [])

    def link(self, view: View, rule_id: str) -> str:
        return view.link(rule_path(rule_id))


def regroup(groups: list[Any], problem: Callable[[Located], Any], lang: Any, limit: int,
            screenshot: Callable[[Any], Path | None]) -> ScanHelp:
    """Fold each rule's identical colour pairs into one entry: a group's problems become the
    ones not folded (up to `limit` entries in all, the rest counted in `hidden`), and the
    folded ones are listed inside their pair."""
    found = ScanHelp(lang, screenshot)
    for group in groups:
        entries = colour_groups(group.rule.problems)
        if not any(isinstance(e, ColourGroup) for e in entries):
            continue
        kept = entries[:limit]
        group.problems = [problem(e) for e in kept if not isinstance(e, ColourGroup)]
        group.hidden = max(0, len(entries) - limit)
        found.colour_sets[group.rule.rule] = [
            Colours(e, e.heading(lang), e.size_class(lang),
                    suggest_line(e.suggest, e.threshold, lang),
                    [problem(item) for item in e.items])
            for e in kept if isinstance(e, ColourGroup)]
    return found

