"""What the store's queries return: plain pydantic models, ready to be API responses.

Write functions return the ORM objects themselves (`Site`, `Batch`, `Scan`); read queries that
join or aggregate return these, so no lazy loading can happen after the session is gone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

Dimensions = dict[str, float | None]
"""Dimension name → score 0–100 (None: not scored), in the contract's order."""


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class ScoreBrief(_View):
    """The score of one scan, as shown next to a site or in a comparison."""

    scan_id: int
    site_id: int
    status: str
    finished_at: datetime | None
    score_total: float | None
    grade: str | None
    passed: bool | None
    scoring_model: str | None
    dimensions: Dimensions


class SiteOut(_View):
    id: int
    name: str
    url: str
    category: str
    region: str | None
    tags: list[str]
    created_at: datetime
    latest: ScoreBrief | None = Field(None, description="the site's latest completed scan")


class SiteList(_View):
    items: list[SiteOut]
    total: int = Field(description="sites matching the filters, all pages together")
    limit: int
    offset: int


class HistoryPoint(_View):
    """One finished scan of a site (a round of a batch, or a one-off scan)."""

    scan_id: int
    batch_id: int | None
    batch_name: str | None
    round: int | None
    status: str
    started_at: datetime | None
    finished_at: datetime | None
    score_total: float | None
    grade: str | None
    passed: bool | None
    dimensions: Dimensions
    vetoes: list[dict[str, Any]]
    scoring_model: str | None
    ruleset_version: str | None
    error_code: str | None


class BatchProgress(_View):
    id: int
    name: str
    round: int
    status: str
    created_at: datetime
    finished_at: datetime | None
    total: int
    queued: int
    running: int
    done: int
    failed: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def finished(self) -> bool:
        return self.queued + self.running == 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else round(100 * (self.done + self.failed) / self.total, 1)


class RankingRow(_View):
    rank: int | None = Field(description="1 = best; ties share a rank; None when unscored")
    site_id: int
    name: str
    url: str
    category: str
    region: str | None
    scan_id: int
    finished_at: datetime | None
    score_total: float | None
    grade: str | None
    passed: bool | None
    dimensions: Dimensions
    vetoes: list[dict[str, Any]]
    status: str = Field("done", description="the scan's status: done, failed, queued, running")
    error_code: str | None = Field(None, description="why a failed scan failed (a code)")
    error_message: str | None = Field(
        None, description="the failure's technical detail, as the scanner reported it")
    reason: str | None = Field(
        None, description="why the site is not ranked, in words (failed, not finished, "
        "unscored); filled in by readers in their language")
    previous_round: int | None = Field(
        None, description="the round before this one of the same batch, if the site was in it")
    previous_scan_id: int | None = None
    previous_score: float | None = Field(None, description="the site's total in that round")
    change: float | None = Field(
        None, description="total minus the previous round's total (None if either is unscored)")


class GroupSummary(_View):
    """One region's or category's sites in a round: how many pass, and their average."""

    by: str = Field(description="region or category")
    value: str | None = Field(description="the region or category (None: no region given)")
    sites: int
    scored: int
    passed: int
    failed: int = Field(description="sites whose scan failed")
    pass_rate: float | None = Field(description="percent of the scored sites that pass")
    average: float | None = Field(description="average total of the scored sites")


class FindingChange(_View):
    """A problem (fail or review finding) identified by its fingerprint, in one or both scans."""

    fingerprint: str
    rule: str
    severity: str
    url: str
    url_template: str
    selector: str | None
    message: str
    outcome_a: str | None
    outcome_b: str | None
    change: str | None = Field(None, description="fixed, new, worsened, improved, unchanged or "
                               "unverified: the list the problem is in")
    message_key: str | None = Field(None, description="the rule's message key, to render the "
                                    "message again in another language")
    message_b: str | None = Field(None, description="the message in scan b, when in both")
    value_a: float | str | None = Field(None, description="the value measured in scan a")
    value_b: float | str | None = Field(None, description="the value measured in scan b")
    threshold_a: float | str | None = Field(None, description="the threshold in scan a")
    threshold_b: float | str | None = Field(None, description="the threshold in scan b")
    data_a: dict[str, Any] = Field(default_factory=dict, exclude=True)
    """The message data of each side, for the dashboard to render messages in its language
    (not part of the API's answer: the stored result has it)."""
    data_b: dict[str, Any] = Field(default_factory=dict, exclude=True)


class Comparison(_View):
    """Scan `a` (before) against scan `b` (after); deltas are b − a."""

    a: ScoreBrief
    b: ScoreBrief
    same_site: bool
    same_scoring_model: bool
    total_delta: float | None
    dimension_deltas: Dimensions
    fixed: list[FindingChange] = Field(description="problems in a, gone from b")
    new: list[FindingChange] = Field(description="problems in b, not in a")
    unchanged: list[FindingChange] = Field(
        description="problems in both, measured the same (worsened and improved ones are in "
        "their own lists)")
    unverified: list[FindingChange] = Field(
        description="problems in a on pages b could not capture: neither fixed nor kept")
    worsened: list[FindingChange] = Field(
        default_factory=list, description="problems in both that got worse: the measured value "
        "moved further from passing, or review became fail (a regression)")
    improved: list[FindingChange] = Field(
        default_factory=list, description="problems in both that moved closer to passing but "
        "still fail or need review")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        return {"fixed": len(self.fixed), "new": len(self.new),
                "unchanged": len(self.unchanged), "unverified": len(self.unverified),
                "worsened": len(self.worsened), "improved": len(self.improved),
                "regressions": len(self.new) + len(self.worsened)}


class RoundRef(_View):
    """One round of a batch, as a round comparison names it."""

    batch_id: int
    name: str
    round: int
    created_at: datetime
    finished_at: datetime | None


class SiteChange(_View):
    """One site across two rounds: its scan in each (None: not in that round), the scores, and
    what changed when both scans are done."""

    site_id: int
    name: str
    url: str
    presence: str = Field(description="both, only_a or only_b")
    scan_a: int | None
    scan_b: int | None
    status_a: str | None = Field(description="the scan's status in round a (None: not in it)")
    status_b: str | None
    error_b: str | None = Field(None, description="why scan b failed (its error code)")
    score_a: float | None
    score_b: float | None
    change: float | None = Field(description="score b − score a")
    counts: dict[str, int] | None = Field(
        description="fixed, new, worsened, improved, unchanged, unverified and regressions "
        "(new + worsened), as GET /compare counts them; None unless both scans are done")


class RoundComparison(_View):
    """Round `a` (before) against round `b` (after), site by site: regressions first."""

    a: RoundRef
    b: RoundRef
    sites: list[SiteChange]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def totals(self) -> dict[str, int]:
        """Problems over all compared sites, and the sites with regressions or in one round."""
        totals = {key: 0 for key in ("fixed", "new", "worsened", "improved", "unchanged",
                                     "unverified", "regressions")}
        for site in self.sites:
            for key, value in (site.counts or {}).items():
                totals[key] = totals.get(key, 0) + value
        totals["sites_regressed"] = sum(1 for s in self.sites if (s.counts or {}).get(
            "regressions"))
        totals["sites_only_a"] = sum(1 for s in self.sites if s.presence == "only_a")
        totals["sites_only_b"] = sum(1 for s in self.sites if s.presence == "only_b")
        return totals


class PruneStats(_View):
    scans: int = Field(description="scans whose screenshots were removed")
    files: int = Field(description="files deleted")
    bytes: int = Field(description="bytes freed")
