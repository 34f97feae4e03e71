"""The scheduler: start the rounds that are due, as the store says, and nothing twice.

Each tick reads the due schedules from the database, claims each run with a compare-and-set
on `next_run_at` (committed before the round starts), then starts the round through
`rounds.start_round` and records the outcome. Because the state is all in the store, a
restarted scheduler picks up what came due while it was down (once, however many periods it
missed), and any number of schedulers — an `elderscan serve` thread on each of two hosts, an
`elderscan scheduler` process — can run against one database: a run is started by whichever
claims it first.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from elderscan.errors import first_line
from elderscan.recurrence import RecurrenceError
from elderscan.runner.rounds import guarded
from elderscan.schedules.rounds import RoundRefused, RoundStarted, Submit, start_round
from elderscan.settings import load_settings
from elderscan.store.db import session_scope
from elderscan.store.models import utcnow
from elderscan.store.schedule_runs import Claim, claim_manual_run
from elderscan.store.schedules import (
    claim_run,
    due_schedules,
    get_schedule,
    record_run,
    round_sites,
)

log = logging.getLogger("elderscan.schedules")
DEFAULT_INTERVAL = 30.0
"""Seconds between two looks at the store: a run starts at most this late."""


def configured_interval() -> float:
    """`ELDERSCAN_SCHEDULER_INTERVAL` seconds (1 to 3600), default 30."""
    raw = os.environ.get("ELDERSCAN_SCHEDULER_INTERVAL", "").strip()
    try:
        value = float(raw) if raw else DEFAULT_INTERVAL
    except ValueError:
        value = DEFAULT_INTERVAL
    return min(3600.0, max(1.0, value))


@dataclass(frozen=True)
class RunOutcome:
    schedule_id: int
    batch_id: int | None
    error: str | None = None
    """A catalogue key (`schedules.error.*`) when no round was started."""


def run_schedule(engine: Engine, schedule_id: int, *, submit: Submit | None = None,
                 now: datetime | None = None, allow_hosts: Sequence[str] | None = None,
                 manual: bool = False) -> RunOutcome | None:
    """Start one round of a schedule now and record it as the last run (its next run is
    left as it was); None if there is no such schedule. The API's "run now" and the
    scheduler's due runs both come here, and both scan behind the address guard with the
    service's allow-list (`allow_hosts`, else ELDERSCAN_ALLOW_HOSTS), whatever was stored.
    A `manual` run (a person's "run now") is refused (`hardening.schedule.busy`, nothing
    recorded) while the schedule's last round is queued or running or another run is being
    started: a double click starts one round."""
    now = now or utcnow()
    if allow_hosts is None:
        allow_hosts = load_settings().ALLOW_HOSTS
    if manual:
        with session_scope(engine) as session:
            claim = claim_manual_run(session, schedule_id, now)
        if claim is Claim.MISSING:
            return None
        if claim is Claim.BUSY:
            return RunOutcome(schedule_id, None, "hardening.schedule.busy")
    with session_scope(engine) as session:
        row = get_schedule(session, schedule_id)
        if row is None:
            return None
        name, options = row.name, guarded(row.options, allow_hosts)
        site_ids = round_sites(session, row)
    batch_id: int | None = None
    error: str | None = None
    detail: str | None = None
    try:
        started: RoundStarted = start_round(engine, name, site_ids, options, submit)
        batch_id = started.batch_id
    except RoundRefused as exc:
        batch_id, error, detail = exc.batch_id, exc.key, str(exc)
    except Exception as exc:  # the store or the runner broke: record it, keep scheduling
        log.exception("schedule %s: cannot start a round", schedule_id)
        error, detail = "schedules.error.internal", first_line(exc)
    with session_scope(engine) as session:
        record_run(session, schedule_id, when=now, batch_id=batch_id, error=error,
                   detail=detail)
    if error:
        log.warning("schedule %s (%s): no round started: %s", schedule_id, name, detail)
    else:
        log.info("schedule %s (%s): started batch %s", schedule_id, name, batch_id)
    return RunOutcome(schedule_id, batch_id, error)


def tick(engine: Engine, *, submit: Submit | None = None,
         now: datetime | None = None) -> list[RunOutcome]:
    """Start every run due at `now` that this caller manages to claim."""
    now = now or utcnow()
    with session_scope(engine) as session:
        due = due_schedules(session, now)
    outcomes: list[RunOutcome] = []
    for schedule_id, seen in due:
        try:
            with session_scope(engine) as session:
                claimed = claim_run(session, schedule_id, seen, now)
        except RecurrenceError:
            log.exception("schedule %s: its recurrence cannot be run", schedule_id)
            continue
        if not claimed:
            continue  # another scheduler took it, or it was changed meanwhile
        outcome = run_schedule(engine, schedule_id, submit=submit, now=now)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


class Scheduler:
    """`tick` every `interval` seconds on a daemon thread until `stop()`."""

    def __init__(self, engine: Engine, *, submit: Submit | None = None,
                 interval: float = DEFAULT_INTERVAL) -> None:
        self.engine = engine
        self.submit = submit
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Scheduler:
        self._thread = threading.Thread(target=self.run, name="elderscan-scheduler",
                                        daemon=True)
        self._thread.start()
        return self

    def run(self) -> None:
        """Tick until stopped; a failing tick (the store away) is logged and retried."""
        while not self._stop.is_set():
            try:
                tick(self.engine, submit=self.submit)
            except Exception:
                log.exception("scheduler: this look at the schedules failed; trying again")
            self._stop.wait(self.interval)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)


def start_beside_serve(engine: Engine) -> Scheduler:
    """The scheduler thread of `elderscan serve` (one line on stderr says it runs)."""
    import sys

    from elderscan.i18n import text
    from elderscan.terminal_lang import terminal_lang

    every = configured_interval()
    print(text("schedules.cli.serve", terminal_lang(), seconds=f"{every:g}"), file=sys.stderr)
    return Scheduler(engine, interval=every).start()
