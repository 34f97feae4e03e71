"""The scan queue: enqueuing, claiming, failing and the progress of running scans.

Concurrency is handled in the database, not in Python, so the same functions are safe from
many Celery workers on PostgreSQL and from threads of one process on SQLite:

- `enqueue_scan` is a single `INSERT … ON CONFLICT` statement;
- `claim_scan` is one conditional `UPDATE … RETURNING`: of two workers, one wins;
- `fail_scan` (and `results.save_result`) lock the scan row first (`SELECT … FOR UPDATE` on
  PostgreSQL; SQLite has one writer at a time), so two deliveries of the same task leave one
  result.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from elderscan.store.batches import batch_id_of, refresh_batch
from elderscan.store.db import DatabaseError, NotFound
from elderscan.store.dialect import dialect_insert
from elderscan.store.models import Batch, Scan, Site, utcnow
from elderscan.store.sites import site_of

PENDING = ("queued", "running")
MAX_ERROR_MESSAGE = 4000


class IdempotencyConflict(ValueError):
    """An idempotency key was reused for a different site (the API answers 409)."""


def lock_scan(session: Session, scan_id: int) -> Scan:
    scan = session.execute(
        select(Scan).where(Scan.id == scan_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if scan is None:
        raise NotFound("api.no-scan", id=scan_id)
    return scan


def pending_scans(session: Session, batch_id: int) -> list[int]:
    """Ids of the batch's scans not finished yet (queued, or running when a runner died):
    what a resumed batch has left to do."""
    return list(session.execute(
        select(Scan.id).where(Scan.batch_id == batch_id, Scan.status.in_(PENDING))
        .order_by(Scan.id)).scalars())


def unfinished_scans(session: Session, limit: int = 10_000) -> list[int]:
    """Ids of every scan not finished yet, oldest first: what an in-process runner that
    restarted must pick up again (a broker keeps its own queue)."""
    return list(session.execute(
        select(Scan.id).where(Scan.status.in_(PENDING)).order_by(Scan.id).limit(limit)
    ).scalars())


def scan_by_idempotency_key(session: Session, key: str) -> Scan | None:
    """The scan a request with this `Idempotency-Key` created, if any."""
    return session.execute(select(Scan).where(Scan.idempotency_key == key)).scalar_one_or_none()


def enqueue_scan(session: Session, site: Site | int, batch: Batch | int | None = None,
                 options: dict[str, Any] | None = None,
                 idempotency_key: str | None = None) -> Scan:
    """A queued scan of `site` (in `batch`, if given).

    Idempotent: the same `idempotency_key` returns the scan it first created (a different site
    with a reused key raises IdempotencyConflict), and a site already in `batch` returns that
    batch's scan — a batch holds exactly one scan per site.
    """
    target = site_of(session, site)
    batch_id = batch_id_of(session, batch)
    values = {"site_id": target.id, "batch_id": batch_id, "status": "queued",
              "target": target.url, "options": dict(options or {}),
              "idempotency_key": idempotency_key, "attempts": 0, "created_at": utcnow()}
    stmt = (dialect_insert(session, Scan).values(**values).on_conflict_do_nothing()
            .returning(Scan.id))
    scan_id = session.execute(stmt).scalar_one_or_none()
    if scan_id is None:
        existing = None
        if idempotency_key is not None:
            existing = scan_by_idempotency_key(session, idempotency_key)
        if existing is None and batch_id is not None:
            existing = session.execute(select(Scan).where(
                Scan.batch_id == batch_id, Scan.site_id == target.id)).scalar_one_or_none()
        if existing is None:  # pragma: no cover - a conflict implies a row
            raise DatabaseError(key="lost_scan")
        if existing.site_id != target.id:
            raise IdempotencyConflict(
                f"the Idempotency-Key {idempotency_key!r} was used for another site")
        return existing
    scan = session.get(Scan, scan_id)
    assert scan is not None
    refresh_batch(session, batch_id)
    return scan


def claim_scan(session: Session, scan_id: int, worker: str, *,
               stale_after: float | None = None, max_attempts: int | None = None) -> Scan | None:
    """Take a scan to run: queued → running, attempts + 1, in one atomic UPDATE.

    A scan already `running` is taken over too — a re-delivered Celery task means its worker
    died — unless `stale_after` (seconds) is given and it started more recently than that.
    Returns None when there is nothing to do: the scan is done or failed (a duplicate
    delivery), does not exist, is running elsewhere, or has used `max_attempts` (it is then
    marked failed with code `attempts`).
    """
    now = utcnow()
    takeover: ColumnElement[bool] = Scan.status == "running"
    if stale_after is not None:
        takeover = and_(takeover, Scan.started_at < now - timedelta(seconds=stale_after))
    claimable = or_(Scan.status == "queued", takeover)
    conditions = [Scan.id == scan_id, claimable]
    if max_attempts is not None:
        conditions.append(Scan.attempts < max_attempts)
    claimed = session.execute(
        update(Scan).where(*conditions)
        .values(status="running", attempts=Scan.attempts + 1, worker=worker[:200],
                started_at=now, finished_at=None, error_code=None, error_message=None,
                progress=None)
        .returning(Scan.id, Scan.batch_id)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if claimed is None:
        if max_attempts is not None:
            exhausted = session.execute(select(Scan.id).where(
                Scan.id == scan_id, claimable, Scan.attempts >= max_attempts)).scalar()
            if exhausted is not None:
                fail_scan(session, scan_id, "attempts",
                          f"gave up after {max_attempts} attempts")
        return None
    if claimed.batch_id is not None:
        session.execute(update(Batch).where(Batch.id == claimed.batch_id,
                                            Batch.status == "queued")
                        .values(status="running").execution_options(synchronize_session=False))
    return session.get(Scan, scan_id, populate_existing=True)


def get_scan(session: Session, scan_id: int) -> Scan | None:
    return session.get(Scan, scan_id)


def fail_scan(session: Session, scan_id: int, code: str, message: str) -> Scan:
    """Mark a scan failed with an error code and message (the runner gave up on it).

    A scan already `done` is left as it is: a late failure of a duplicate delivery must not
    overwrite a result another worker saved. (The check is part of the UPDATE itself, so it
    holds on SQLite too, where `FOR UPDATE` does not exist.)
    """
    lock_scan(session, scan_id)
    session.execute(
        update(Scan).where(Scan.id == scan_id, Scan.status != "done")
        .values(status="failed", error_code=code[:100], error_message=message[:MAX_ERROR_MESSAGE],
                finished_at=utcnow())
        .execution_options(synchronize_session=False))
    scan = session.get(Scan, scan_id, populate_existing=True)
    assert scan is not None
    refresh_batch(session, scan.batch_id)
    return scan


def set_progress(session: Session, scan_id: int, progress: dict[str, Any]) -> bool:
    """Record a running scan's progress (e.g. `{"pages_done": 3, "pages_total": 10}`) for
    `GET /scans/{id}`. Ignored (False) unless the scan is running."""
    updated = session.execute(
        update(Scan).where(Scan.id == scan_id, Scan.status == "running")
        .values(progress=dict(progress)).returning(Scan.id)
        .execution_options(synchronize_session=False)).scalar_one_or_none()
    return updated is not None
