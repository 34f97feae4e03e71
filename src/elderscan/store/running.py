"""What a round is doing now: its running scans, their sites and the progress they wrote,
for a live display (the terminal's progress bar)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from elderscan.store.models import Scan, Site


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
        .order_by(Scan.started_at, Scan.id)).tuples()
    return [Running(scan_id, name, dict(progress or {})) for scan_id, name, progress in rows]
