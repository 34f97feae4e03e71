"""Comparing scans and rounds: what was fixed, what is new, and what got worse.

A problem is a `fail` or `review` finding, matched across scans by its fingerprint
(`store.fingerprints`). The fingerprint leaves the measured value out, so for every problem in
both scans the two measurements are compared (`store.measures`): one that moved further from
passing is **worsened** (a regression, like a new one), one that moved closer but still fails is
**improved**, and the rest are unchanged.

Problems are read from the stored result JSON rather than the findings table: a message is
rendered again in the reader's language from its key and data, and font.size's second measure
(`dominant_px`) lives in the data. (A scan saved without its JSON falls back to the table.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elderscan.capture import Anchor
from elderscan.dimensions import DIMENSIONS
from elderscan.fingerprints import anchor_fingerprint, fingerprint
from elderscan.store.briefs import scan_brief
from elderscan.store.db import NotFound
from elderscan.store.measures import badness, movement
from elderscan.store.models import Batch, FindingRow, Page, Scan, Site
from elderscan.store.views import (
    Comparison,
    FindingChange,
    RoundComparison,
    RoundRef,
    SiteChange,
)
from elderscan.urls import template_key

ISSUE = ("fail", "review")
ROUND_CHUNK = 20
"""Sites whose two results a round comparison reads at once (one query, bounded memory)."""
SEVERITY_ORDER = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}


class NotComparable(ValueError):
    """A scan that has not finished (or failed): only done scans have problems to compare."""

    def __init__(self, scan_id: int, status: str) -> None:
        super().__init__(f"scan {scan_id} is {status}, not done: "
                         "only completed scans can be compared")
        self.scan_id = scan_id
        self.status = status


class RoundNotFound(LookupError):
    """No such round of a batch, or (`first`) no round before it to compare with."""

    def __init__(self, name: str, round_: int | None, first: bool = False) -> None:
        super().__init__(f"batch {name!r} has no round {round_}" if not first
                         else f"batch {name!r} has no round before round {round_}")
        self.name, self.round, self.first = name, round_, first


@dataclass(frozen=True)
class Problem:
    """One problem of one scan: the worst of the findings that share its fingerprint (the same
    element seen in two viewports or modes)."""

    fingerprint: str
    rule: str
    outcome: str
    severity: str
    url: str
    url_template: str
    selector: str | None
    message: str
    message_key: str | None
    value: Any
    threshold: Any
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScanProblems:
    problems: dict[str, Problem]
    loaded: set[str]
    """URL templates of the pages that loaded: only there can a problem be fixed."""


@dataclass(frozen=True)
class Diff:
    fixed: list[FindingChange]
    new: list[FindingChange]
    worsened: list[FindingChange]
    improved: list[FindingChange]
    unchanged: list[FindingChange]
    unverified: list[FindingChange]

    @property
    def counts(self) -> dict[str, int]:
        counts = {key: len(getattr(self, key)) for key in (
            "fixed", "new", "worsened", "improved", "unchanged", "unverified")}
        counts["regressions"] = counts["new"] + counts["worsened"]
        return counts


# --------------------------------------------------------------------------- reading a scan


def _keep(found: dict[str, Problem], problem: Problem) -> None:
    previous = found.get(problem.fingerprint)
    if previous is None or badness(problem) > badness(previous):
        found[problem.fingerprint] = problem


def problems_of_result(result: dict[str, Any]) -> ScanProblems:
    """The problems of a stored result JSON, by fingerprint (as `save_result` computed them)."""
    found: dict[str, Problem] = {}
    loaded: set[str] = set()
    for page in result.get("pages") or []:
        url = str(page.get("url") or "")
        template = template_key(url)
        findings = page.get("findings") or []
        if not any(f.get("rule") == "page.load" for f in findings):
            loaded.add(template)
        for f in findings:
            if f.get("outcome") not in ISSUE:
                continue
            rule = str(f.get("rule"))
            anchor = f.get("anchor")
            key = (anchor_fingerprint(rule, url, Anchor.model_validate(anchor)) if anchor
                   else fingerprint(rule, url, f.get("selector")))
            _keep(found, Problem(
                fingerprint=key, rule=rule, outcome=str(f["outcome"]),
                severity=str(f.get("severity") or "minor"), url=url, url_template=template,
                selector=f.get("selector"), message=str(f.get("message") or ""),
                message_key=f.get("message_key"), value=f.get("value"),
                threshold=f.get("threshold"), data=dict(f.get("data") or {})))
    return ScanProblems(found, loaded)


def _problems_of_rows(session: Session, scan_id: int) -> ScanProblems:
    """The same from the findings table, for a scan stored without its result JSON."""
    rows = session.execute(
        select(FindingRow.fingerprint, FindingRow.rule, FindingRow.outcome, FindingRow.severity,
               FindingRow.selector, FindingRow.message, FindingRow.message_key, FindingRow.value,
               FindingRow.threshold, Page.url, Page.url_template)
        .join(Page, Page.id == FindingRow.page_id)
        .where(FindingRow.scan_id == scan_id, FindingRow.outcome.in_(ISSUE)).order_by(FindingRow.id)
    ).all()
    found: dict[str, Problem] = {}
    for r in rows:
        _keep(found, Problem(
            fingerprint=r.fingerprint, rule=r.rule, outcome=r.outcome, severity=r.severity,
            url=r.url, url_template=r.url_template, selector=r.selector, message=r.message,
            message_key=r.message_key, value=r.value, threshold=r.threshold))
    failed = select(FindingRow.page_id).where(FindingRow.scan_id == scan_id,
                                           FindingRow.rule == "page.load")
    loaded = set(session.execute(select(Page.url_template).where(
        Page.scan_id == scan_id, Page.id.not_in(failed))).scalars())
    return ScanProblems(found, loaded)


def scan_problems(session: Session, scan_id: int) -> ScanProblems:
    return many_scan_problems(session, [scan_id])[scan_id]


def many_scan_problems(session: Session, scan_ids: list[int]) -> dict[int, ScanProblems]:
    """The problems of several scans, their results read in one query."""
    rows = session.execute(select(Scan.id, Scan.result).where(Scan.id.in_(scan_ids)))
    results: dict[int, Any] = {row.id: row.result for row in rows}
    found: dict[int, ScanProblems] = {}
    for scan_id in scan_ids:
        result = results.get(scan_id)
        found[scan_id] = (problems_of_result(result)
                          if isinstance(result, dict) and result.get("pages") is not None
                          else _problems_of_rows(session, scan_id))
    return found


# ------------------------------------------------------------------------------- comparing


def _change(kind: str, a: Problem | None, b: Problem | None) -> FindingChange:
    shown = b if kind in ("new", "worsened", "improved") and b is not None else a
    assert shown is not None
    return FindingChange(
        fingerprint=shown.fingerprint, rule=shown.rule, severity=shown.severity, url=shown.url,
        url_template=shown.url_template, selector=shown.selector,
        message=(a or shown).message, outcome_a=a.outcome if a else None,
        outcome_b=b.outcome if b else None, change=kind, message_key=shown.message_key,
        message_b=b.message if a is not None and b is not None else None,
        value_a=a.value if a else None, value_b=b.value if b else None,
        threshold_a=a.threshold if a else None, threshold_b=b.threshold if b else None,
        data_a=a.data if a else {}, data_b=b.data if b else {})


def _sort(changes: Iterable[FindingChange]) -> list[FindingChange]:
    return sorted(changes, key=lambda c: (SEVERITY_ORDER.get(c.severity, 9), c.rule,
                                          c.url_template, c.selector or "", c.fingerprint))


def diff(before: ScanProblems, after: ScanProblems) -> Diff:
    """Sort the problems of two scans into the six lists (pure: no store, no browser)."""
    lists: dict[str, list[FindingChange]] = {key: [] for key in (
        "fixed", "new", "worsened", "improved", "unchanged", "unverified")}
    for key, old in before.problems.items():
        now = after.problems.get(key)
        if now is not None:
            moved = movement(old, now)
            kind = {"worse": "worsened", "better": "improved"}.get(moved, "unchanged")
            lists[kind].append(_change(kind, old, now))
        elif old.url_template in after.loaded:
            lists["fixed"].append(_change("fixed", old, None))
        else:
            lists["unverified"].append(_change("unverified", old, None))
    for key, now in after.problems.items():
        if key not in before.problems:
            lists["new"].append(_change("new", None, now))
    return Diff(**{key: _sort(changes) for key, changes in lists.items()})


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 1)


def compare_scans(session: Session, a: int, b: int) -> Comparison:
    """What changed from scan `a` (before) to scan `b` (after).

    Fixed: a problem of `a` that `b` does not have, on a page template `b` did capture;
    unverified: the same, but `b` could not load that page (a site blocking the scanner must not
    look repaired); new: a problem of `b` that `a` did not have; worsened, improved, unchanged:
    in both, by how the measured value (or the outcome) moved. Raises NotFound for a missing
    scan, ValueError unless both scans are done.
    """
    brief_a, brief_b = scan_brief(session, a), scan_brief(session, b)
    for brief in (brief_a, brief_b):
        if brief.status != "done":
            raise NotComparable(brief.scan_id, brief.status)
    found = diff(scan_problems(session, a), scan_problems(session, b))
    return Comparison(
        a=brief_a, b=brief_b, same_site=brief_a.site_id == brief_b.site_id,
        same_scoring_model=brief_a.scoring_model == brief_b.scoring_model,
        total_delta=_delta(brief_a.score_total, brief_b.score_total),
        dimension_deltas={d: _delta(brief_a.dimensions[d], brief_b.dimensions[d])
                          for d in DIMENSIONS},
        fixed=found.fixed, new=found.new, unchanged=found.unchanged,
        unverified=found.unverified, worsened=found.worsened, improved=found.improved)


# ---------------------------------------------------------------------------------- rounds


def _round_ref(batch: Batch) -> RoundRef:
    return RoundRef(batch_id=batch.id, name=batch.name, round=batch.round,
                    created_at=batch.created_at, finished_at=batch.finished_at)


def _round_scans(session: Session, batch_id: int) -> dict[int, Any]:
    """Each site's scan in a round (the latest, should a site have been scanned twice)."""
    rows = session.execute(
        select(Scan.id, Scan.site_id, Scan.status, Scan.score_total, Scan.error_code)
        .where(Scan.batch_id == batch_id).order_by(Scan.id)).all()
    return {row.site_id: row for row in rows}


def compare_rounds(session: Session, a: int, b: int) -> RoundComparison:
    """Round (batch) `a` against round `b`, site by site: scores, change and the problem
    counts of `compare_scans`. Sites in one round only are listed as such. Sites with
    regressions come first, then the largest drops. Raises NotFound for a missing batch."""
    batch_a, batch_b = session.get(Batch, a), session.get(Batch, b)
    for number, batch in ((a, batch_a), (b, batch_b)):
        if batch is None:
            raise NotFound("api.no-batch", id=number)
    assert batch_a is not None and batch_b is not None
    scans_a, scans_b = _round_scans(session, a), _round_scans(session, b)
    site_ids = sorted(set(scans_a) | set(scans_b))
    sites = {s.id: s for s in session.execute(select(Site).where(Site.id.in_(site_ids)))
             .scalars()}
    pairs = [(scans_a[i].id, scans_b[i].id) for i in site_ids if i in scans_a and i in scans_b
             and scans_a[i].status == scans_b[i].status == "done"]
    counts_of: dict[tuple[int, int], dict[str, int]] = {}
    for start in range(0, len(pairs), ROUND_CHUNK):
        chunk = pairs[start:start + ROUND_CHUNK]
        loaded = many_scan_problems(session, [scan for pair in chunk for scan in pair])
        for pair in chunk:
            counts_of[pair] = diff(loaded[pair[0]], loaded[pair[1]]).counts
    rows: list[SiteChange] = []
    for site_id in site_ids:
        one, two = scans_a.get(site_id), scans_b.get(site_id)
        counts = counts_of.get((one.id, two.id)) if one is not None and two is not None else None
        site = sites[site_id]
        rows.append(SiteChange(
            site_id=site_id, name=site.name, url=site.url,
            presence="both" if one and two else ("only_a" if one else "only_b"),
            scan_a=one.id if one else None, scan_b=two.id if two else None,
            status_a=one.status if one else None, status_b=two.status if two else None,
            error_b=two.error_code if two is not None and two.status == "failed" else None,
            score_a=one.score_total if one else None, score_b=two.score_total if two else None,
            change=_delta(one.score_total if one else None, two.score_total if two else None),
            counts=counts))
    rows.sort(key=lambda r: (-(r.counts or {}).get("regressions", 0),
                             r.change if r.change is not None else 0.0, r.name, r.site_id))
    return RoundComparison(a=_round_ref(batch_a), b=_round_ref(batch_b), sites=rows)


def previous_round(session: Session, batch: Batch) -> Batch | None:
    """The round before `batch` of the batch with the same name (the highest lower round)."""
    return session.execute(
        select(Batch).where(Batch.name == batch.name, Batch.round < batch.round)
        .order_by(Batch.round.desc()).limit(1)).scalar_one_or_none()


def site_of_scan(session: Session, scan_id: int) -> int | None:
    """The site a scan belongs to, None when there is no such scan (without loading its result)."""
    found: int | None = session.execute(
        select(Scan.site_id).where(Scan.id == scan_id)).scalar_one_or_none()
    return found


def rounds_named(session: Session, name: str, round_: int | None = None) -> tuple[Batch, Batch]:
    """Round `round_` of the batch called `name` (its latest when None) and the round before
    it. Raises RoundNotFound."""
    query = select(Batch).where(Batch.name == name.strip())
    query = (query.where(Batch.round == round_) if round_ is not None
             else query.order_by(Batch.round.desc()).limit(1))
    after = session.execute(query).scalar_one_or_none()
    if after is None:
        raise RoundNotFound(name.strip(), round_)
    before = previous_round(session, after)
    if before is None:
        raise RoundNotFound(after.name, after.round, first=True)
    return before, after


def round_choices(session: Session) -> dict[str, list[int]]:
    """Every batch name with its rounds, newest first (for the compare page's lists)."""
    found: dict[str, list[int]] = {}
    rows = session.execute(select(Batch.name, Batch.round, func.max(Batch.created_at))
                           .group_by(Batch.name, Batch.round)
                           .order_by(func.max(Batch.created_at).desc(), Batch.round.desc()))
    for name, number, _ in rows:
        found.setdefault(name, []).append(number)
    return {name: sorted(rounds, reverse=True) for name, rounds in found.items()}


def site_choices(session: Session) -> list[tuple[int, str]]:
    """Every site with at least one finished scan: (id, name), by name."""
    done = select(Scan.site_id).where(Scan.status == "done")
    return [(row.id, row.name) for row in session.execute(
        select(Site.id, Site.name).where(Site.id.in_(done)).order_by(Site.name, Site.id))]
