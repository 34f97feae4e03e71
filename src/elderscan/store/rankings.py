"""A round's ranking with every site in it, and what the ranking page adds around it.

Every site of a round is listed, so a site whose scan failed cannot vanish from a regulator's
view: scored sites first, best total first (ties share a rank), then scans that finished
unscored, then failed scans, then scans not finished yet — those unranked, with their error
code and message kept for the reader to put into words. Each row carries the site's total in
the previous round of the same batch name, so a change can be shown beside the score.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from elderscan.dimensions import DIMENSIONS
from elderscan.names import sort_key
from elderscan.scoring.weights import VETO_RULES
from elderscan.store.db import NotFound
from elderscan.store.models import Batch, FindingRow, Page, Scan, Site
from elderscan.store.views import GroupSummary, RankingRow

_DIMENSION_COLUMNS = tuple(getattr(Scan, f"score_{d}") for d in DIMENSIONS)
CANCELLED = "cancelled"
"""The error code of a scan a cancel stopped before it started: not the site's failure."""
_FAILED = (Scan.status == "failed") & or_(Scan.error_code.is_(None),
                                          Scan.error_code != CANCELLED)
_BUCKET = case((Scan.score_total.is_not(None), 0), (Scan.status == "done", 1),
               (_FAILED, 2), else_=3)
"""Order of the unranked: scored, finished unscored, failed, not finished yet (or
cancelled)."""


def site_failed(status: str, error_code: str | None) -> bool:
    """A scan that failed because of the site or the scanner; one stopped by a cancel is
    like one not finished: it says nothing about the site."""
    return status == "failed" and error_code != CANCELLED


def previous_round(session: Session, batch: Batch) -> Batch | None:
    """The round of the same batch name just before `batch` (None for a first round)."""
    return session.execute(
        select(Batch).where(Batch.name == batch.name, Batch.round < batch.round)
        .order_by(Batch.round.desc()).limit(1)).scalar_one_or_none()


def newest_batch(session: Session) -> Batch | None:
    """The round created last, whatever its name: where the ranking page opens."""
    return session.execute(
        select(Batch).order_by(Batch.created_at.desc(), Batch.id.desc()).limit(1)
    ).scalar_one_or_none()


def _previous_totals(session: Session, batch: Batch) -> tuple[int | None, dict[int, Any]]:
    before = previous_round(session, batch)
    if before is None:
        return None, {}
    rows = session.execute(select(Scan.site_id, Scan.id, Scan.status, Scan.score_total)
                           .where(Scan.batch_id == before.id)).all()
    return before.round, {int(r.site_id): r for r in rows}


def failing(row: RankingRow) -> bool:
    """Not passing: a failed scan, or a finished one that did not reach the pass line (or could
    not be scored). Scans still running are neither."""
    return site_failed(row.status, row.error_code) or (
        row.status == "done" and row.passed is not True)


def _ranked(batch_id: int, category: str | None, region: str | None) -> Select[Any]:
    order = (Scan.score_total.desc().nulls_last(),)
    columns: list[Any] = [
        Site.id.label("site_id"), Site.name, Site.url, Site.category, Site.region, Scan.id,
        Scan.status, Scan.finished_at, Scan.score_total, Scan.grade, Scan.passed, Scan.vetoes,
        Scan.error_code, Scan.error_message, *_DIMENSION_COLUMNS,
        func.rank().over(order_by=order).label("rank"), _BUCKET.label("bucket")]
    query: Select[Any] = (
        select(*columns)
        .join(Site, Site.id == Scan.site_id)
        .where(Scan.batch_id == batch_id)
    )
    if category is not None:
        query = query.where(Site.category == category)
    if region is not None:
        query = query.where(Site.region == region)
    return query


def batch_ranking(session: Session, batch_id: int, category: str | None = None,
                  region: str | None = None, limit: int | None = None, offset: int = 0, *,
                  failing_only: bool = False) -> list[RankingRow]:
    """Every site of the round: scored ones best total first (ties share a rank), then the
    unranked (finished unscored, failed, not finished), each group by name.

    Ranks are computed within the category/region filter (`region="北京"` ranks Beijing's
    sites 1, 2, 3 …) but before `failing_only`, which keeps a failing site's place in the
    round. Raises NotFound for an unknown batch.
    """
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("api.no-batch", id=batch_id)
    ranked = _ranked(batch_id, category, region).subquery()
    query = select(ranked)
    if failing_only:
        site_failed_ = (ranked.c.status == "failed") & or_(
            ranked.c.error_code.is_(None), ranked.c.error_code != CANCELLED)
        query = query.where(or_(site_failed_, (ranked.c.status == "done") & or_(
            ranked.c.passed.is_(None), ranked.c.passed.is_(False))))
    # ties (and the unranked) in pinyin order, which SQL cannot give: sorted here, then the
    # page is cut
    found = sorted(session.execute(query), key=lambda r: (
        r.bucket, r.score_total is None, -(r.score_total or 0.0), sort_key(r.name), r.site_id))
    found = found[offset:] if limit is None else found[offset:offset + limit]
    previous_number, previous = _previous_totals(session, batch)
    rows: list[RankingRow] = []
    for r in found:
        before = previous.get(int(r.site_id))
        before_total = before.score_total if before is not None else None
        change = (None if before_total is None or r.score_total is None
                  else round(r.score_total - before_total, 1))
        rows.append(RankingRow(
            rank=None if r.score_total is None else int(r.rank), site_id=r.site_id,
            name=r.name, url=r.url, category=r.category, region=r.region, scan_id=r.id,
            finished_at=r.finished_at, score_total=r.score_total, grade=r.grade,
            passed=r.passed, dimensions={d: getattr(r, f"score_{d}") for d in DIMENSIONS},
            vetoes=list(r.vetoes or []), status=r.status, error_code=r.error_code,
            error_message=r.error_message,
            previous_round=previous_number if before is not None else None,
            previous_scan_id=None if before is None else int(before.id),
            previous_score=before_total, change=change))
    return rows


def summarise(rows: Iterable[RankingRow], key: str) -> list[GroupSummary]:
    """Sites, scored sites, pass rate and average total per `region` or `category` of a
    ranking (rows without a region are one group, `None`), groups in first-seen order of the
    sorted keys. The pass rate is over the scored sites; failed scans count in `failed`
    (not those a cancel stopped)."""
    if key not in ("region", "category"):
        raise ValueError("summarise by region or category")
    groups: dict[str | None, list[RankingRow]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    summary: list[GroupSummary] = []
    for value in sorted(groups, key=lambda v: (v is None, v or "")):
        members = groups[value]
        scored = [r.score_total for r in members if r.score_total is not None]
        passed = sum(r.passed is True for r in members)
        summary.append(GroupSummary(
            by=key, value=value, sites=len(members), scored=len(scored), passed=passed,
            failed=sum(site_failed(r.status, r.error_code) for r in members),
            pass_rate=None if not scored else round(100 * passed / len(scored), 1),
            average=None if not scored else round(sum(scored) / len(scored), 1)))
    return summary


def veto_findings(session: Session, scan_ids: Sequence[int],
                  per_rule: int = 3) -> dict[int, list[dict[str, Any]]]:
    """The failed findings of veto rules in each scan (at most `per_rule` per rule), as stored
    in its result — with their message key and data, so a reader's language can render them:
    what a veto actually found. Each finding is read by its JSON path (page position, index in
    the page: `save_result` inserts a page's findings in result order), never the whole result.
    """
    if not scan_ids:
        return {}
    other = aliased(FindingRow)
    index = (select(func.count())
             .where(other.page_id == FindingRow.page_id, other.id < FindingRow.id)
             .correlate(FindingRow).scalar_subquery())
    ranked = select(FindingRow.scan_id, FindingRow.rule, Page.position, index.label("index"),
                    func.row_number().over(partition_by=(FindingRow.scan_id, FindingRow.rule),
                                           order_by=FindingRow.id).label("n")) \
        .join(Page, Page.id == FindingRow.page_id) \
        .where(FindingRow.scan_id.in_(list(scan_ids)), FindingRow.rule.in_(VETO_RULES),
               FindingRow.outcome == "fail").subquery()
    found: dict[int, list[dict[str, Any]]] = {}
    for scan_id, position, number in session.execute(
            select(ranked.c.scan_id, ranked.c.position, ranked.c.index)
            .where(ranked.c.n <= per_rule).order_by(ranked.c.scan_id, ranked.c.n)).all():
        hit = session.execute(select(
            Scan.result[("pages", int(position), "findings", int(number))])
            .where(Scan.id == scan_id)).scalar()
        if isinstance(hit, dict):
            found.setdefault(int(scan_id), []).append(hit)
    return found


def batch_names(session: Session) -> list[tuple[str, int]]:
    """(name, latest round) of every batch audit, the one with the newest round first."""
    rows = session.execute(
        select(Batch.name, func.max(Batch.round), func.max(Batch.created_at).label("newest"))
        .group_by(Batch.name).order_by(func.max(Batch.created_at).desc(), Batch.name)).all()
    return [(str(name), int(last)) for name, last, _ in rows]
