"""Cancelling a round whose scans already sit in the broker: real PostgreSQL, real Redis and a
real `elderscan worker`. The worker starts only after the cancel, takes every message, and
starts none of the cancelled scans; a round queued after them runs as usual. Every site is
unreachable, so the worker's scans replay nothing (tests/recorded.py): no Chromium."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from elderscan.runner.celery_app import create_app as celery_app
from elderscan.runner.celery_app import enqueue
from elderscan.runner.config import RunnerSettings
from elderscan.runner.rounds import start_round
from elderscan.store import get_engine, session_scope, upsert_site
from elderscan.store.models import Scan
from elderscan.store.rounds import cancel_round, round_progress
from recorded import replay_env

from .conftest import Workers, cli_env, closed_port_url


def test_cancelled_scans_in_the_broker_never_start(pg_url: str, redis_url: str,
                                                   tmp_path: Path) -> None:
    queue = f"elderscan-cancel-{uuid.uuid4().hex[:8]}"
    app = celery_app(RunnerSettings(BROKER_URL=redis_url, QUEUE=queue))
    engine = get_engine(pg_url)
    with session_scope(engine) as session:
        ids = [upsert_site(session, f"停机 {i}", closed_port_url()).id for i in range(4)]
    submit = lambda scan_ids: enqueue(scan_ids, app)  # noqa: E731
    cancelled = start_round("cancel-me", ids[:3], {"max_pages": 1}, engine=engine,
                            submit=submit)
    with session_scope(engine) as session:
        assert cancel_round(session, cancelled.batch_id, "test") == 3
    after = start_round("after-cancel", ids[3:], {"max_pages": 1}, engine=engine,
                        submit=submit)

    env = replay_env({}, cli_env(ELDERSCAN_DATABASE_URL=pg_url, ELDERSCAN_BROKER_URL=redis_url,
                                 ELDERSCAN_QUEUE=queue, ELDERSCAN_DATA_DIR=str(tmp_path / "data")))
    workers = Workers(env, tmp_path)
    try:
        workers.start("w", concurrency=1)
        deadline = time.monotonic() + 180
        while True:
            with session_scope(engine) as session:
                if round_progress(session, after.batch_id).finished:
                    break
            assert time.monotonic() < deadline, "the round after the cancelled one never ran"
            time.sleep(0.5)
    finally:
        workers.stop_all()
    log = (tmp_path / "worker-w.log").read_text("utf-8", errors="replace")
    with session_scope(engine) as session:
        live = round_progress(session, cancelled.batch_id)
        scans = [session.get(Scan, i) for i in cancelled.scan_ids]
        ran = round_progress(session, after.batch_id)
    assert (live.status, live.cancelled, live.finished) == ("cancelled", 3, True)
    for scan in scans:
        assert scan is not None
        assert (scan.status, scan.error_code, scan.attempts, scan.started_at) == (
            "failed", "cancelled", 0, None), log[-2000:]
    assert ran.sites[0].status == "failed" and ran.sites[0].error_code == "connect", log[-2000:]
    # the worker did take the cancelled round's messages (it was FIFO, one at a time)
    assert log.count("elderscan.scan") >= 4, log[-3000:]

