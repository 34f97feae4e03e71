"""How much the store holds: scans and batch rounds by status, and sites (the service's
metrics read these at scrape time, so they are right whoever does the scanning); and how each
scan ended, for the batch benchmark's tally."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elderscan.store.models import Batch, Page, Scan, Site


@dataclass(frozen=True)
class StoreCounts:
    scans: dict[str, int]
    """Status → scans; statuses without a scan are absent."""
    batches: dict[str, int]
    """Status → batch rounds; statuses without a round are absent."""
    sites: int


def store_counts(session: Session) -> StoreCounts:
    scans = {str(status): int(n) for status, n in session.execute(
        select(Scan.status, func.count()).group_by(Scan.status))}
    batches = {str(status): int(n) for status, n in session.execute(
        select(Batch.status, func.count()).group_by(Batch.status))}
    sites = session.execute(select(func.count()).select_from(Site)).scalar_one()
    return StoreCounts(scans=scans, batches=batches, sites=int(sites))


@dataclass(frozen=True)
class ScanEnding:
    status: str
    result_status: str | None
    error_code: str | None
    standard_pages: int
    """Pages captured in standard mode (elder-mode captures not counted)."""


def scan_endings(session: Session) -> list[ScanEnding]:
    """How every scan in the store ended."""
    counted = (select(Page.scan_id, func.count().label("n"))
               .where(Page.mode == "standard").group_by(Page.scan_id).subquery())
    rows = session.execute(
        select(Scan.status, Scan.result_status, Scan.error_code, counted.c.n)
        .outerjoin(counted, counted.c.scan_id == Scan.id)).all()
    return [ScanEnding(status, result_status, error_code, int(captured or 0))
            for status, result_status, error_code, captured in rows]
