"""The processes and stores a batch bench run starts and always cleans up: Celery workers
(started ready, stopped warm then killed, watched for an early exit), the memory of every tree
the run started, the bench's own Redis database and a PostgreSQL database per run. Apart from
`batch.py` so that the run's logic reads on its own."""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from elderscan.memory import Sampler, tree_memory

REDIS_URL = os.environ.get("ELDERSCAN_BENCH_REDIS", "redis://127.0.0.1:6379/13")
"""A Redis database of the bench's own: it is flushed before every Celery run."""
WORKER_CONCURRENCY = 1
WORKER_READY_SECONDS = 90.0
CELERY_KEYS = re.compile(r"_kombu\..*|unacked.*|elderscan.*|celery.*|.*\.pidbox")
"""Keys Celery and kombu leave in a broker database; anything else belongs to someone."""


# ---------------------------------------------------------------------------- processes


@contextlib.contextmanager
def clean_environ() -> Iterator[None]:
    """This process's environment without the caller's `ELDERSCAN_*` settings (the Chromium
    path aside) while the runs are made: `measure.run` adds to the environment and cannot
    remove from it, and a bench must not scan into someone's real store or broker."""
    saved = {k: v for k, v in os.environ.items()
             if k.startswith("ELDERSCAN_") and k != "ELDERSCAN_CHROMIUM"}
    for key in saved:
        del os.environ[key]
    try:
        yield
    finally:
        os.environ.update(saved)


def cpu_now() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a live process tree (with the children it has reaped)."""
    total = 0.0
    with contextlib.suppress(psutil.Error):
        root = psutil.Process(pid)
        for proc in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                t = proc.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
    return total


class ChildrenPeak(Sampler):
    """Peak memory of every process tree this process started, summed at each sample: the
    batch command and the workers together, which `measure.run` (one tree) cannot see."""

    def __init__(self, interval: float = 0.25) -> None:
        super().__init__()
        self.peak_rss_mb = 0.0
        self.peak_pss_mb = 0.0
        self._interval = interval

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self._interval):
            rss = pss = 0.0
            # One walk of the process table a sample (each `children()` reads every process's
            # /proc entry, which on a busy machine costs more than the memory reads).
            with contextlib.suppress(psutil.Error):
                for member in me.children(recursive=True):
                    r, p = tree_memory(member, children=False)
                    rss += r
                    pss += p
            self.peak_rss_mb = max(self.peak_rss_mb, rss)
            self.peak_pss_mb = max(self.peak_pss_mb, pss)


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path
    startup_cpu: float = 0.0

    def tree(self) -> list[psutil.Process]:
        with contextlib.suppress(psutil.Error):
            main = psutil.Process(self.process.pid)
            return [main, *main.children(recursive=True)]
        return []


def start_worker(env: dict[str, str], cwd: Path, label: str, core: int | None = None) -> Worker:
    """An `elderscan worker --concurrency 1`, returned once Celery says it is ready; with
    `core`, confined to that core. The affinity is set as soon as the process exists, while it
    is still one thread starting Python, so the pool process and every Chromium it forks
    inherit it (a `preexec_fn` would do the same, but is unsafe in a process with threads)."""
    log = cwd / f"worker-{label}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "elderscan", "worker", "--concurrency",
             str(WORKER_CONCURRENCY), "--loglevel", "info",
             "--hostname", f"bench-{label}-{uuid.uuid4().hex[:6]}@%h"],
            env=env, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    if core is not None:
        os.sched_setaffinity(process.pid, {core})
    worker = Worker(process, log)
    deadline = time.monotonic() + WORKER_READY_SECONDS
    while time.monotonic() < deadline:
        if " ready." in log.read_text("utf-8", errors="replace"):
            worker.startup_cpu = _tree_cpu(process.pid)
            return worker
        if process.poll() is not None:
            break
        time.sleep(0.2)
    stop_workers([worker])
    tail = log.read_text("utf-8", errors="replace")[-2000:]
    raise RuntimeError(f"worker {label} did not become ready (exit {process.returncode}):\n"
                       f"{tail}")


def stop_workers(workers: Sequence[Worker], timeout: float = 30.0) -> None:
    """Warm shutdown (SIGTERM), then SIGKILL for whatever of their trees is left."""
    trees = {id(w): w.tree() for w in workers}
    for worker in workers:
        if worker.process.poll() is None:
            with contextlib.suppress(OSError):
                worker.process.send_signal(signal.SIGTERM)
    for worker in workers:
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(timeout)
        for proc in [*trees[id(worker)], *worker.tree()]:
            with contextlib.suppress(psutil.Error):
                if proc.is_running():
                    proc.kill()
        with contextlib.suppress(OSError):
            os.killpg(worker.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(10)


class Watchdog(Sampler):
    """Ends the batch command if a worker exits during the run: with no worker left the
    command would wait until its timeout, and a run that lost a worker does not count."""

    def __init__(self, workers: Sequence[Worker], marker: str) -> None:
        super().__init__()
        self.died = ""
        self._workers = workers
        self._marker = marker

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            dead = [w for w in self._workers if w.process.poll() is not None]
            if not dead:
                continue
            self.died = (f"worker exited during the run (exit {dead[0].process.returncode}, "
                         f"log {dead[0].log.name})")
            ours = {w.process.pid for w in self._workers}
            with contextlib.suppress(psutil.Error):
                for child in psutil.Process().children():
                    with contextlib.suppress(psutil.Error):
                        if child.pid not in ours and self._marker in child.cmdline():
                            child.terminate()
            return


# -------------------------------------------------------------------------------- Redis


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages and the JSON."""
    from kombu.utils.url import maybe_sanitize_url

    return str(maybe_sanitize_url(url))


def redis_client(url: str) -> Any:
    """A client for the bench's Redis database, or SystemExit with one line if it does not
    answer."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise SystemExit(f"bench: Redis is not answering at {safe_url(url)} "
                         f"({' '.join(str(exc).split())}); start it or set "
                         "ELDERSCAN_BENCH_REDIS") from None
    return client


def flush(client: Any, url: str) -> None:
    """Empty the bench's Redis database, unless it holds anything Celery did not put there."""
    foreign = [k for k in client.scan_iter(count=1000)
               if not CELERY_KEYS.fullmatch(k.decode("utf-8", "replace"))]
    if foreign:
        raise SystemExit(f"bench: {safe_url(url)} holds other data (e.g. {foreign[0]!r}); set "
                         "ELDERSCAN_BENCH_REDIS to a spare database")
    client.flushdb()


@contextlib.contextmanager
def fresh_postgres(server: str, label: str) -> Iterator[str]:
    """A new PostgreSQL database on `server` (any database URL there whose user may create
    databases), migrated to head, for one run; dropped afterwards."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    from elderscan.store import reset_engines
    from elderscan.store.migrate import upgrade

    base = make_url(server).set(drivername="postgresql+psycopg")
    name = f"elderscan_bench_{label.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(host=base.host or "127.0.0.1", port=base.port or 5432,
                            user=base.username, password=base.password,
                            dbname=base.database or "postgres", autocommit=True,
                            connect_timeout=10)
    try:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = base.set(database=name).render_as_string(hide_password=False)
        try:
            upgrade(url)
            yield url
        finally:
            reset_engines()
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
    finally:
        admin.close()
