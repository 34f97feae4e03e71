"""Celery for real: `elderscan worker` processes on Redis, results in a fresh PostgreSQL
database. A batch completes through the workers; a worker SIGKILLed mid-scan loses nothing
(another worker redoes its scan, and every site ends with exactly one completed scan in the
round); and the scores are the ones the local runner gets on SQLite. The workers' scans
replay recorded ones (tests/recorded.py); only the test of the browser a worker keeps runs
Chromium."""

from __future__ import annotations

import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

from .conftest import (
    BATCH_SITES,
    SCAN_ARGS,
    UNREACHABLE_NAME,
    BatchRun,
    Workers,
    cli_env,
    fixture_batch,
    materialise_csv,
    replayed_env,
    round_scans,
    run_cli,
    sites_per_minute,
)


@dataclass
class Cluster:
    cwd: Path
    env: dict[str, str]
    workers: Workers
    file: Path
    db_url: str


REPLAY_PACE = 2.0
"""seconds a replayed capture takes in the workers: a scan outlasts the command that enqueued
it, so the test can kill a worker mid-scan"""


def _cluster(env: dict[str, str], cwd: Path, file: Path, db_url: str,
             *workers: str) -> Iterator[Cluster]:
    started = Workers(env, cwd)
    try:
        started.start_all(*workers)
        yield Cluster(cwd, env, started, file, db_url)
    finally:
        started.stop_all()


def _cluster_settings(pg_url: str, redis_url: str, queue: str, cwd: Path) -> dict[str, str]:
    """Redis hands a dead worker's task on after 5 s (swept every second) instead of the
    default 10 minutes, so the test is quick. A scan that outlasts it (the one taken over after
    the SIGKILL often does, with the check that its holder is dead) is handed on while it runs:
    the new holder finds it busy and looks again later, as the setting promises, so a round
    still ends with one completed scan per site."""
    return {"ELDERSCAN_DATABASE_URL": pg_url, "ELDERSCAN_BROKER_URL": redis_url,
            "ELDERSCAN_QUEUE": queue, "ELDERSCAN_DATA_DIR": str(cwd / "data"),
            "ELDERSCAN_BROKER_VISIBILITY_TIMEOUT": "5",
            "ELDERSCAN_BROKER_RESTORE_INTERVAL": "1", "ELDERSCAN_SCAN_TIMEOUT": "120"}


@pytest.fixture(scope="module")
def cluster(pg_url: str, redis_url: str, queue_name: str, sites: Any,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two workers (one scan at a time each) whose scans replay recorded ones
    (tests/recorded.py): the real Redis and worker processes, no Chromium."""
    cwd = tmp_path_factory.mktemp("celery")
    env = replayed_env(sites, BATCH_SITES, REPLAY_PACE,
                       **_cluster_settings(pg_url, redis_url, queue_name, cwd))
    yield from _cluster(env, cwd, fixture_batch(cwd / "sites.csv", sites), pg_url,
                        "a", "b")


@pytest.fixture(scope="module")
def live_cluster(pg_url: str, redis_url: str, sites: Any,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """One worker with Chromium on a queue of its own, for the test of its kept browser."""
    cwd = tmp_path_factory.mktemp("celery-live")
    queue = f"elderscan-live-{uuid.uuid4().hex[:8]}"
    env = cli_env(**_cluster_settings(pg_url, redis_url, queue, cwd))
    yield from _cluster(env, cwd, materialise_csv(cwd / "sites.csv", sites, ["gov-good"]),
                        pg_url, "a")


@pytest.fixture(scope="module")
def celery_round1(cluster: Cluster) -> subprocess.CompletedProcess[str]:
    return run_cli(["batch", str(cluster.file), "--name", "fleet", *SCAN_ARGS], cluster.env,
                   cluster.cwd, timeout=400)


def test_batch_completes_through_workers(cluster: Cluster, celery_round1: Any,
                                         sites: Any) -> None:
    run = celery_round1
    assert run.returncode == 0, run.stderr + run.stdout
    assert "enqueued 5 scans" in run.stderr
    scans = round_scans(cluster.db_url, "fleet", 1)
    for name in (sites.truth(s)["name"] for s in BATCH_SITES):
        assert scans[name]["status"] == "done", scans[name]
        assert scans[name]["worker"].startswith("celery:")
    assert scans[UNREACHABLE_NAME]["status"] == "failed"
    assert scans[UNREACHABLE_NAME]["error_code"] == "connect"
    assert "fleet · round 1 · ranking" in run.stdout
    assert "4 done, 1 failed of 5" in run.stdout
    holders = {s["worker"].split(":")[1] for s in scans.values()}
    assert holders <= {w.hostname for w in cluster.workers.started.values()}
    print(f"\n2 Celery workers (1 scan each): {sites_per_minute(run.stdout):.1f} sites/min")


def _count_done(db_url: str, batch_name: str, round_: int) -> dict[int, tuple[int, int]]:
    """site id → (completed scans, all scans) in the round."""
    from sqlalchemy import case, func, select

    from elderscan.store import Batch, Scan, make_engine, session_scope

    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            rows = session.execute(
                select(Scan.site_id, func.sum(case((Scan.status == "done", 1), else_=0)),
                       func.count())
                .join(Batch, Batch.id == Scan.batch_id)
                .where(Batch.name == batch_name, Batch.round == round_)
                .group_by(Scan.site_id)).all()
            return {int(site): (int(done), int(total)) for site, done, total in rows}
    finally:
        engine.dispose()


def test_sigkilled_worker_loses_no_scan(cluster: Cluster, celery_round1: Any,
                                        sites: Any) -> None:
    assert celery_round1.returncode == 0
    enqueued = run_cli(["batch", str(cluster.file), "--name", "fleet", "--no-wait", *SCAN_ARGS],
                       cluster.env, cluster.cwd)
    assert enqueued.returncode == 0, enqueued.stderr
    assert "round 2: 5 sites" in enqueued.stderr and "enqueued 5 scans" in enqueued.stderr

    victim_worker = cluster.workers.started["a"]
    prefix = f"celery:{victim_worker.hostname}:"
    victim: dict[str, Any] | None = None
    deadline = time.monotonic() + 90
    while victim is None and time.monotonic() < deadline:
        for name, scan in round_scans(cluster.db_url, "fleet", 2).items():
            if scan["status"] == "running" and (scan["worker"] or "").startswith(prefix) \
                    and name != UNREACHABLE_NAME:
                victim = {"name": name, **scan}
        if victim is None:
            time.sleep(0.1)
    assert victim is not None, "worker a never started a scan"
    victim_worker.kill()  # the worker, its pool process and its browser, mid-scan
    at_kill = round_scans(cluster.db_url, "fleet", 2)[victim["name"]]
    assert at_kill["status"] == "running" and at_kill["worker"] == victim["worker"]
    cluster.workers.start("c")  # and a fresh one joins b

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        scans = round_scans(cluster.db_url, "fleet", 2)
        if all(s["status"] in ("done", "failed") for s in scans.values()):
            break
        time.sleep(1)
    else:
        pytest.fail(f"round 2 not finished: {scans}")

    names = [sites.truth(s)["name"] for s in BATCH_SITES]
    for name in names:
        assert scans[name]["status"] == "done", scans[name]
    assert scans[UNREACHABLE_NAME]["status"] == "failed"
    assert next(iter(scans.values()))["batch_status"] == "done"
    # exactly one completed scan per site in the round
    counts = _count_done(cluster.db_url, "fleet", 2)
    assert len(counts) == len(names) + 1
    site_of = {n: s["site_id"] for n, s in scans.items()}
    for name in names:
        assert counts[site_of[name]] == (1, 1), name
    assert counts[site_of[UNREACHABLE_NAME]] == (0, 1)
    # the killed scan was redone by another worker, and scores as before
    redone = scans[victim["name"]]
    assert redone["attempts"] >= 2
    assert not redone["worker"].startswith(prefix)
    first = round_scans(cluster.db_url, "fleet", 1)[victim["name"]]
    assert (redone["score"], redone["grade"], redone["dims"]) == \
        (first["score"], first["grade"], first["dims"])
    logs = "".join(w.log.read_text("utf-8", errors="replace")
                   for n, w in cluster.workers.started.items() if n != "a")
    assert f"taking over from {victim['worker']}" in logs
    # the round is finished: nothing to resume
    again = run_cli(["batch", str(cluster.file), "--name", "fleet", "--resume"], cluster.env,
                    cluster.cwd)
    assert again.returncode == 2 and "nothing to resume" in again.stderr


def test_same_scores_as_local_runner(cluster: Cluster, celery_round1: Any,
                                     local_batch: BatchRun) -> None:
    assert celery_round1.returncode == 0 and local_batch.first.returncode == 0
    distributed = round_scans(cluster.db_url, "fleet", 1)
    local = round_scans(local_batch.db_url, "audit", 1)
    assert set(distributed) == set(local)
    for name in local:
        a, b = local[name], distributed[name]
        assert (a["status"], a["score"], a["grade"], a["dims"]) == \
            (b["status"], b["score"], b["grade"], b["dims"]), name


@pytest.mark.browser
def test_workers_keep_their_browser_and_close_it_when_stopped(live_cluster: Cluster) -> None:
    """Between tasks a worker's pool process keeps Chromium (one launch per worker, not per
    site); a worker told to stop closes it rather than leave it behind. Live: the browser
    the workers keep is what is under test (a one-site round in a worker of its own)."""
    cluster = live_cluster
    celery_round1 = run_cli(["batch", str(cluster.file), "--name", "live", *SCAN_ARGS],
                            cluster.env, cluster.cwd, timeout=400)
    assert celery_round1.returncode == 0
    kept = {name: [p for p in worker.tree() if "chromium" in p.name()]
            for name, worker in cluster.workers.started.items() if worker.process.poll() is None}
    assert any(kept.values()), f"no idle worker holds a browser: {kept}"
    for name, browsers in kept.items():
        worker = cluster.workers.started[name]
        worker.process.send_signal(signal.SIGTERM)
        worker.process.wait(30)
        deadline = time.monotonic() + 10
        while any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in browsers) \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [p.pid for p in browsers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert not left, f"worker {name} left Chromium running: {left}"
        assert "could not close the kept browser" not in worker.log.read_text("utf-8")


def test_worker_without_broker_is_one_line(tmp_path: Path) -> None:
    run = run_cli(["worker"], cli_env(ELDERSCAN_DATA_DIR=str(tmp_path)), tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "elderscan: error: elderscan worker needs a broker: set ELDERSCAN_BROKER_URL "
        "(e.g. redis://127.0.0.1:6379/0)"]


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "elderscan: error: cannot reach the broker redis://127.0.0.1:{port}/0: "),
    ("zh", "elderscan：错误：无法连接消息队列 redis://127.0.0.1:{port}/0："),
])
def test_worker_with_dead_broker_is_one_line(tmp_path: Path, lang: str, said: str) -> None:
    from .conftest import closed_port_url

    port = closed_port_url().rsplit(":", 1)[1].strip("/")
    run = run_cli(["worker"], cli_env(ELDERSCAN_DATA_DIR=str(tmp_path), ELDERSCAN_LANG=lang,
                                      ELDERSCAN_BROKER_URL=f"redis://127.0.0.1:{port}/0"),
                  tmp_path, timeout=60)
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(said.format(port=port)), lines
