"""Runner fixtures: batch files of the fixture sites, a fresh PostgreSQL database, Redis, and
real `elderscan worker` processes.

PostgreSQL (127.0.0.1:5432, trust auth, database `test`) and Redis (127.0.0.1:6379) must
answer; CI starts them (scripts/test-services.sh). If one does not, the tests that need it FAIL
with a message saying so — they are never skipped.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import pytest

from incli import elderscan
from store.conftest import fresh_pg_database

ROOT = Path(__file__).resolve().parents[2]
BATCHES = ROOT / "fixtures" / "batches"
PLACEHOLDER = re.compile(r"\{fixture:([a-z0-9-]+)\}")

REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 11

BATCH_SITES = ("gov-good", "bank-good", "gov-poor", "gov-fonts")
"""The fixture batch: four sites, plus one unreachable address appended last."""
UNREACHABLE_NAME = "不可达示例"
SCAN_ARGS = ["--max-pages", "1", "--set", "settle_ms=1000", "--set", "probes=false",
             "--set", "load_timeout=8", "--set", "page_timeout=30"]
"""Small, fast scans: one page (and its elder-mode capture), no focus/zoom probes; the settle
time is past gov-poor's 300 ms pop-up, so the scores do not depend on timing."""


_HELD: list[socket.socket] = []


def closed_port_url() -> str:
    """An address nothing listens on: connection refused at once. The port stays bound, not
    listening, for the rest of the test process, so no other test's server is given it: let go
    at once, it was, once in a full run, and the "unreachable" site answered."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    _HELD.append(sock)
    return f"http://127.0.0.1:{sock.getsockname()[1]}/"


def materialise_csv(dest: Path, farm: Any, only: Sequence[str],
                    extra: Sequence[Sequence[str]] = ()) -> Path:
    """fixtures/batches/sites.csv with the `only` sites (in that order), placeholders replaced
    by their local server URLs, and `extra` rows appended."""
    with (BATCHES / "sites.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    by_site = {}
    for row in body:
        match = PLACEHOLDER.fullmatch(row[1])
        assert match, f"fixtures/batches/sites.csv: {row}"
        by_site[match.group(1)] = row
    with dest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for name in only:
            row = list(by_site[name])
            row[1] = farm.url(name)
            writer.writerow(row)
        writer.writerows(extra)
    return dest


def materialise_yaml(dest: Path, farm: Any) -> Path:
    text = (BATCHES / "sites.yaml").read_text("utf-8")
    dest.write_text(PLACEHOLDER.sub(lambda m: farm.url(m.group(1)), text), "utf-8")
    return dest


def fixture_batch(dest: Path, farm: Any) -> Path:
    """The test batch file: BATCH_SITES and one unreachable site."""
    return materialise_csv(dest, farm, BATCH_SITES,
                           [[UNREACHABLE_NAME, closed_port_url(), "gov", "无"]])


# ----------------------------------------------------------------------------- the CLI


def cli_env(**settings: str) -> dict[str, str]:
    """This environment without ELDERSCAN_* (the browser path aside), plus `settings`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ELDERSCAN_") or k == "ELDERSCAN_CHROMIUM"}
    env["PYTHONUNBUFFERED"] = "1"
    env["ELDERSCAN_LANG"] = "en"  # the lines asserted are the English ones
    env.update(settings)
    return env


def replayed_env(farm: Any, names: Sequence[str], pace: float = 0,
                 **settings: str) -> dict[str, str]:
    """`cli_env(**settings)` for a command or worker whose scans replay the recordings of the
    fixture sites `names` served by `farm` (tests/recorded.py), each capture taking `pace`
    seconds: no Chromium."""
    from recorded import replay_env

    return replay_env({farm.url(name): name for name in names}, cli_env(**settings), pace)


def run_cli(args: Sequence[str], env: dict[str, str], cwd: Path,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return elderscan(args, env, cwd=cwd, timeout=timeout)


RATE = re.compile(r"(\d+) scanned in ([\d.]+) s = ([\d.]+) sites/min")


def sites_per_minute(stdout: str) -> float:
    match = RATE.search(stdout)
    assert match, stdout
    return float(match.group(3))


# ------------------------------------------------------------------------------ services


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A new, uniquely named PostgreSQL database at the newest schema; dropped at the end."""
    from elderscan.store import upgrade

    with fresh_pg_database("elderscan_runner") as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not answering at {REDIS_HOST}:{REDIS_PORT} ({exc}) — start it "
                    "(CI's scripts/test-services.sh does).", pytrace=False)
    yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
    client.close()


@pytest.fixture(scope="session")
def queue_name(redis_url: str) -> Iterator[str]:
    """A queue of this session's own, deleted at the end."""
    import redis

    name = f"elderscan-test-{uuid.uuid4().hex[:8]}"
    yield name
    client = redis.Redis.from_url(redis_url)
    client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
    client.close()


# ------------------------------------------------------------------------------- workers


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    hostname: str

    def tree(self) -> list[psutil.Process]:
        try:
            main = psutil.Process(self.process.pid)
            return [main, *main.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kill(self) -> None:
        """SIGKILL the worker and everything it started (pool processes, browsers) at once:
        as if its machine had died."""
        for proc in self.tree():
            with contextlib.suppress(psutil.Error):
                proc.send_signal(signal.SIGKILL)
        self.process.wait(10)


@dataclass
class Workers:
    env: dict[str, str]
    cwd: Path
    started: dict[str, Worker] = field(default_factory=dict)

    def start(self, name: str, concurrency: int = 1) -> Worker:
        return self._ready(self._launch(name, concurrency))

    def start_all(self, *names: str) -> None:
        """Several workers started side by side (each takes seconds to import and connect),
        then waited for."""
        for worker in [self._launch(name, 1) for name in names]:
            self._ready(worker)

    def _launch(self, name: str, concurrency: int) -> Worker:
        hostname = f"{name}-{uuid.uuid4().hex[:6]}@%h"
        log = self.cwd / f"worker-{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "elderscan", "worker", "--concurrency", str(concurrency),
                 "--loglevel", "info", "--hostname", hostname],
                env=self.env, cwd=self.cwd, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        worker = Worker(name, process, log, hostname.replace("%h", socket.gethostname()))
        self.started[name] = worker
        return worker

    def _ready(self, worker: Worker) -> Worker:
        name, process, log = worker.name, worker.process, worker.log
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            text = log.read_text("utf-8", errors="replace")
            if " ready." in text:
                return worker
            if process.poll() is not None:
                pytest.fail(f"worker {name} exited with {process.returncode}:\n{text[-3000:]}",
                            pytrace=False)
            time.sleep(0.2)
        pytest.fail(f"worker {name} not ready after 90 s:\n{log.read_text()[-3000:]}",
                    pytrace=False)

    def stop_all(self) -> None:
        """Every worker is told to stop before any is waited for: each warm shutdown takes
        seconds, and one after the other they held a test process idle ~5 s a cluster."""
        trees = {name: worker.tree() for name, worker in self.started.items()}
        for worker in self.started.values():
            if worker.process.poll() is None:
                worker.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for name, worker in self.started.items():
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(max(0.0, deadline - time.monotonic()))
            for proc in trees[name]:
                with contextlib.suppress(psutil.Error):
                    if proc.is_running():
                        proc.send_signal(signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(10)


# ----------------------------------------------------------------------------- results


def round_scans(db_url: str, name: str, round_: int) -> dict[str, dict[str, Any]]:
    """Every scan of round `round_` of batch `name`, by site name."""
    from sqlalchemy import select

    from elderscan.dimensions import DIMENSIONS
    from elderscan.store import Batch, Scan, Site, make_engine, session_scope

    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            batch = session.execute(select(Batch).where(
                Batch.name == name, Batch.round == round_)).scalar_one()
            rows = session.execute(select(Site.name, Scan).join(Scan, Scan.site_id == Site.id)
                                   .where(Scan.batch_id == batch.id)).all()
            return {site: {"id": scan.id, "site_id": scan.site_id, "status": scan.status,
                           "score": scan.score_total, "grade": scan.grade,
                           "dims": {d: getattr(scan, f"score_{d}") for d in DIMENSIONS},
                           "attempts": scan.attempts, "worker": scan.worker,
                           "error_code": scan.error_code, "batch_status": batch.status}
                    for site, scan in rows}
    finally:
        engine.dispose()


@dataclass
class BatchRun:
    cwd: Path
    env: dict[str, str]
    db_url: str
    file: Path
    first: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def local_batch(sites: Any, tmp_path_factory: pytest.TempPathFactory) -> BatchRun:
    """Round 1 of the fixture batch through the local runner, on SQLite (the default store);
    the scans replay their recordings."""
    cwd = tmp_path_factory.mktemp("local-batch")
    env = replayed_env(sites, BATCH_SITES, ELDERSCAN_DATA_DIR=str(cwd / "data"))
    file = fixture_batch(cwd / "sites.csv", sites)
    first = run_cli(["batch", str(file), "--name", "audit", *SCAN_ARGS], env, cwd)
    return BatchRun(cwd, env, f"sqlite:///{cwd / 'data' / 'elderscan.db'}", file, first)
