"""A scan's score as a `ScoreBrief`: the columns read for it and how a row becomes one, shared
by the site list, a site's history and the comparison, so the three show the same numbers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from elderscan.dimensions import DIMENSIONS
from elderscan.store.db import NotFound
from elderscan.store.models import Scan
from elderscan.store.views import Dimensions, ScoreBrief

DIMENSION_COLUMNS = tuple(getattr(Scan, f"score_{d}") for d in DIMENSIONS)
BRIEF_COLUMNS = (Scan.id, Scan.site_id, Scan.status, Scan.finished_at, Scan.score_total,
                 Scan.grade, Scan.passed, Scan.scoring_model, *DIMENSION_COLUMNS)


def dimensions_of(row: Any) -> Dimensions:
    return {d: getattr(row, f"score_{d}") for d in DIMENSIONS}


def brief_of(row: Any) -> ScoreBrief:
    """The brief of a row holding `BRIEF_COLUMNS`."""
    return ScoreBrief(scan_id=row.id, site_id=row.site_id, status=row.status,
                      finished_at=row.finished_at, score_total=row.score_total, grade=row.grade,
                      passed=row.passed, scoring_model=row.scoring_model,
                      dimensions=dimensions_of(row))


def scan_brief(session: Session, scan_id: int) -> ScoreBrief:
    row = session.execute(select(*BRIEF_COLUMNS).where(Scan.id == scan_id)).one_or_none()
    if row is None:
        raise NotFound("api.no-scan", id=scan_id)
    return brief_of(row)
