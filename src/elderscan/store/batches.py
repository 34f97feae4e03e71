"""Batches: rounds of one named audit, each holding one scan per site, and their counters.

A batch's counters are recomputed under a lock of its row, so the last scan to finish always
sees the others and closes the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from elderscan.store.db import NotFound
from elderscan.store.models import Batch, Scan, Site, utcnow
from elderscan.store.views import BatchProgress


def create_batch(session: Session, name: str, sites: Sequence[Site | int],
                 options: dict[str, Any] | None = None) -> Batch:
    """A new round of the batch `name` (round 1, or the last round + 1) with one queued scan
    per distinct site. The runner then claims and runs `pending_scans(batch.id)`.

    Two processes starting the same batch name at the same instant collide on the unique
    (name, round) and one gets an IntegrityError; retry it."""
    name = name.strip()
    if not name:
        raise ValueError("a batch needs a name")
    last = session.execute(select(func.max(Batch.round)).where(Batch.name == name)).scalar()
    ids = list(dict.fromkeys(s.id if isinstance(s, Site) else s for s in sites))
    urls: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        urls.update((row.id, row.url) for row in
                    session.execute(select(Site.id, Site.url).where(Site.id.in_(chunk))))
    missing = [i for i in ids if i not in urls]
    if missing:
        named = ", ".join(map(str, missing[:10]))
        raise NotFound("api.no-site", id=named)
    batch = Batch(name=name, round=(last or 0) + 1, status="queued", options=dict(options or {}))
    session.add(batch)
    session.flush()
    now = utcnow()
    if ids:
        session.execute(insert(Scan), [
            {"site_id": i, "batch_id": batch.id, "status": "queued", "target": urls[i],
             "options": dict(options or {}), "attempts": 0, "created_at": now} for i in ids])
    refresh_batch(session, batch.id)
    return batch


def get_batch(session: Session, batch_id: int) -> Batch | None:
    return session.get(Batch, batch_id)


def latest_batch(session: Session, name: str) -> Batch | None:
    """The last round of the batch called `name`."""
    return find_batch(session, name)


def find_batch(session: Session, name: str, round_: int | None = None) -> Batch | None:
    """Round `round_` of the batch called `name`, or its last round when `round_` is None."""
    query = select(Batch).where(Batch.name == name.strip())
    query = (query.where(Batch.round == round_) if round_ is not None
             else query.order_by(Batch.round.desc()).limit(1))
    return session.execute(query).scalar_one_or_none()


def batch_scan_ids(session: Session, batch_id: int) -> list[int]:
    """Ids of every scan of a batch, in the order they were queued."""
    return list(session.execute(
        select(Scan.id).where(Scan.batch_id == batch_id).order_by(Scan.id)).scalars())


def names_by_newest_round(session: Session) -> list[str]:
    """Every batch name, the one whose round was created last first (ids grow with rounds)."""
    return [str(name) for name in session.execute(
        select(Batch.name).group_by(Batch.name).order_by(func.max(Batch.id).desc())).scalars()]


def batch_progress(session: Session, batch_id: int) -> BatchProgress:
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("api.no-batch", id=batch_id)
    counts = status_counts(session, batch_id)
    return BatchProgress(id=batch.id, name=batch.name, round=batch.round, status=batch.status,
                         created_at=batch.created_at, finished_at=batch.finished_at,
                         total=sum(counts.values()), **counts)


def refresh_batch(session: Session, batch_id: int | None) -> None:
    """Recount a batch's scans and set its status; under a row lock so concurrent finishers
    serialise here and the last one closes the batch."""
    if batch_id is None:
        return
    batch = session.execute(
        select(Batch).where(Batch.id == batch_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if batch is None:
        return
    counts = status_counts(session, batch_id)
    batch.total = sum(counts.values())
    batch.done, batch.failed = counts["done"], counts["failed"]
    if counts["queued"] + counts["running"] == 0:
        batch.status = "done"
        batch.finished_at = batch.finished_at or utcnow()
    else:
        batch.status = "queued" if batch.done + batch.failed + counts["running"] == 0 \
            else "running"
        batch.finished_at = None
    session.flush()


def status_counts(session: Session, batch_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Scan.status, func.count()).where(Scan.batch_id == batch_id).group_by(Scan.status)
    ).all()
    counts = dict.fromkeys(("queued", "running", "done", "failed"), 0)
    counts.update({status: int(n) for status, n in rows})
    return counts


def batch_id_of(session: Session, batch: Batch | int | None) -> int | None:
    if batch is None:
        return None
    if isinstance(batch, Batch):
        return batch.id
    if session.get(Batch, batch) is None:
        raise NotFound("api.no-batch", id=batch)
    return batch
