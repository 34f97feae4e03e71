"""A scan whose store refuses writes when it ends: the last write (result or failure) is retried
until the store is back, so the scan never stays `running`; real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from elderscan.contract import ScanReport
from elderscan.errors import STORE_CODE
from elderscan.runner.config import RunnerSettings
from elderscan.runner.outcome import MAX_DELAY, StoreRefused, finish
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
from recorded import replay_scans
from storefault import RefusingStore

REPORT = Path(__file__).resolve().parents[1] / "store" / "data" / "gov-elder-link.json"
OUTAGE = 0.6
"""long enough for two refused writes (the first retries come after 0.25 and 0.5 s)"""


def _runner_store(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Name `url` as the runner's store in the environment, as a worker sees it."""
    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ELDERSCAN_DATABASE_URL", url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The runner's store on each backend, migrated."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
        upgrade(url)
    else:
        url = str(request.getfixturevalue("pg_url"))
    yield _runner_store(url, tmp_path, monkeypatch)
    reset_engines()


@pytest.fixture
def refusing(store_url: str) -> Iterator[RefusingStore]:
    store = RefusingStore(store_url)
    yield store
    store.close()


def _claimed(target: str = "https://www.example.gov.cn/") -> int:
    with session_scope() as session:
        scan_id = enqueue_scan(session, upsert_site(session, None, target)).id
        assert claim_scan(session, scan_id, "test") is not None
    return scan_id


def _scan(scan_id: int) -> Any:
    with session_scope() as session:
        return get_scan(session, scan_id)


def _back_after(store: RefusingStore, seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, store.accept)
    timer.start()
    return timer


def test_failure_is_written_once_the_store_is_back(refusing: RefusingStore) -> None:
    scan_id = _claimed()
    refusing.refuse("read-only")
    started = time.monotonic()
    _back_after(refusing, OUTAGE)
    outcome = asyncio.run(finish(scan_id, failure=("dns", "name not resolved"), retry_for=60))
    took = time.monotonic() - started
    assert outcome == "failed"
    assert OUTAGE <= took < OUTAGE + MAX_DELAY + 2
    scan = _scan(scan_id)
    assert (scan.status, scan.error_code, scan.error_message) == (
        "failed", "dns", "name not resolved")


def test_result_is_saved_once_the_store_is_back(refusing: RefusingStore) -> None:
    report = ScanReport.model_validate_json(REPORT.read_text("utf-8"))
    scan_id = _claimed(report.target)
    refusing.refuse("read-only")
    _back_after(refusing, OUTAGE)
    assert asyncio.run(finish(scan_id, report=report, retry_for=60)) == "done"
    scan = _scan(scan_id)
    assert scan.status == "done" and scan.score_total == report.score["total"]


def test_a_store_that_stays_unusable_leaves_the_scan_to_a_later_runner(
        refusing: RefusingStore) -> None:
    scan_id = _claimed()
    refusing.refuse("read-only")
    started = time.monotonic()
    with pytest.raises(StoreRefused, match="refused its outcome"):
        asyncio.run(finish(scan_id, failure=("dns", "x"), retry_for=1.0))
    assert 1.0 <= time.monotonic() - started < 3
    refusing.accept()
    assert _scan(scan_id).status == "running"


def test_full_disk_fails_the_scan_with_the_store_error(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """No room for the result, room for a one-row update: the scan fails at once, saying why.
    (SQLite only: `max_page_count` imitates a full disk; PostgreSQL has no such switch.)"""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(url)
    refusing = RefusingStore(_runner_store(url, tmp_path, monkeypatch))
    try:
        report = ScanReport.model_validate_json(REPORT.read_text("utf-8"))
        scan_id = _claimed(report.target)
        refusing.refuse("full")
        started = time.monotonic()
        assert asyncio.run(finish(scan_id, report=report, retry_for=60)) == "failed"
        assert time.monotonic() - started < 2
        scan = _scan(scan_id)
        assert scan.status == "failed" and scan.error_code == STORE_CODE
        assert "the result could not be stored" in scan.error_message
        assert "database or disk is full" in scan.error_message
    finally:
        refusing.close()
        reset_engines()


def _stalling_target(reached: threading.Event,
                     release: threading.Event) -> tuple[str, socket.socket]:
    """A site that accepts connections (setting `reached`) and holds them unanswered until
    `release`, then closes them: the scan is busy with it for as long as the test wants."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def hold(conn: socket.socket) -> None:
        release.wait(60)
        conn.close()

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            reached.set()
            threading.Thread(target=hold, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{server.getsockname()[1]}/", server


def test_run_scan_ends_failed_when_the_store_comes_back(
        refusing: RefusingStore, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """The whole runner path: the store turns read-only while the site is being scanned; the
    scan's failure is written as soon as writes work again, not left `running`. The site fails
    the crawl's HTTP fetch, before any page is captured: the browser is a replay of nothing."""
    replay_scans(monkeypatch, {})
    reached, release = threading.Event(), threading.Event()
    target, server = _stalling_target(reached, release)
    runner: threading.Thread | None = None
    try:
        with session_scope() as session:
            scan_id = enqueue_scan(session, upsert_site(session, None, target), options={
                "max_pages": 1, "probes": False, "guard_addresses": False}).id
        outcome: list[str] = []
        runner = threading.Thread(target=lambda: outcome.append(run_scan(
            scan_id, worker=local_worker_id(), config=RunnerSettings(STORE_RETRY_SECONDS=60))))
        runner.start()
        assert reached.wait(30), "the scan never reached the site"
        assert _scan(scan_id).status == "running"
        refusing.refuse("read-only")
        release.set()  # the site hangs up: the scan fails, and its failure cannot be written
        deadline = time.monotonic() + 30
        while "the store refuses writes" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "the store refuses writes" in caplog.text  # its write was refused
        time.sleep(OUTAGE)  # and refused again
        assert _scan(scan_id).status == "running" and not outcome and runner.is_alive()
        refusing.accept()
        back = time.monotonic()
        runner.join(30)
        assert outcome == ["failed"]
        assert time.monotonic() - back < MAX_DELAY + 1
        scan = _scan(scan_id)
        assert scan.status == "failed" and scan.error_code not in (None, "internal")
    finally:
        release.set()
        server.close()
        if runner is not None:  # a failed assertion must not leave the scan retrying, and
            refusing.accept()   # writing to a default store, after the test
            runner.join(30)
