"""Where stored scans go to run: Celery when a broker is configured, else this process.

    from elderscan.runner.dispatch import submit_scans
    submit_scans([scan.id])          # returns at once; progress and results are in the store

With `ELDERSCAN_BROKER_URL` set, one `elderscan.scan` task per id goes to the broker for
`elderscan worker`. Without it, the scans run on this process's shared local runner (a
background thread, `ELDERSCAN_RUNNER_CONCURRENCY` scans at a time) — what `elderscan serve`
uses. Submitting a scan twice is harmless either way.
"""

from __future__ import annotations

import threading

from elderscan.runner.config import runner_settings
from elderscan.runner.local import LocalRunner

_runner: LocalRunner | None = None
_runner_lock = threading.Lock()


def local_runner() -> LocalRunner:
    """This process's shared local runner, started on first use."""
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = LocalRunner().start()
        return _runner


def uses_broker() -> bool:
    return bool(runner_settings().BROKER_URL)


def submit_scans(scan_ids: list[int]) -> None:
    """Run these stored scans soon: enqueue them to Celery, or start them locally."""
    ids = list(dict.fromkeys(int(i) for i in scan_ids))
    if not ids:
        return
    if uses_broker():
        from elderscan.runner.celery_app import enqueue

        enqueue(ids)
        return
    local_runner().submit_many(ids)


def shutdown() -> None:
    """Stop the shared local runner (scans it was running stay `running` and are taken over
    by the next runner once this process has exited)."""
    global _runner
    with _runner_lock:
        runner, _runner = _runner, None
    if runner is not None:
        runner.stop()
