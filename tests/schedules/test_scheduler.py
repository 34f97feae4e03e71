"""The scheduler against a real store: due runs start once, missed periods collapse into one
run after a restart, two schedulers racing on PostgreSQL start exactly one round."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, update
from tests.schedules.conftest import Recorder

from elderscan.recurrence import Recurrence
from elderscan.schedules.scheduler import Scheduler, run_schedule, tick
from elderscan.store import create_batch, make_engine, session_scope, upsert_site
from elderscan.store.models import Batch, Scan, Schedule
from elderscan.store.schedules import claim_run, create_schedule, due_schedules, update_schedule

T0 = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 11:00 Beijing


def _sites(engine: Engine, count: int = 2) -> list[int]:
    with session_scope(engine) as session:
        return [upsert_site(session, f"站点{i}", f"https://s{i}.example.gov.cn/", "gov").id
                for i in range(count)]


def _schedule(engine: Engine, name: str = "省级政府", site_ids: list[int] | None = None,
              now: datetime = T0, **rule: object) -> int:
    with session_scope(engine) as session:
        return create_schedule(session, name=name, site_ids=site_ids, now=now,
                               rule=Recurrence(**{"kind": "daily", "at": "08:00", **rule}),
                               created_by="tester").id  # type: ignore[arg-type]


def _rounds(engine: Engine, name: str) -> list[int]:
    with session_scope(engine) as session:
        return list(session.execute(select(Batch.round).where(Batch.name == name)
                                    .order_by(Batch.round)).scalars())


def _row(engine: Engine, schedule_id: int) -> Schedule:
    with session_scope(engine) as session:
        row = session.get(Schedule, schedule_id)
        assert row is not None
        session.expunge(row)
        return row


def test_a_due_schedule_starts_one_round_and_moves_on(engine: Engine,
                                                      recorder: Recorder) -> None:
    sites = _sites(engine)
    schedule_id = _schedule(engine, site_ids=sites)
    first = _row(engine, schedule_id).next_run_at
    assert first == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 08:00 Beijing next day
    assert tick(engine, submit=recorder, now=first - timedelta(seconds=1)) == []
    outcomes = tick(engine, submit=recorder, now=first + timedelta(seconds=5))
    assert [o.error for o in outcomes] == [None]
    assert _rounds(engine, "省级政府") == [1]
    assert len(recorder.calls) == 1 and len(recorder.calls[0]) == 2
    row = _row(engine, schedule_id)
    assert row.next_run_at == datetime(2026, 12, 3, 0, 0, tzinfo=UTC)
    assert (row.last_outcome, row.last_batch_id, row.last_run_at) == (
        "started", outcomes[0].batch_id, first + timedelta(seconds=5))
    # the same moment again: nothing is due any more
    assert tick(engine, submit=recorder, now=first + timedelta(seconds=6)) == []
    assert _rounds(engine, "省级政府") == [1]


def test_missed_while_stopped_runs_once_after_restart(db_url: str,
                                                      recorder: Recorder) -> None:
    """The schedule came due ten times while no scheduler ran; a new scheduler on the same
    database (fresh engine, nothing in memory) starts one round, not ten, and counts the next
    run from now."""
    before = make_engine(db_url)
    sites = _sites(before)
    schedule_id = _schedule(before, site_ids=sites)
    before.dispose()  # the old process is gone
    ten_days_later = datetime(2026, 12, 11, 5, 0, tzinfo=UTC)  # 13:00 Beijing
    after = make_engine(db_url)
    try:
        outcomes = tick(after, submit=recorder, now=ten_days_later)
        assert len(outcomes) == 1 and outcomes[0].error is None
        assert tick(after, submit=recorder, now=ten_days_later + timedelta(minutes=1)) == []
        assert _rounds(after, "省级政府") == [1]
        assert _row(after, schedule_id).next_run_at == datetime(2026, 12, 12, 0, 0, tzinfo=UTC)
    finally:
        after.dispose()


def test_the_sites_of_the_batchs_latest_round(engine: Engine, recorder: Recorder) -> None:
    sites = _sites(engine, 3)
    with session_scope(engine) as session:
        create_batch(session, "银行网站", sites[:2])
    schedule_id = _schedule(engine, name="银行网站")
    outcome = run_schedule(engine, schedule_id, submit=recorder, now=T0)
    assert outcome is not None and outcome.error is None
    assert _rounds(engine, "银行网站") == [1, 2]
    with session_scope(engine) as session:
        scanned = set(session.execute(select(Scan.site_id).where(
            Scan.batch_id == outcome.batch_id)).scalars())
    assert scanned == set(sites[:2])
    # "run now" leaves the next scheduled run as it was
    assert _row(engine, schedule_id).next_run_at == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)


def test_a_run_that_cannot_start_is_recorded_with_its_reason(engine: Engine,
                                                             recorder: Recorder) -> None:
    schedule_id = _schedule(engine, name="还没有检测过")
    outcome = run_schedule(engine, schedule_id, submit=recorder, now=T0)
    assert outcome is not None and outcome.error == "schedules.error.no_sites"
    row = _row(engine, schedule_id)
    assert (row.last_outcome, row.last_error) == ("failed", "schedules.error.no_sites")
    # a runner that refuses the scans: the round exists, its scans are failed, the run says so
    sites = _sites(engine)
    with session_scope(engine) as session:
        update_schedule(session, session.get(Schedule, schedule_id), {"site_ids": sites},
                        now=T0)  # type: ignore[arg-type]
    recorder.fail = ConnectionError("broker away")
    outcome = run_schedule(engine, schedule_id, submit=recorder, now=T0)
    assert outcome is not None and outcome.error == "schedules.error.dispatch"
    with session_scope(engine) as session:
        states = set(session.execute(select(Scan.status).where(
            Scan.batch_id == outcome.batch_id)).scalars())
    assert states == {"failed"}
    assert _row(engine, schedule_id).last_detail == "broker away"


def test_a_disabled_schedule_is_never_due(engine: Engine, recorder: Recorder) -> None:
    schedule_id = _schedule(engine, site_ids=_sites(engine))
    with session_scope(engine) as session:
        update_schedule(session, session.get(Schedule, schedule_id), {"enabled": False},
                        now=T0)  # type: ignore[arg-type]
    assert tick(engine, submit=recorder, now=T0 + timedelta(days=30)) == []
    # switched on again, it runs at the next period from then, not for the month it was off
    later = T0 + timedelta(days=30)
    with session_scope(engine) as session:
        update_schedule(session, session.get(Schedule, schedule_id), {"enabled": True},
                        now=later)  # type: ignore[arg-type]
    assert _row(engine, schedule_id).next_run_at == datetime(2027, 1, 1, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_two_schedulers_racing_claim_each_run_once(db_url: str, recorder: Recorder) -> None:
    """Both schedulers read the same due run, then claim it at the same instant: the
    compare-and-set lets exactly one of them through."""
    engines = [make_engine(db_url), make_engine(db_url)]
    try:
        schedule_id = _schedule(engines[0], site_ids=_sites(engines[0]))
        now = datetime(2026, 12, 2, 0, 1, tzinfo=UTC)
        with session_scope(engines[0]) as session:
            (due,) = due_schedules(session, now)
        barrier = threading.Barrier(2)
        won: list[bool] = []

        def claim(engine: Engine) -> None:
            with session_scope(engine) as session:
                barrier.wait()
                won.append(claim_run(session, schedule_id, due[1], now))

        threads = [threading.Thread(target=claim, args=(e,)) for e in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(won) == [False, True]
    finally:
        for engine in engines:
            engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_two_scheduler_loops_start_each_round_exactly_once(db_url: str,
                                                           recorder: Recorder) -> None:
    """Two running schedulers (two engines, two threads, ticking as fast as they can) over
    thirty due schedules: thirty rounds, one per schedule."""
    setup = make_engine(db_url)
    sites = _sites(setup)
    names = [f"批次{i:02d}" for i in range(30)]
    for name in names:
        _schedule(setup, name=name, site_ids=sites)
    with session_scope(setup) as session:  # all due a minute ago
        session.execute(update(Schedule).values(
            next_run_at=datetime.now(UTC) - timedelta(minutes=1)))
    schedulers = [Scheduler(make_engine(db_url), submit=recorder, interval=0.01)
                  for _ in range(2)]
    for scheduler in schedulers:
        scheduler.start()
    try:
        deadline = datetime.now(UTC) + timedelta(seconds=30)
        while datetime.now(UTC) < deadline:
            with session_scope(setup) as session:
                if session.execute(select(func.count()).select_from(Batch)).scalar() >= 30:
                    break
        threading.Event().wait(0.5)  # give a double start the chance to happen
    finally:
        for scheduler in schedulers:
            scheduler.stop()
            scheduler.engine.dispose()
    with session_scope(setup) as session:
        rounds = session.execute(select(Batch.name, func.count()).group_by(Batch.name)).all()
    setup.dispose()
    assert sorted(rounds) == [(name, 1) for name in names]
    assert len(recorder.calls) == 30
