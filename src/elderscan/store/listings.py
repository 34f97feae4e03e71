"""Lists of batch rounds and of scans, newest first, filtered and paginated (the API's
`GET /batches` and `GET /scans`). Each returns the page and the total of all pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from elderscan.store.models import Batch, Scan, Site


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class BatchItem(_View):
    """One round of a batch audit, with its counters (as `GET /batches/{id}` shows them)."""

    id: int
    name: str
    round: int
    status: str = Field(description="queued, running or done")
    created_at: datetime
    finished_at: datetime | None
    total: int
    done: int
    failed: int


class BatchPage(_View):
    items: list[BatchItem]
    total: int = Field(description="rounds matching the filters, all pages together")
    limit: int
    offset: int


class ScanItem(_View):
    """One scan, without its result (read it with `GET /scans/{id}`)."""

    id: int
    site_id: int
    site_name: str
    target: str
    batch_id: int | None
    batch_name: str | None
    round: int | None
    status: str = Field(description="queued, running, done or failed")
    created_at: datetime
    finished_at: datetime | None
    score_total: float | None
    grade: str | None
    passed: bool | None
    error_code: str | None
    error_message: str | None = Field(description="a failure's technical detail")
    reason: str | None = Field(None, description="why it failed or has no score, in words")


class ScanPage(_View):
    items: list[ScanItem]
    total: int = Field(description="scans matching the filters, all pages together")
    limit: int
    offset: int


def _count(session: Session, query: Select[Any]) -> int:
    return int(session.execute(select(func.count()).select_from(query.subquery())).scalar_one())


def list_batches(session: Session, *, name: str | None = None, status: str | None = None,
                 limit: int = 50, offset: int = 0) -> BatchPage:
    """Rounds newest first (by creation time); `name` is the batch's exact name."""
    query = select(Batch)
    if name is not None:
        query = query.where(Batch.name == name.strip())
    if status is not None:
        query = query.where(Batch.status == status)
    total = _count(session, query)
    rows = session.execute(query.order_by(Batch.created_at.desc(), Batch.id.desc())
                           .limit(limit).offset(offset)).scalars()
    return BatchPage(items=[BatchItem.model_validate(b) for b in rows], total=total,
                     limit=limit, offset=offset)


def list_scans(session: Session, *, site_id: int | None = None, batch_id: int | None = None,
               status: str | None = None, since: datetime | None = None,
               until: datetime | None = None, limit: int = 50, offset: int = 0) -> ScanPage:
    """Scans newest first (by creation time). `since`/`until` bound the time the scan
    finished, or was created if it has not finished (since inclusive, until exclusive)."""
    when = func.coalesce(Scan.finished_at, Scan.created_at)
    conditions: list[ColumnElement[bool]] = []
    if site_id is not None:
        conditions.append(Scan.site_id == site_id)
    if batch_id is not None:
        conditions.append(Scan.batch_id == batch_id)
    if status is not None:
        conditions.append(Scan.status == status)
    if since is not None:
        conditions.append(when >= since)
    if until is not None:
        conditions.append(when < until)
    columns: list[Any] = [
        Scan.id, Scan.site_id, Site.name.label("site_name"), Scan.target, Scan.batch_id,
        Batch.name.label("batch_name"), Batch.round, Scan.status, Scan.created_at,
        Scan.finished_at, Scan.score_total, Scan.grade, Scan.passed, Scan.error_code,
        Scan.error_message]
    query: Select[Any] = (select(*columns)
             .join(Site, Site.id == Scan.site_id).outerjoin(Batch, Batch.id == Scan.batch_id)
             .where(*conditions))
    total = _count(session, query)
    rows = session.execute(query.order_by(Scan.created_at.desc(), Scan.id.desc())
                           .limit(limit).offset(offset)).all()
    return ScanPage(items=[ScanItem.model_validate(r._mapping) for r in rows], total=total,
                    limit=limit, offset=offset)
