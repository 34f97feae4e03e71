"""The local runner on SQLite, through the real CLI: a batch of fixture sites completes, an
unreachable site is recorded as failed, the ranking is printed, a re-run is round 2, an
interrupted round resumes, and the API's `submit_scans` runs scans in the background. The
scans replay recorded ones (tests/recorded.py): the runner is under test, not the browser."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from incli import IN_PROCESSES
from recorded import replay_scans

from .conftest import (
    BATCH_SITES,
    SCAN_ARGS,
    UNREACHABLE_NAME,
    BatchRun,
    closed_port_url,
    materialise_csv,
    replayed_env,
    round_scans,
    run_cli,
    sites_per_minute,
)


def test_local_batch_completes_and_ranks(local_batch: BatchRun, sites: Any) -> None:
    run = local_batch.first
    assert run.returncode == 0, run.stderr + run.stdout
    names = [sites.truth(s)["name"] for s in BATCH_SITES]
    scans = round_scans(local_batch.db_url, "audit", 1)
    assert set(scans) == {*names, UNREACHABLE_NAME}
    for name in names:
        assert scans[name]["status"] == "done", scans[name]
        assert scans[name]["score"] is not None and scans[name]["grade"]
        assert scans[name]["attempts"] == 1
    failed = scans[UNREACHABLE_NAME]
    assert failed["status"] == "failed" and failed["error_code"] == "connect"
    assert failed["batch_status"] == "done"
    # the ranking: every scored site, best first, with its dimensions; the failure listed
    out = run.stdout
    assert "audit · round 1 · ranking" in out
    ranked = [scans[n]["score"] for n in sorted(names, key=out.index)]
    assert ranked == sorted(ranked, reverse=True)
    for label in ("eld", "font", "con", "voi", "ads", "a11y"):
        assert f" {label}" in out.splitlines()[1]
    assert f"failed: {UNREACHABLE_NAME}" in out and "connect" in out
    assert "4 done, 1 failed of 5" in out
    print(f"\nlocal runner (2 at a time): {sites_per_minute(out):.1f} sites/min")
    # one line per site on stderr as each finishes; the artifacts are under the data dir
    assert run.stderr.count("done ") == 4 and f"FAILED {UNREACHABLE_NAME}" in run.stderr
    shots = list((local_batch.cwd / "data" / "scans").rglob("*.png"))
    assert len(shots) >= 4


def test_rerun_makes_round_two(local_batch: BatchRun, sites: Any) -> None:
    assert local_batch.first.returncode == 0
    second = run_cli(["batch", str(local_batch.file), "--name", "audit", "-q", *SCAN_ARGS],
                     local_batch.env, local_batch.cwd)
    assert second.returncode == 0, second.stderr
    # -q: nothing but the one-line summary
    assert second.stderr == ""
    assert second.stdout.splitlines() == [second.stdout.strip()]
    assert "batch audit round 2: 4 done, 1 failed of 5" in second.stdout
    one, two = (round_scans(local_batch.db_url, "audit", r) for r in (1, 2))
    assert set(one) == set(two)
    for name in one:
        assert one[name]["site_id"] == two[name]["site_id"]  # same sites, new scans
        assert one[name]["id"] != two[name]["id"]
        assert two[name]["status"] == one[name]["status"]


@pytest.mark.skipif(IN_PROCESSES, reason="the poll's interval is set in this process")
def test_a_local_round_ends_with_its_last_scan_not_at_the_next_poll(
        sites: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The watch polls the store every `every` seconds; a scan that ends wakes it, so with a
    poll a minute apart a one-site round still ends as soon as its scan does."""
    from elderscan.runner import batch

    monkeypatch.setitem(batch.watch.__kwdefaults__, "every", 60.0)
    env = replayed_env(sites, ["gov-good"], ELDERSCAN_DATA_DIR=str(tmp_path / "data"))
    file = materialise_csv(tmp_path / "one.csv", sites, ["gov-good"])
    run = run_cli(["batch", str(file), "--name", "one", "-q", *SCAN_ARGS], env, tmp_path,
                  timeout=30)  # the poll alone would take 60 s
    assert run.returncode == 0, run.stderr
    assert "batch one round 1: 1 done, 0 failed of 1" in run.stdout


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout)


def test_interrupted_round_resumes(sites: Any, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A round whose runner died mid-scan: the same command resumes it, takes over the scan
    the dead runner held, and leaves the finished one alone."""
    from elderscan.runner.batch import prepare_batch
    from elderscan.runner.batchfile import read_sites
    from elderscan.store import claim_scan, reset_engines, save_result, session_scope, upgrade

    data = tmp_path / "data"
    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(data))
    env = replayed_env(sites, ["gov-good"], ELDERSCAN_DATA_DIR=str(data))
    bad = closed_port_url()
    file = materialise_csv(tmp_path / "few.csv", sites, ["gov-good"],
                           [[UNREACHABLE_NAME, bad, "gov", "无"], ["第三", closed_port_url(),
                                                                   "other", ""]])
    upgrade()
    plan = prepare_batch(read_sites(file), "few", {"max_pages": 1})
    assert plan.round == 1 and len(plan.pending) == 3
    good, unreachable, third = plan.pending
    dead = f"local:{socket.gethostname()}:{_dead_pid()}@1"
    with session_scope() as session:
        assert claim_scan(session, unreachable, dead) is not None   # died while scanning
        assert claim_scan(session, third, "someone") is not None
    # the third one finished before the crash
    from elderscan.judge import failed_report

    with session_scope() as session:
        save_result(session, third, failed_report("x", "2026-11-24T08:00:00Z",
                                                  "2026-11-24T08:00:01Z", "dns", "gone",
                                                  "1", "1"))
    reset_engines()
    again = run_cli(["batch", str(file), "--name", "few", *SCAN_ARGS], env, tmp_path)
    assert again.returncode == 0, again.stderr + again.stdout
    assert "round 1: resuming, 2 of 3 sites left" in again.stderr
    scans = round_scans(f"sqlite:///{data / 'elderscan.db'}", "few", 1)
    by_id = {s["id"]: s for s in scans.values()}
    assert by_id[good]["status"] == "done" and by_id[good]["attempts"] == 1
    assert by_id[unreachable]["status"] == "failed"
    assert by_id[unreachable]["attempts"] == 2  # taken over from the dead runner
    assert by_id[unreachable]["worker"] != dead
    assert by_id[third]["attempts"] == 1 and by_id[third]["error_code"] == "dns"  # untouched
    # nothing left: --resume says so, and the next plain run is round 2
    done = run_cli(["batch", str(file), "--name", "few", "--resume"], env, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "elderscan: error: nothing to resume: batch 'few' has round 1 finished "
        "(leave out --resume to start a new round)"]


def test_live_holder_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan held by a live local runner (another process on this machine) is `busy`; once
    that process is gone it is taken over."""
    import psutil

    from elderscan.runner.task import local_worker_id, run_scan
    from elderscan.store import (
        claim_scan,
        enqueue_scan,
        get_scan,
        reset_engines,
        session_scope,
        upgrade,
        upsert_site,
    )

    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(tmp_path / "data"))
    replay_scans(monkeypatch, {})
    upgrade()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        start = int(psutil.Process(sleeper.pid).create_time())
        holder = f"local:{socket.gethostname()}:{sleeper.pid}@{start}"
        with session_scope() as session:
            site = upsert_site(session, "x", closed_port_url())
            scan_id = enqueue_scan(session, site).id
            assert claim_scan(session, scan_id, holder) is not None
        assert run_scan(scan_id, worker=local_worker_id()) == "busy"
    finally:
        sleeper.kill()
        sleeper.wait()
    assert run_scan(scan_id, worker=local_worker_id()) == "failed"  # taken over, recorded
    assert run_scan(scan_id, worker=local_worker_id()) == "skipped"  # finished: no work
    with session_scope() as session:
        scan = get_scan(session, scan_id)
        assert scan is not None and scan.attempts == 2 and scan.error_code == "connect"
    reset_engines()


def test_submit_scans_runs_in_background(sites: Any, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """What `elderscan serve` does without a broker: `submit_scans` returns at once and the
    scan runs on the process's local runner, with its options and progress in the store."""
    from elderscan.runner import dispatch
    from elderscan.store import (
        enqueue_scan,
        get_scan,
        reset_engines,
        session_scope,
        upgrade,
        upsert_site,
    )

    data = tmp_path / "data"
    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(data))
    monkeypatch.delenv("ELDERSCAN_BROKER_URL", raising=False)
    replay_scans(monkeypatch, {sites.url("gov-elder-link"): "gov-elder-link"})
    upgrade()
    with session_scope() as session:
        site = upsert_site(session, None, sites.url("gov-elder-link"))
        scan_id = enqueue_scan(session, site, options={
            "max_pages": 1, "settle_ms": 200, "probes": False, "chromium": "/nonexistent",
            "no_such_option": 1}).id
    started = time.monotonic()
    dispatch.submit_scans([scan_id, scan_id])
    assert time.monotonic() - started < 2
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with session_scope() as session:
                scan = get_scan(session, scan_id)
                assert scan is not None
                if scan.status in ("done", "failed"):
                    break
            time.sleep(0.5)
        assert scan.status == "done", (scan.error_code, scan.error_message)
        assert scan.attempts == 1
        assert scan.progress and scan.progress["pages_done"] >= 1
        assert scan.score_total is not None
        shots = [p["screenshot"] for p in scan.result["pages"] if p["screenshot"]]
        assert shots and all(s.startswith(f"scans/{scan_id}/") for s in shots)
        assert all((data / s).is_file() for s in shots)
    finally:
        dispatch.shutdown()
        reset_engines()
