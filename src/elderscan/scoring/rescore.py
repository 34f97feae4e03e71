"""A stored result scored again, with some findings' outcomes decided by a person.

The engine's score is computed while a scan runs; a reviewer's decision comes later and must
not rewrite the stored result. So the score "after review" is computed here from the result
JSON alone: each page's findings are fed to `compute` as `build_report` fed them (site findings,
which the result lays on the home page, as the site's), with the decided outcomes put in place
of `review`. With no decision it gives the engine's score again, which the tests check.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from elderscan.contract import ScanReport, Score
from elderscan.scoring.compute import Tally, compute
from elderscan.scoring.weights import MODEL_VERSION

Position = tuple[int, int]
"""(page index in the result, finding index in that page's findings)."""


@dataclass(frozen=True)
class _Error:
    rule: str
    message: str


def rescore(report: ScanReport, outcomes: Mapping[Position, str],
            site_rules: Collection[str]) -> Score | None:
    """The contract's `score` object of `report` with the finding at each position given the
    outcome named (`fail` or `pass`); None when the scan failed or was scored by another
    model than this version's (its score cannot be reproduced here). `site_rules` are the
    rules judged once per site (`scope == "site"` in the rule registry; scoring does not
    import the checks), whose findings the result lays on the home page."""
    if report.status == "failed" or report.score is None:
        return None
    if (report.engine.scoring_model or report.score.get("model")) != MODEL_VERSION:
        return None
    site = frozenset(site_rules)
    tally = Tally()
    errors: list[_Error] = []
    shared: list[Any] = []
    for page_index, page in enumerate(report.pages):
        key = f"{page.viewport}:{page.mode}:{page.url}"
        own: list[Any] = []
        for index, finding in enumerate(page.findings):
            if finding.rule == "page.load":
                continue
            decided = outcomes.get((page_index, index))
            if decided is not None and decided != finding.outcome:
                finding = finding.model_copy(update={"outcome": decided})
            (shared if finding.rule in site else own).append(finding)
        tally.add(own, page.mode, key)
        errors.extend(_Error(str(e.get("rule", "")), str(e.get("message", "")))
                      for e in page.rule_errors)
    tally.add(shared, "site", "site")
    return compute(tally.judged(), errors)
