"""The rule cases in `tests/checks/cases/<rule-id>.json`: captures in, findings out.

A case file holds one rule's cases. A case gives only what differs from a blank capture
(`captures.make_capture()`), under `capture`, or for a site rule from a blank site (`BLANK_SITE`),
under `site`, whose `pages` again give only what differs from a blank capture; a screenshot is
named relative to the cases folder. `findings` are what the rule says of it: rule, outcome,
message key, value, threshold and selector, in order. The family `wcag.*` is in `wcag.all.json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from captures import make_capture
from elderscan.capture import Capture, PageFailure, SiteCapture
from elderscan.checks import REGISTRY
from elderscan.checks._registry import Lang, RuleError, run_rule
from elderscan.finding import Finding

CASES = Path(__file__).parent / "checks" / "cases"
BLANK_SITE: dict[str, Any] = {
    "target": "http://127.0.0.1/", "start_url": "http://127.0.0.1/", "started_at": "",
    "finished_at": "", "pages": [], "skipped": [], "chromium": "", "axe_core": "",
    "browser_launches": 1, "browser_crashes": 0,
}


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    given: dict[str, Any]
    findings: list[dict[str, Any]]

    def source(self) -> Capture | SiteCapture:
        """The capture (or site) the rule judges."""
        if "capture" in self.given:
            return _capture(self.given["capture"])
        site = {**BLANK_SITE, **self.given["site"]}
        site["pages"] = [PageFailure(**p) if "reason" in p else _capture(p)
                         for p in site["pages"]]
        return SiteCapture(**site)

    def run(self, lang: Lang) -> list[Finding]:
        found = run_rule(REGISTRY[self.rule], self.source(), lang)
        assert not isinstance(found, RuleError), found
        return found


def _capture(fields: dict[str, Any]) -> Capture:
    if fields.get("screenshot"):
        fields = {**fields, "screenshot": str(CASES / fields["screenshot"])}
    return make_capture(**fields)


def case_file(rule_id: str) -> Path:
    return CASES / f"{rule_id.replace('*', 'all')}.json"


def cases_of(rule_id: str) -> list[Case]:
    data = json.loads(case_file(rule_id).read_text("utf-8"))
    assert data["rule"] == rule_id, case_file(rule_id)
    return [Case(rule_id, c["name"], {k: v for k, v in c.items() if k in ("capture", "site")},
                 c["findings"]) for c in data["cases"]]


def all_cases() -> list[Case]:
    return [case for rule_id in sorted(REGISTRY) if case_file(rule_id).is_file()
            for case in cases_of(rule_id)]


def said(finding: Finding, rule_id: str) -> dict[str, Any]:
    """What a case file records of a finding of the rule `rule_id`."""
    return {"rule": finding.rule, "outcome": finding.outcome,
            "key": (finding.message_key or "")[len(rule_id) + 1:], "value": finding.value,
            "threshold": finding.threshold, "selector": finding.selector}
