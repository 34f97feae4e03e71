"""Schedules in the store: create, list, change and delete them, find the due ones, claim a
run, and record how it went. Like the repository's functions these take a `Session` first and
never commit, except where a docstring says the caller must commit at once (the claim).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, select, update
from sqlalchemy.orm import Session

from elderscan.recurrence import Recurrence, RecurrenceError, parse_time
from elderscan.store.db import NotFound
from elderscan.store.models import (
    ApiToken,
    Batch,
    DashboardSession,
    Scan,
    Schedule,
    Site,
    utcnow,
)

RECURRENCE_FIELDS = ("kind", "at", "weekday", "day", "cron", "time_zone")


def recurrence(row: Schedule) -> Recurrence:
    return Recurrence(kind=row.kind, at=row.at, weekday=row.weekday,  # type: ignore[arg-type]
                      day=row.day, cron=row.cron, zone=row.time_zone)


def check_sites(session: Session, site_ids: Sequence[int]) -> None:
    """NotFound naming the first ids that are not sites."""
    ids = list(dict.fromkeys(site_ids))
    found = set(session.execute(select(Site.id).where(Site.id.in_(ids))).scalars())
    missing = [i for i in ids if i not in found]
    if missing:
        named = ", ".join(map(str, missing[:10]))
        raise NotFound("api.no-site", id=named)


def _hhmm(at: str) -> str:
    """`8:00` stored as `08:00`, so every schedule shows its time alike."""
    try:
        return parse_time(at).strftime("%H:%M")
    except RecurrenceError:
        return at  # refused by the recurrence check that follows


NEVER = "schedules.error.never"
"""Why a schedule was switched off by itself: its recurrence has no period left."""


def _next(rule: Recurrence, now: datetime) -> datetime:
    """The first run after `now`; a recurrence that never comes (a cron for 30 February) is
    refused rather than stored as a schedule that silently never runs."""
    following = rule.next_after(now)
    if following is None:
        raise RecurrenceError("schedules.error.never")
    return following


def create_schedule(session: Session, *, name: str, rule: Recurrence,
                    site_ids: Sequence[int] | None = None, options: dict[str, Any] | None = None,
                    enabled: bool = True, created_by: str | None = None,
                    now: datetime | None = None) -> Schedule:
    """A new schedule; its first run is the first period after `now`."""
    rule.check()
    if site_ids is not None:
        check_sites(session, site_ids)
    now = now or utcnow()
    following = _next(rule, now) if enabled else None
    row = Schedule(name=name.strip(), kind=rule.kind, at=_hhmm(rule.at), weekday=rule.weekday,
                   day=rule.day, cron=rule.cron, time_zone=rule.zone,
                   site_ids=None if site_ids is None else list(dict.fromkeys(site_ids)),
                   options=dict(options or {}), enabled=enabled, created_by=created_by,
                   created_at=now, updated_at=now,
                   next_run_at=following)
    session.add(row)
    session.flush()
    return row


def get_schedule(session: Session, schedule_id: int) -> Schedule | None:
    return session.get(Schedule, schedule_id)


def list_schedules(session: Session) -> list[Schedule]:
    """Every schedule: enabled ones by next run, then the disabled ones, by name."""
    rows = list(session.execute(select(Schedule).order_by(Schedule.id)).scalars())
    far = datetime.max.replace(tzinfo=None)
    return sorted(rows, key=lambda r: (not r.enabled,
                                       (r.next_run_at.replace(tzinfo=None) if r.next_run_at
                                        else far), r.name, r.id))


def update_schedule(session: Session, row: Schedule, changes: dict[str, Any], *,
                    now: datetime | None = None) -> Schedule:
    """Apply `changes` (any of name, site_ids, options, enabled and the recurrence fields).
    A changed recurrence, or a schedule switched on, runs next at its first period after
    `now` — switching on does not make up for the periods it was off."""
    now = now or utcnow()
    was_enabled = row.enabled
    for key, value in changes.items():
        if key == "site_ids" and value is not None:
            check_sites(session, value)
            value = list(dict.fromkeys(value))
        setattr(row, key, _hhmm(value) if key == "at" and value else value)
    rule = recurrence(row)
    rule.check()
    if not row.enabled:
        row.next_run_at = None
    elif not was_enabled or any(k in changes for k in RECURRENCE_FIELDS) \
            or row.next_run_at is None:
        row.next_run_at = _next(rule, now)
    row.updated_at = now
    session.flush()
    return row


def delete_schedule(session: Session, schedule_id: int) -> bool:
    result = session.execute(delete(Schedule).where(Schedule.id == schedule_id))
    return bool(getattr(result, "rowcount", 0))


def due_schedules(session: Session, now: datetime, limit: int = 100) -> list[tuple[int, datetime]]:
    """(id, next run) of the enabled schedules due at `now`, earliest first."""
    rows = session.execute(
        select(Schedule.id, Schedule.next_run_at)
        .where(Schedule.enabled.is_(True), Schedule.next_run_at.is_not(None),
               Schedule.next_run_at <= now)
        .order_by(Schedule.next_run_at, Schedule.id).limit(limit)).all()
    return [(int(r.id), r.next_run_at) for r in rows]


def claim_run(session: Session, schedule_id: int, seen: datetime, now: datetime) -> bool:
    """Take the run due at `seen`: move next_run_at to the first period after `now` only if it
    still says `seen` (compare-and-set). Of two schedulers that both saw the schedule due,
    exactly one gets True; commit at once so the other sees the move. Missed periods collapse
    into this one run, because the next one is counted from `now`. A recurrence with no
    period after this one is switched off with its reason (`schedules.error.never`, kept by
    `record_run`) rather than left on with no next run, never to run again unseen."""
    row = session.get(Schedule, schedule_id)
    if row is None:
        return False
    following = recurrence(row).next_after(now)
    changes: dict[str, Any] = {"next_run_at": following}
    if following is None:
        changes.update(enabled=False, last_error=NEVER)
    result = session.execute(
        update(Schedule)
        .where(Schedule.id == schedule_id, Schedule.enabled.is_(True),
               Schedule.next_run_at == seen)
        .values(**changes)
        .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0)) == 1


def record_run(session: Session, schedule_id: int, *, when: datetime, batch_id: int | None,
               error: str | None = None, detail: str | None = None) -> None:
    """What the last run did: the round it started, or why it started none. A schedule
    switched off because it never comes again keeps that reason after a run that started."""
    kept = case((Schedule.enabled.is_(False) & (Schedule.last_error == NEVER), NEVER),
                else_=None)
    session.execute(
        update(Schedule).where(Schedule.id == schedule_id).values(
            last_run_at=when, last_batch_id=batch_id,
            last_outcome="failed" if error else "started",
            last_error=error if error else kept, last_detail=detail[:2000] if detail else None)
        .execution_options(synchronize_session=False))


def round_sites(session: Session, row: Schedule) -> list[int]:
    """The sites a run of `row` scans: its own list, or those of its batch's latest round
    (empty if the batch has none yet)."""
    if row.site_ids is not None:
        return [int(i) for i in row.site_ids]
    latest = session.execute(select(Batch.id).where(Batch.name == row.name)
                             .order_by(Batch.round.desc()).limit(1)).scalar_one_or_none()
    if latest is None:
        return []
    return [int(i) for i in session.execute(
        select(Scan.site_id).where(Scan.batch_id == latest).order_by(Scan.id)).scalars()]


def batch_rounds(session: Session, batch_ids: Sequence[int]) -> dict[int, tuple[str, int]]:
    """(name, round) of each batch id, for showing a schedule's last round."""
    if not batch_ids:
        return {}
    rows = session.execute(select(Batch.id, Batch.name, Batch.round)
                           .where(Batch.id.in_(list(batch_ids)))).all()
    return {int(r.id): (str(r.name), int(r.round)) for r in rows}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


def token_name(session: Session, plaintext: str) -> str | None:
    """The name of a bearer token (who created a schedule), or None."""
    return session.execute(select(ApiToken.name).where(
        ApiToken.token_hash == _digest(plaintext))).scalar_one_or_none()


def session_token_name(session: Session, session_id: str) -> str | None:
    """The name of the token a dashboard session was opened with, or None."""
    return session.execute(
        select(ApiToken.name).join(DashboardSession, DashboardSession.token_id == ApiToken.id)
        .where(DashboardSession.session_hash == _digest(session_id))).scalar_one_or_none()
