"""The CI gate's verdict: pure functions from a scan result (and a baseline) to pass or fail.

No browser and no printing here, so every rule of the gate is tested on hand-made results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from elderscan.contract import ScanReport
from elderscan.dimensions import DIMENSIONS
from elderscan.errors import UsageError
from elderscan.finding import Finding
from elderscan.fingerprints import finding_fingerprint, fingerprint
from elderscan.gate.baseline import (
    PROBLEM_OUTCOMES,
    Baseline,
    Entry,
    describe_element,
    page_loaded,
)
from elderscan.store.measures import movement
from elderscan.terminal_lang import say
from elderscan.urls import template_key

WORSENED = "worsened known problems"
"""The check that fails on known problems measured further from passing (a contrast of 2.85:1
that fell to 1.6:1): the baseline accepted the problem as it was, not any worse."""
NEW_OUTCOMES = ("fail",)
"""A `review` finding needs a person's judgement; failing a build on one would make the gate
flaky on borderline measurements (text over images, axe-core's "incomplete")."""


@dataclass(frozen=True)
class Thresholds:
    fail_under: float = 60.0
    dimensions: dict[str, float] = field(default_factory=dict)
    fail_on_veto: bool = False
    max_new: int = 0
    max_worsened: int = 0


@dataclass(frozen=True)
class GateCheck:
    """One threshold: what was measured, the limit, and whether it held."""

    name: str
    value: float | None
    limit: float
    passed: bool
    note: str = ""


@dataclass(frozen=True)
class Problem:
    """A failing finding the baseline does not know, or (with `before`) one it knows that was
    measured further from passing."""

    fingerprint: str
    url: str
    finding: Finding
    before: Entry | None = None

    @property
    def element(self) -> str:
        return describe_element(self.finding)


@dataclass(frozen=True)
class Comparison:
    new: list[Problem]
    known: int
    fixed: int
    not_compared: list[str]
    """Pages that failed to load now, or whose URL template the baseline did not load."""
    worsened: list[Problem] = field(default_factory=list)
    """Known failing problems whose measured value moved further from passing."""


@dataclass(frozen=True)
class GateVerdict:
    checks: list[GateCheck]
    comparison: Comparison | None

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> list[GateCheck]:
        return [c for c in self.checks if not c.passed]


def parse_dimensions(values: list[str]) -> dict[str, float]:
    """`contrast=70` (repeatable, or comma-separated) → {"contrast": 70.0}; bad input is a
    usage error naming the valid dimensions."""
    limits: dict[str, float] = {}
    for value in values:
        for item in filter(None, (part.strip() for part in value.split(","))):
            name, sep, number = item.partition("=")
            name = name.strip().replace("-", "_")
            if not sep:
                raise UsageError(say("err.dimension_form", value=repr(item)))
            if name not in DIMENSIONS:
                raise UsageError(say("err.dimension_name", value=repr(name),
                                     names=", ".join(DIMENSIONS)))
            try:
                limit = float(number)
            except ValueError:
                raise UsageError(say("err.dimension_number", name=name,
                                     value=repr(number.strip()))) from None
            if not 0 <= limit <= 100:
                raise UsageError(say("err.dimension_range", name=name, value=f"{limit:g}"))
            limits[name] = limit
    return limits


def _at_least(name: str, value: float | None, limit: float) -> GateCheck:
    if value is None:
        return GateCheck(name, None, limit, False, "not scored")
    return GateCheck(name, value, limit, value >= limit)


def compare(report: ScanReport, baseline: Baseline) -> Comparison:
    """New failing findings, on pages both scans loaded; a page that failed in either scan
    yields neither new nor fixed problems (a blocked scanner must not look like a repair)."""
    new: dict[str, Problem] = {}
    worsened: dict[str, Problem] = {}
    known: set[str] = set()
    present: set[str] = set()
    loaded: set[str] = set()
    not_compared: list[str] = []
    for page in report.pages:
        template = template_key(page.url)
        if not page_loaded(page):
            not_compared.append(f"{page.url} (did not load)")
            continue
        loaded.add(template)
        if template not in baseline.templates:
            not_compared.append(f"{page.url} (not in the baseline)")
            continue
        for finding in page.findings:
            if finding.outcome not in PROBLEM_OUTCOMES:
                continue
            key = finding_fingerprint(finding, page.url)
            present.update((key, fingerprint(finding.rule, page.url, finding.selector)))
            entry = baseline.entry_for(finding, page.url)
            if entry is not None:
                known.add(key)
                if (finding.outcome in NEW_OUTCOMES and entry.outcome == finding.outcome
                        and key not in worsened and movement(entry, finding) == "worse"):
                    worsened[key] = Problem(key, page.url, finding, entry)
            elif finding.outcome in NEW_OUTCOMES and key not in new:
                new[key] = Problem(key, page.url, finding)
    fixed = sum(1 for e in baseline.entries
                if e.fingerprint not in present and _template_of(e.url) in loaded)
    return Comparison(new=list(new.values()), known=len(known), fixed=fixed,
                      not_compared=list(dict.fromkeys(not_compared)),
                      worsened=list(worsened.values()))


def _template_of(path: str) -> str:
    return template_key("http://host" + path)


def evaluate(report: ScanReport, thresholds: Thresholds,
             baseline: Baseline | None = None) -> GateVerdict:
    score = report.score or {}
    dims: dict[str, float | None] = score.get("dimensions") or {}
    checks = [_at_least("total", score.get("total"), thresholds.fail_under)]
    checks += [_at_least(name, dims.get(name), limit)
               for name, limit in thresholds.dimensions.items()]
    if thresholds.fail_on_veto:
        vetoes = score.get("vetoes") or []
        checks.append(GateCheck("vetoes", float(len(vetoes)), 0, not vetoes,
                            ", ".join(v["rule"] for v in vetoes)))
    comparison = None
    if baseline is not None:
        comparison = compare(report, baseline)
        count = len(comparison.new)
        checks.append(GateCheck("new failing findings", float(count), thresholds.max_new,
                            count <= thresholds.max_new))
        worse = len(comparison.worsened)
        checks.append(GateCheck(WORSENED, float(worse), thresholds.max_worsened,
                            worse <= thresholds.max_worsened))
    return GateVerdict(checks, comparison)

