"""Small read-only lookups for the pages that show stored scans: the previous score for a trend
arrow, the region filter's choices, which stored finding row a result finding is, the scan
before this one, and the language versions a result lists. One query each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from elderscan.names import sort_key
from elderscan.store.models import FindingRow, Page, Scan, Site

_LATEST_FIRST = (Scan.finished_at.desc(), Scan.id.desc())


def previous_totals(session: Session, site_ids: Sequence[int]) -> dict[int, float | None]:
    """Total of each site's second-latest completed scan (what its trend arrow compares with);
    sites with a single scan are absent."""
    if not site_ids:
        return {}
    ranked = select(
        Scan.site_id, Scan.score_total,
        func.row_number().over(partition_by=Scan.site_id, order_by=_LATEST_FIRST).label("rn"),
    ).where(Scan.status == "done", Scan.site_id.in_(list(site_ids))).subquery()
    rows = session.execute(select(ranked.c.site_id, ranked.c.score_total)
                           .where(ranked.c.rn == 2)).all()
    return {int(r.site_id): r.score_total for r in rows}


def regions(session: Session) -> list[str]:
    """Every region named, in pinyin order."""
    return sorted((r for r in session.execute(
        select(Site.region).where(Site.region.is_not(None)).distinct()
    ).scalars() if r), key=sort_key)


def finding_ids(session: Session, scan_id: int) -> dict[tuple[int, int], int]:
    """(page position, index in that page's findings) → stored finding id."""
    rows = session.execute(
        select(FindingRow.id, Page.position, FindingRow.position)
        .join(Page, Page.id == FindingRow.page_id)
        .where(FindingRow.scan_id == scan_id).order_by(Page.position, FindingRow.position)).all()
    return {(int(page), int(index)): int(finding_id) for finding_id, page, index in rows}


@dataclass(frozen=True)
class ShotSource:
    screenshot: str | None
    box: list[Any] | None
    rule: str = ""


def shot_source(session: Session, scan_id: int, finding_id: int) -> ShotSource | None:
    row = session.execute(
        select(Page.screenshot, FindingRow.box, FindingRow.rule)
        .join(Page, Page.id == FindingRow.page_id)
        .where(FindingRow.id == finding_id, FindingRow.scan_id == scan_id)).one_or_none()
    return None if row is None else ShotSource(row.screenshot, row.box, row.rule)


def previous_scan(session: Session, scan: Scan) -> int | None:
    """The same site's completed scan before `scan`, for a "compare with the one before" link."""
    if scan.finished_at is None:
        return None
    found = session.execute(
        select(Scan.id).where(
            Scan.site_id == scan.site_id, Scan.status == "done",
            or_(Scan.finished_at < scan.finished_at,
                and_(Scan.finished_at == scan.finished_at, Scan.id < scan.id)))
        .order_by(*_LATEST_FIRST).limit(1)).scalar()
    return None if found is None else int(found)


def scan_versions(session: Session, scan_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Each scan's `versions` list from its stored result (only that part of the JSON is read);
    scans whose result has none (older scans, the probe off) are absent."""
    if not scan_ids:
        return {}
    rows = session.execute(select(Scan.id, Scan.result["versions"])
                           .where(Scan.id.in_(list(scan_ids)))).all()
    return {int(scan_id): list(listed) for scan_id, listed in rows
            if isinstance(listed, list)}
