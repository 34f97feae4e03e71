"""A person's "run now" of a schedule, taken at most once at a time.

A double click (or two admins at once) must not start two rounds. `claim_manual_run` refuses
while the round this schedule last started still has queued or running scans, or while
another "run now" is being started (`last_outcome` = `starting`, for at most STARTING_FOR),
and takes the run with a compare-and-set on `last_run_at`, so of two requests at the same
instant exactly one wins. `record_run` then writes what the run did.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from elderscan.store.models import Scan, Schedule

STARTING = "starting"
STARTING_FOR = timedelta(minutes=2)
"""How long a claimed run may take to store its round before another may be claimed (a
process that died while starting one must not block the schedule forever)."""


class Claim(Enum):
    TAKEN = "taken"
    BUSY = "busy"
    MISSING = "missing"


def claim_manual_run(session: Session, schedule_id: int, now: datetime) -> Claim:
    """TAKEN: this caller may start the round (commit at once); BUSY: the last round is still
    queued or running, or another run is being started; MISSING: no such schedule."""
    row = session.get(Schedule, schedule_id)
    if row is None:
        return Claim.MISSING
    seen_at, seen_outcome = row.last_run_at, row.last_outcome
    if seen_outcome == STARTING and seen_at is not None and seen_at > now - STARTING_FOR:
        return Claim.BUSY
    if row.last_batch_id is not None:
        active = session.execute(select(func.count()).select_from(Scan).where(
            Scan.batch_id == row.last_batch_id,
            Scan.status.in_(("queued", "running")))).scalar_one()
        if active:
            return Claim.BUSY
    same_time = (Schedule.last_run_at.is_(None) if seen_at is None
                 else Schedule.last_run_at == seen_at)
    same_outcome = (Schedule.last_outcome.is_(None) if seen_outcome is None
                    else Schedule.last_outcome == seen_outcome)
    result = session.execute(
        update(Schedule).where(Schedule.id == schedule_id, same_time, same_outcome)
        .values(last_run_at=now, last_outcome=STARTING)
        .execution_options(synchronize_session=False))
    return Claim.TAKEN if int(getattr(result, "rowcount", 0)) == 1 else Claim.BUSY
