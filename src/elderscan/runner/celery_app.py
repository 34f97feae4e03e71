"""Celery: the distributed runner. `elderscan worker` consumes `elderscan.scan` tasks from the
Redis broker at `ELDERSCAN_BROKER_URL` and writes results to `ELDERSCAN_DATABASE_URL`.

Delivery guarantees, and how each one is kept:

- **acknowledged late** (`acks_late`, `task_reject_on_worker_lost`, prefetch 1): a task leaves
  the broker only after its scan was stored. A pool process killed mid-scan gets its task
  re-queued by its worker at once; a whole worker killed (SIGKILL, machine lost) leaves the task
  unacknowledged in Redis, which hands it to another worker after `visibility_timeout`
  (`ELDERSCAN_BROKER_VISIBILITY_TIMEOUT`, swept every `ELDERSCAN_BROKER_RESTORE_INTERVAL` s).
  A sweep holds a lock in Redis that a worker killed mid-sweep never releases: it expires
  after `restore_lock_seconds` (five sweeps, 5–60 s), not kombu's 300 s, which held up the
  redelivery of a killed worker's scan for five minutes in a test that killed it mid-sweep.
- **idempotent**: the task claims its scan (`claim_scan`); a scan already finished is not run
  again, so a duplicate delivery costs one query.
- **redone after a crash**: the redelivered task finds the scan `running` under the dead
  holder. It asks that holder's worker, by remote control, whether the holder process still runs
  the task; no answer, or not running it, means gone, and the scan is taken over at once. A
  live holder (the broker redelivered a long scan early) is left alone: the task re-checks
  later, and takes over only if the holder dies or its lease (`SCAN_TIMEOUT` +
  `SCAN_LEASE_GRACE`) runs out.
- **retries with backoff** for transient errors (database or browser unavailable):
  `TASK_RETRIES` times, `TASK_RETRY_BACKOFF` × 2ⁿ seconds apart, then the scan is failed.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from celery import Celery
from celery.signals import after_setup_logger, worker_process_init, worker_process_shutdown

from elderscan.runner.config import RunnerSettings, runner_settings
from elderscan.runner.task import (
    HolderCheck,
    TransientScanError,
    close_kept_browsers,
    give_up,
    local_holder_alive,
    run_scan,
    running_here,
)

log = logging.getLogger("elderscan.runner")

TASK_NAME = "elderscan.scan"
INSPECT_TIMEOUT = 3.0
MAX_BACKOFF = 600.0


def celery_worker_id(hostname: str, task_id: str) -> str:
    """`celery:<node name>:<pid>:<task id>` — what a Celery task writes as the scan's holder."""
    return f"celery:{hostname}:{os.getpid()}:{task_id}"


def celery_holder_alive(app: Any, own_hostname: str | None = None) -> HolderCheck:
    """A holder check that asks the holder's worker (remote control `inspect active`)."""

    def check(holder: str, scan_id: int) -> bool | None:
        if holder.startswith("local:"):
            return local_holder_alive(holder, scan_id)
        if not holder.startswith("celery:"):
            return None
        try:
            node, pid_text, task_id = holder[len("celery:"):].rsplit(":", 2)
            pid = int(pid_text)
        except ValueError:
            return None
        if node == own_hostname and pid == os.getpid():
            return running_here(scan_id)
        try:
            replies = app.control.inspect(destination=[node], timeout=INSPECT_TIMEOUT).active()
        except Exception as exc:  # the broker hiccuped: cannot tell
            log.warning("scan %s: cannot ask %s whether it runs it: %s", scan_id, node, exc)
            return None
        if not replies:
            return False
        for task in replies.get(node) or []:
            if task.get("worker_pid") != pid:
                continue
            args = task.get("args")
            if task.get("id") == task_id or (isinstance(args, list | tuple) and args
                                             and args[0] == scan_id):
                return True
        return False

    return check


def _scan_task(self: Any, scan_id: int, transient: int = 0) -> str:
    """The `elderscan.scan` task: run one stored scan (see the module docstring)."""
    cfg = runner_settings()
    hostname = str(self.request.hostname or "celery")
    worker = celery_worker_id(hostname, str(self.request.id))
    try:
        outcome = run_scan(scan_id, worker=worker, retry_transient=True, config=cfg,
                           holder_alive=celery_holder_alive(self.app, hostname))
    except TransientScanError as exc:
        if transient >= cfg.TASK_RETRIES:
            give_up(scan_id, exc.code, f"{exc.message} (gave up after {transient + 1} tries)")
            return "failed"
        delay = min(MAX_BACKOFF, cfg.TASK_RETRY_BACKOFF * 2 ** transient)
        log.warning("scan %s: %s; retry %d in %.0f s", scan_id, exc, transient + 1, delay)
        raise self.retry(args=[scan_id], kwargs={"transient": transient + 1},
                         countdown=delay) from exc
    if outcome == "busy":
        # Another live holder runs it: look again later (in time to take over if it dies).
        raise self.retry(args=[scan_id], kwargs={"transient": transient},
                         countdown=recheck_delay(cfg))
    return outcome


def recheck_delay(cfg: RunnerSettings) -> float:
    """Seconds before a task that found its scan busy asks again: well under the visibility
    timeout, so the waiting message is not itself redelivered meanwhile."""
    return max(1.0, min(60.0, cfg.visibility_timeout / 3))


def restore_lock_seconds(cfg: RunnerSettings) -> int:
    """How long the sweep's lock outlives a worker that died holding it: five sweeps (a sweep
    restores at most 10 tasks, in milliseconds), within 5–60 s."""
    return int(max(5.0, min(60.0, cfg.BROKER_RESTORE_INTERVAL * 5)))


def create_app(config: RunnerSettings | None = None) -> Any:
    """A Celery app for `config.BROKER_URL` with the `elderscan.scan` task registered."""
    cfg = config or runner_settings()
    app = Celery("elderscan", broker=cfg.BROKER_URL, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_default_queue=cfg.QUEUE,
        task_time_limit=int(cfg.lease + 60),
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": cfg.visibility_timeout,
            "unacked_restore_interval": cfg.BROKER_RESTORE_INTERVAL,
            "unacked_restore_throttle": 1,
            "unacked_mutex_expire": restore_lock_seconds(cfg),
        },
        worker_max_tasks_per_child=200,
        worker_hijack_root_logger=True,
        enable_utc=True,
    )
    app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True,
             max_retries=None, ignore_result=True)(_scan_task)
    return app


_app: Any = None
_app_lock = threading.Lock()


def get_app() -> Any:
    """This process's Celery app (built from the environment on first use)."""
    global _app
    with _app_lock:
        if _app is None:
            _app = create_app()
        return _app


def forget_app() -> None:
    """Drop this process's app, so the next use builds one from the environment as it is then
    (the tests run many commands, each with its own broker, in one process)."""
    global _app
    with _app_lock:
        if _app is not None:
            _app.close()
        _app = None


def enqueue(scan_ids: list[int], app: Any = None) -> None:
    """Send one `elderscan.scan` task per scan id (over one broker connection)."""
    app = app or get_app()
    queue = app.conf.task_default_queue
    with app.producer_or_acquire() as producer:
        for scan_id in scan_ids:
            app.send_task(TASK_NAME, args=[int(scan_id)], queue=queue, producer=producer)


def _after_fork(**_: Any) -> None:
    """A pool process must not share the parent's database connections."""
    from elderscan.store import reset_engines

    reset_engines(close=False)


def _before_exit(**_: Any) -> None:
    """A pool process closes the browser it kept between tasks."""
    try:
        close_kept_browsers()
    except Exception as exc:  # exiting anyway: Chromium ends with its pipe
        log.warning("could not close the kept browser: %s", exc)


def _quiet_loggers(**_: Any) -> None:
    """One log line per task, not one per HTTP request of the crawler."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


worker_process_init.connect(_after_fork, weak=False)
worker_process_shutdown.connect(_before_exit, weak=False)
after_setup_logger.connect(_quiet_loggers, weak=False)


def __getattr__(name: str) -> Any:
    """`celery -A elderscan.runner.celery_app worker` finds `app`."""
    if name == "app":
        return get_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
