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
    unchanged: list[FindingChange] = Field(description="problems in both")
    unverified: list[FindingChange] = Field(
        description="problems in a on pages b could not capture: neither fixed nor kept")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        return {"fixed": len(self.fixed), "new": len(self.new),
                "unchanged": len(self.unchanged), "unverified": len(self.unverified)}


class PruneStats(_View):
    scans: int = Field(description="scans whose screenshots were removed")
    files: int = Field(description="files deleted")
    bytes: int = Field(description="bytes freed")
