"""Rounds as the workbench sees them: every site's live state, cancelling, recent rounds.

Like the repository's functions, these take a `Session` first and never commit. Cancelling
marks the round's queued scans failed with code `cancelled` in one UPDATE that only touches
scans still queued, so a runner claiming a scan at the same instant either got it first (it
runs and finishes) or finds it failed and skips it; Celery messages already in the broker are
then no-ops.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from elderscan.store.batches import refresh_batch
from elderscan.store.db import NotFound
from elderscan.store.models import ApiToken, Batch, DashboardSession, RoundCancel, Scan, Site
from elderscan.store.models import utcnow as _now

CANCELLED = "cancelled"
"""The error code of a scan that a cancelled round never started."""

SiteState = Literal["queued", "running", "done", "failed", "cancelled"]
RoundState = Literal["queued", "running", "done", "cancelled"]


class RoundSite(BaseModel):
    """One site of a round, as the live page shows it."""

    scan_id: int
    site_id: int
    name: str
    url: str
    status: SiteState
    pages_done: int | None = Field(None, description="while running: pages captured so far")
    pages_total: int | None = None
    score_total: float | None = None
    grade: str | None = None
    passed: bool | None = None
    error_code: str | None = Field(None, description="why it failed: dns, connect, timeout, "
                                   "cancelled, …")
    error_message: str | None = None


class RoundProgress(BaseModel):
    """A round's overall progress and every site's state (`GET /batches/{id}/progress`)."""

    id: int
    name: str
    round: int
    status: RoundState
    created_at: datetime
    finished_at: datetime | None
    cancelled_at: datetime | None
    total: int
    queued: int
    running: int
    done: int
    failed: int
    cancelled: int = Field(description="queued scans the cancel stopped (counted in failed "
                           "too)")
    sites: list[RoundSite]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def finished(self) -> bool:
        """Nothing left to run (done, or cancelled with its running scans finished)."""
        return self.queued + self.running == 0


def _pages(progress: dict[str, Any] | None) -> tuple[int | None, int | None]:
    if not isinstance(progress, dict):
        return None, None
    done, total = progress.get("pages_done"), progress.get("pages_total")
    return (done if isinstance(done, int) else None, total if isinstance(total, int) else None)


def round_progress(session: Session, batch_id: int) -> RoundProgress:
    """The round's counts and its sites, in the order they were listed (scan id)."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("api.no-batch", id=batch_id)
    cancel = session.get(RoundCancel, batch_id)
    rows = session.execute(
        select(Scan.id, Scan.site_id, Site.name, Site.url, Scan.status, Scan.progress,
               Scan.score_total, Scan.grade, Scan.passed, Scan.error_code, Scan.error_message)
        .join(Site, Site.id == Scan.site_id).where(Scan.batch_id == batch_id)
        .order_by(Scan.id)).all()
    sites: list[RoundSite] = []
    for r in rows:
        status = CANCELLED if r.status == "failed" and r.error_code == CANCELLED else r.status
        done, total = _pages(r.progress) if r.status == "running" else (None, None)
        sites.append(RoundSite(
            scan_id=r.id, site_id=r.site_id, name=r.name, url=r.url,
            status=status,  # type: ignore[arg-type]
            pages_done=done, pages_total=total,
            score_total=r.score_total if r.status == "done" else None,
            grade=r.grade if r.status == "done" else None,
            passed=r.passed if r.status == "done" else None,
            error_code=r.error_code if r.status == "failed" else None,
            error_message=r.error_message if r.status == "failed" else None))
    counts = {s: sum(1 for x in sites if x.status == s)
              for s in ("queued", "running", "done", "failed", CANCELLED)}
    state: RoundState = CANCELLED if cancel is not None else batch.status  # type: ignore[assignment]
    return RoundProgress(
        id=batch.id, name=batch.name, round=batch.round, status=state,
        created_at=batch.created_at, finished_at=batch.finished_at,
        cancelled_at=cancel.cancelled_at if cancel else None, total=len(sites),
        queued=counts["queued"], running=counts["running"], done=counts["done"],
        failed=counts["failed"] + counts[CANCELLED], cancelled=counts[CANCELLED], sites=sites)


class RoundIdle(Exception):
    """A round with nothing queued or running: there is nothing to cancel."""


def cancel_round(session: Session, batch_id: int, by: str | None = None) -> int:
    """Stop a round: its queued scans will not start (marked failed, code `cancelled`);
    running ones may finish. Returns how many queued scans were stopped; cancelling twice
    stops the ones queued since and keeps the first time and author. A round with nothing
    queued or running is left as it is (RoundIdle): a finished round is not "cancelled"."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("api.no-batch", id=batch_id)
    active = session.execute(select(func.count()).select_from(Scan).where(
        Scan.batch_id == batch_id, Scan.status.in_(("queued", "running")))).scalar_one()
    if not active:
        raise RoundIdle(f"batch {batch_id} has nothing queued or running")
    now = _now()
    stopped = session.execute(
        update(Scan).where(Scan.batch_id == batch_id, Scan.status == "queued")
        .values(status="failed", error_code=CANCELLED, finished_at=now,
                error_message="the round was cancelled before this scan started")
        .returning(Scan.id).execution_options(synchronize_session=False)).scalars().all()
    cancel = session.get(RoundCancel, batch_id)
    if cancel is None:
        session.add(RoundCancel(batch_id=batch_id, cancelled_at=now,
                                cancelled_by=(by or None) and by[:200], skipped=len(stopped)))
    else:
        cancel.skipped += len(stopped)
    session.flush()
    refresh_batch(session, batch_id)
    return len(stopped)


def is_cancelled(session: Session, batch_id: int) -> bool:
    return session.get(RoundCancel, batch_id) is not None


def round_sites(session: Session, batch_id: int) -> list[int]:
    """The site ids of a round, in the order they were listed."""
    if session.get(Batch, batch_id) is None:
        raise NotFound("api.no-batch", id=batch_id)
    return list(session.execute(select(Scan.site_id).where(Scan.batch_id == batch_id)
                                .order_by(Scan.id)).scalars())


class RoundBrief(BaseModel):
    id: int
    name: str
    round: int
    status: RoundState
    created_at: datetime
    total: int
    done: int
    failed: int


def recent_rounds(session: Session, limit: int = 20) -> list[RoundBrief]:
    """The newest rounds first, for the workbench's list."""
    rows = session.execute(
        select(Batch, RoundCancel.batch_id.label("cancelled"))
        .outerjoin(RoundCancel, RoundCancel.batch_id == Batch.id)
        .order_by(Batch.created_at.desc(), Batch.id.desc()).limit(limit)).all()
    return [RoundBrief(id=b.id, name=b.name, round=b.round,
                       status=CANCELLED if cancelled is not None
                       else b.status,  # type: ignore[arg-type]
                       created_at=b.created_at, total=b.total, done=b.done, failed=b.failed)
            for b, cancelled in rows]


def batch_names(session: Session) -> list[str]:
    """Every batch name, for the "run another round" choice."""
    return list(session.execute(select(Batch.name).group_by(Batch.name)
                                .order_by(func.max(Batch.created_at).desc())).scalars())


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


def token_name(session: Session, token: str) -> str | None:
    """The name of a bearer token (who did it, for the record)."""
    return session.execute(select(ApiToken.name).where(
        ApiToken.token_hash == _digest(token))).scalar_one_or_none()


def session_token_name(session: Session, session_id: str) -> str | None:
    """The name of the token a dashboard session was opened with."""
    return session.execute(select(ApiToken.name).join(
        DashboardSession, DashboardSession.token_id == ApiToken.id).where(
        DashboardSession.session_hash == _digest(session_id))).scalar_one_or_none()
