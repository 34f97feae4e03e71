"""What a round is doing now, for a live display (the terminal's progress bar): its running
scans, their sites and the progress they wrote; the scans that finished since the last look;
and the scans claimed long ago and still running (their worker may be gone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from elderscan.store.models import Scan, Site, utcnow


@dataclass(frozen=True)
class Running:
    scan_id: int
    site: str
    progress: dict[str, Any]
    """As the scan wrote it: pages_done, pages_total, url, phase, probe (any may be missing)."""


def running_scans(session: Session, batch_id: int) -> list[Running]:
    """The round's running scans, longest running first."""
    rows = session.execute(
        select(Scan.id, Site.name, Scan.progress)
        .join(Site, Site.id == Scan.site_id)
        .where(Scan.batch_id == batch_id, Scan.status == "running")
        .order_by(Scan.started_at, Scan.id))
    return [Running(scan_id, name, dict(progress or {})) for scan_id, name, progress in rows]


@dataclass
class Finished:
    scan_id: int
    name: str
    url: str
    status: str
    score: float | None
    grade: str | None
    error_code: str | None
    error_message: str | None


def finished_since(session: Session, batch_id: int, since: datetime | None) -> list[Finished]:
    """The round's finished scans (done or failed) with their sites, in the order they finished;
    only those finished at `since` or later when it is given."""
    query = (select(Scan.id, Site.name, Site.url, Scan.status, Scan.score_total, Scan.grade,
                    Scan.error_code, Scan.error_message)
             .join(Site, Site.id == Scan.site_id)
             .where(Scan.batch_id == batch_id, Scan.status.in_(("done", "failed")))
             .order_by(Scan.finished_at, Scan.id))
    if since is not None:
        query = query.where(Scan.finished_at >= since)
    return [Finished(*row) for row in session.execute(query)]


def stale_running(session: Session, batch_id: int, older_than: float) -> list[int]:
    """Scans of the batch claimed more than `older_than` seconds ago and still running."""
    cutoff = utcnow() - timedelta(seconds=older_than)
    return list(session.execute(
        select(Scan.id).where(Scan.batch_id == batch_id, Scan.status == "running",
                              Scan.started_at < cutoff)).scalars())
