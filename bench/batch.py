"""Batch mode: N small sites through `elderscan batch` by the local runner, by one Celery
worker and by two, in sites per minute (issue 6: "two Celery workers on this machine ≥ 1.6×
the sites/minute of one"); by one worker that launches a Chromium per site
(`ELDERSCAN_KEEP_BROWSERS=false`), the same-run baseline of the browser the runners keep; and
by one and two workers confined to a core each.

Sites. `bench.corpus.small_sites` writes N deterministic sites of `--pages` pages (portal-sized
pages, every link resolving). Each site is served by its own `SiteServer` on its own port,
not all from one server under per-site folders, because the pages link root-relative
(`/p/0001.html`, `/css/site.css`) and elderscan treats a site as an origin: the crawl stays on
the start page's origin, robots.txt and sitemap.xml are read per origin, the per-host limit is
per host:port, and the store tells sites apart by host and port. One port per site makes each
site a separate crawl, as 200 real portals would be.

Runs. Each run gets a fresh SQLite store in a temporary folder (`ELDERSCAN_DATA_DIR`, the
store's default) or, with `--postgres URL`, a fresh database on that PostgreSQL server
(created, migrated and dropped by the bench), the same batch file and the same scan options
(`--max-pages P`, `--set per_template=P` so all P pages are kept although they share one URL
template; every other setting at its default). The caller's `ELDERSCAN_*` settings are
removed for the bench's processes (the Chromium path aside), so a bench never writes to a real
store or broker.
- local runner: `elderscan batch FILE --concurrency 2`, no broker;
- Celery: `ELDERSCAN_BROKER_URL` set to a spare Redis database (db 13 by default,
  `ELDERSCAN_BENCH_REDIS` to change it), flushed before each run (the bench refuses a database
  holding anything but Celery's keys), then 1 or 2 `elderscan worker --concurrency 1` processes
  started and ready before the clock starts, and `elderscan batch FILE` (which enqueues,
  waits and prints the ranking) timed; the workers are stopped after the run (SIGTERM, then
  SIGKILL for anything left) and never outlive the bench.

Fairness. Every scan starts its own Chromium, and this machine has 2 cores. A worker is read as
one unit of capacity — one scan at a time — so "two workers ≥ 1.6× one" asks whether a second
worker on the same machine nearly doubles the rate: the runner must add little serial cost
(broker round trips, the SQLite writes that queue, the batch command's polling), and one scan
must leave room on the machine for a second. With the default `--concurrency 2` per worker, one
worker would already run two scans and two workers four, measuring oversubscription instead.
The local runner runs two scans at once, the same parallelism as two workers, so local vs two
workers is the cost of Celery itself.

A core each. The last two modes start one and two workers, each confined to a core of its own
(`os.sched_setaffinity`, inherited by the worker's pool process and its Chromium), as if each
worker were a one-core machine sharing the broker and the store. One unconfined worker already
keeps about 1.4 of the 2 cores busy, so on this machine a second unconfined worker can add
at most ~0.4× of one: that ratio reads the machine's cores, not the runner. Confined, the
ratio reads what the target is about — whether adding a worker (a machine) adds its capacity,
or the broker, the shared store and the batch command's polling hold it back. Both are
reported; neither replaces the other. The batch command, Redis and the sites' servers are not
confined, in both modes alike.

Measured per run: wall time of the batch command (for Celery from enqueue to the printed
ranking), so sites/min = sites / seconds × 60; CPU seconds of every process the run started
(workers included, their start-up excluded); peak memory of all of them together, sampled four
times a second (RSS summed and PSS). A run counts only if every site's scan is `done` with a
complete result and `--pages` pages captured; otherwise it is reported as failed, with why, and
its output (and the workers' logs) kept in `--out`.

Longer than 400 lines, a fifth of them this account of what is measured: the modes, a run and
its table share `Mode` and `Outcome`; the processes and stores a run starts are `workers.py`.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench import measure
from bench.corpus import small_sites
from bench.workers import (
    REDIS_URL,
    WORKER_CONCURRENCY,
    ChildrenPeak,
    Watchdog,
    Worker,
    clean_environ,
    cpu_now,
    flush,
    fresh_postgres,
    redis_client,
    safe_url,
    start_worker,
    stop_workers,
)
from elderscan.devserver import SiteServer
from elderscan.version import __version__

LOCAL_CONCURRENCY = 2
BATCH_NAME = "bench"
RATE = re.compile(r"(\d+) scanned in ([\d.]+) s = ([\d.]+) sites/min")


@dataclass(frozen=True)
class Mode:
    name: str
    workers: int
    """0: the local runner in the batch process."""
    concurrency: int
    """Scans at once: the batch command's `--concurrency` (local), or each worker's."""
    keep_browsers: bool = True
    """False: `ELDERSCAN_KEEP_BROWSERS=false`, a Chromium launched and closed per site."""
    core_each: bool = False
    """True: worker n and everything it starts (its Chromium too) confined to core n."""

    @property
    def key(self) -> str:
        key = "local" if self.workers == 0 else f"celery-{self.workers}"
        if self.core_each:
            key += "-core-each"
        return key if self.keep_browsers else f"{key}-per-site"


MODES = (
    Mode(f"local runner c{LOCAL_CONCURRENCY}", 0, LOCAL_CONCURRENCY),
    Mode(f"1 worker c{WORKER_CONCURRENCY}", 1, WORKER_CONCURRENCY),
    Mode(f"2 workers c{WORKER_CONCURRENCY}", 2, WORKER_CONCURRENCY),
    Mode(f"1 worker c{WORKER_CONCURRENCY}, a browser per site", 1, WORKER_CONCURRENCY,
         keep_browsers=False),
    Mode(f"1 worker c{WORKER_CONCURRENCY}, on one core", 1, WORKER_CONCURRENCY,
         core_each=True),
    Mode(f"2 workers c{WORKER_CONCURRENCY}, a core each", 2, WORKER_CONCURRENCY,
         core_each=True),
)
"""cN: N scans at once in the batch process (local runner) or in each worker. The fourth is
the baseline of kept browsers, measured in the same run; the last two confine each worker to a
core of its own, as if each were a one-core machine (the module's "A core each")."""


@dataclass
class Outcome:
    """One run of one mode: the measurements and what the store says about every site."""

    mode: str
    sites: int
    pages: int
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    peak_pss_mb: float = 0.0
    command_ok: bool = False
    """The batch command exited 0 within its time limit."""
    done: int = 0
    failed: int = 0
    partial: int = 0
    short: int = 0
    """Sites done with fewer standard-mode pages captured than asked for."""
    pages_captured: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    reported_sites_per_min: float | None = None
    """The batch command's own figure (it starts its clock after reading the file and
    preparing the round, and stops it before printing the ranking)."""
    problem: str = ""
    output: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def sites_per_min(self) -> float:
        return self.sites / self.seconds * 60 if self.seconds > 0 else 0.0

    def judge(self) -> None:
        """Set `problem` unless every site finished completely."""
        reasons = []
        if not self.command_ok:
            timed_out = "[timed out after" in self.output
            reasons.append("the batch command timed out" if timed_out
                           else "the batch command failed")
        unfinished = self.sites - self.done - self.failed
        if self.failed:
            codes = ", ".join(f"{code} ×{n}" for code, n in sorted(self.errors.items()))
            reasons.append(f"{self.failed} of {self.sites} sites failed ({codes})")
        if unfinished:
            reasons.append(f"{unfinished} of {self.sites} sites not finished")
        if self.partial:
            reasons.append(f"{self.partial} sites partial (pages failed)")
        if self.short:
            reasons.append(f"{self.short} sites captured fewer than {self.pages} pages")
        if reasons and not self.problem:
            self.problem = "; ".join(reasons)
        elif reasons:
            self.problem += "; " + "; ".join(reasons)

    def summary(self) -> dict[str, object]:
        data = asdict(self)
        del data["output"]
        return data | {"sites_per_min": round(self.sites_per_min, 2), "ok": self.ok}


# ----------------------------------------------------------------------------- the sites


@contextlib.contextmanager
def serve(folders: Sequence[Path]) -> Iterator[list[str]]:
    """One `SiteServer` per site folder, each on its own port; yields their start URLs."""
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(SiteServer(folder)).url for folder in folders]


def write_batch_file(path: Path, urls: Sequence[str]) -> Path:
    """The batch CSV (docs/batch.md): one row per site, a stable name per position."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "url", "category", "region"])
        for i, url in enumerate(urls):
            writer.writerow([f"bench-{i:03d}", url, "bank" if i % 5 == 4 else "gov", "bench"])
    return path


def _env(work: Path, broker: str | None, mode: Mode, db_url: str | None = None
         ) -> dict[str, str]:
    """The environment of a run's processes: its own store (a SQLite file in `work` unless
    `db_url`), the broker or none, and nothing of the caller's `ELDERSCAN_*` but the Chromium
    path."""
    data = work / "data"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ELDERSCAN_") or k == "ELDERSCAN_CHROMIUM"}
    env.update(PYTHONUNBUFFERED="1", ELDERSCAN_DATA_DIR=str(data),
               ELDERSCAN_LANG="en",  # the lines this parses are the English ones
               ELDERSCAN_DATABASE_URL=db_url or f"sqlite:///{data / 'elderscan.db'}")
    if broker:
        env["ELDERSCAN_BROKER_URL"] = broker
    env["ELDERSCAN_KEEP_BROWSERS"] = str(mode.keep_browsers).lower()
    return env


def batch_command(file: Path, pages: int, mode: Mode) -> list[str]:
    """The same scan options in every mode; only the local runner takes --concurrency (with a
    broker, each worker's own counts)."""
    cmd = [sys.executable, "-m", "elderscan", "batch", str(file), "--name", BATCH_NAME,
           "--max-pages", str(pages), "--set", f"per_template={pages}", "--quiet"]
    if mode.workers == 0:
        cmd += ["--concurrency", str(mode.concurrency)]
    return cmd


def read_store(outcome: Outcome, db_url: str) -> None:
    """Fill in how every site of the round ended, from the run's store."""
    from elderscan.store import make_engine, session_scope
    from elderscan.store.counts import scan_endings

    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            endings = scan_endings(session)
    finally:
        engine.dispose()
    errors: Counter[str] = Counter()
    for end in endings:
        if end.status == "done":
            outcome.done += 1
            outcome.pages_captured += end.standard_pages
            outcome.partial += end.result_status != "ok"
            outcome.short += end.standard_pages < outcome.pages
        elif end.status == "failed":
            outcome.failed += 1
            errors[end.error_code or "unknown"] += 1
    outcome.errors = dict(errors)


def run_mode(mode: Mode, file: Path, sites: int, pages: int, work: Path,
             redis_url: str = REDIS_URL, postgres: str | None = None) -> Outcome:
    """One run of `mode` on the sites in `file`, in the fresh folder `work`, with a fresh
    SQLite store there or, with `postgres` (a server's URL), a fresh database on it."""
    outcome = Outcome(mode.name, sites, pages)
    work.mkdir(parents=True, exist_ok=True)
    measure.become_subreaper()
    timeout = 600.0 + sites * pages * 30.0
    with contextlib.ExitStack() as stack:
        db_url = stack.enter_context(fresh_postgres(postgres, mode.key)) if postgres else None
        with clean_environ():
            if mode.workers == 0:
                sample = measure.run(batch_command(file, pages, mode),
                                     env=_env(work, None, mode, db_url), cwd=work,
                                     timeout=timeout)
                outcome.cpu_seconds = sample.cpu_seconds
                outcome.peak_rss_mb = sample.peak_rss_mb
                outcome.peak_pss_mb = sample.peak_pss_mb
            else:
                sample = _celery_run(mode, file, pages, work, redis_url, timeout, outcome,
                                     db_url)
        outcome.seconds = sample.seconds
        outcome.command_ok = sample.ok
        outcome.output = sample.output
        if rate := RATE.search(sample.output):
            outcome.reported_sites_per_min = float(rate.group(3))
        db = work / "data" / "elderscan.db"
        if db_url:
            read_store(outcome, db_url)
        elif db.is_file():
            read_store(outcome, f"sqlite:///{db}")
    outcome.judge()
    return outcome


def _celery_run(mode: Mode, file: Path, pages: int, work: Path, redis_url: str,
                timeout: float, outcome: Outcome, db_url: str | None = None
                ) -> measure.Sample:
    """Flush the broker database, start the workers, time the batch command, stop them."""
    client = redis_client(redis_url)
    try:
        flush(client, redis_url)
        env = _env(work, redis_url, mode, db_url)
        keep = measure.children()
        cpu_before = cpu_now()
        workers: list[Worker] = []
        try:
            for n in range(mode.workers):
                core = n % (os.cpu_count() or 1) if mode.core_each else None
                workers.append(start_worker(env, work, f"w{n + 1}", core))
            with ChildrenPeak() as peak, Watchdog(workers, str(file)) as watchdog:
                sample = measure.run(batch_command(file, pages, mode), env=env, cwd=work,
                                     timeout=timeout)
            outcome.peak_rss_mb, outcome.peak_pss_mb = peak.peak_rss_mb, peak.peak_pss_mb
            outcome.problem = watchdog.died
        finally:
            stop_workers(workers)
            measure.reap_orphans(keep)
        outcome.cpu_seconds = cpu_now() - cpu_before - sum(w.startup_cpu for w in workers)
        logs = "".join(f"\n--- {w.log.name} ---\n" + w.log.read_text("utf-8", "replace")
                       for w in workers)
        return measure.Sample(sample.seconds, sample.cpu_seconds, sample.peak_rss_mb,
                              sample.peak_pss_mb, sample.ok, sample.output + logs)
    finally:
        with contextlib.suppress(Exception):
            client.flushdb()
        client.close()


# ---------------------------------------------------------------------------- the bench


def _row(mode: Mode, outcomes: list[Outcome]) -> dict[str, object]:
    counted = [o for o in outcomes if o.ok]
    row: dict[str, object] = {"mode": mode.name, "key": mode.key, "runs": len(counted),
                              "failed_runs": len(outcomes) - len(counted)}
    if not counted:
        return row
    rates = [o.sites_per_min for o in counted]
    first = counted[0]
    return row | {
        "sites": first.sites, "pages_per_site": first.pages_captured / first.sites,
        "sites_per_min": statistics.median(rates), "sites_per_min_min": min(rates),
        "sites_per_min_max": max(rates),
        "seconds": statistics.median(o.seconds for o in counted),
        "cpu_s_per_site": statistics.median(o.cpu_seconds / o.sites for o in counted),
        "peak_rss_mb": max(o.peak_rss_mb for o in counted),
        "peak_pss_mb": max(o.peak_pss_mb for o in counted),
    }


def _ratios(rows: list[dict[str, object]]) -> dict[str, float | None]:
    rate = {str(r["key"]): float(str(r["sites_per_min"])) for r in rows if "sites_per_min" in r}
    for row in rows:
        value = rate.get(str(row["key"]))
        local, one = rate.get("local"), rate.get("celery-1")
        if str(row["key"]).endswith("-core-each"):  # against one worker on one core
            one = rate.get("celery-1-core-each")
        row["x_local"] = round(value / local, 3) if value and local else None
        row["x_one_worker"] = round(value / one, 3) if value and one else None
    two, one = rate.get("celery-2"), rate.get("celery-1")
    per_site = rate.get("celery-1-per-site")
    two_cores, one_core = rate.get("celery-2-core-each"), rate.get("celery-1-core-each")
    return {"two_workers_over_one": round(two / one, 3) if two and one else None,
            "two_workers_over_one_a_core_each": (round(two_cores / one_core, 3)
                                                 if two_cores and one_core else None),
            "kept_browser_over_per_site": (round(one / per_site, 3)
                                           if one and per_site else None),
            "two_workers_over_local": (round(two / rate["local"], 3)
                                       if two and rate.get("local") else None)}


def run(sites: int, pages: int, runs: int, seed: int, out: Path, console: Console,
        modes: Sequence[str] | None = None, postgres: str | None = None) -> Path:
    """Interleaved rounds of the modes (`modes`: their keys; all by default); the table and
    the JSON. With `postgres`, each run's store is a fresh database on that server."""
    chosen = [m for m in MODES if not modes or m.key in modes]
    unknown = sorted(set(modes or ()) - {m.key for m in MODES})
    if unknown:
        raise SystemExit(f"unknown mode {', '.join(unknown)}; the modes are "
                         f"{', '.join(m.key for m in MODES)}")
    redis_client(REDIS_URL).close()  # fail now, not after the local run
    if postgres:  # likewise
        try:
            with fresh_postgres(postgres, "check"):
                pass
        except Exception as exc:  # psycopg's or SQLAlchemy's, on a wrong URL or a server down
            raise SystemExit(f"bench: cannot create a database on {safe_url(postgres)} "
                             f"({' '.join(str(exc).split())[:300]})") from None
    root = Path(tempfile.gettempdir()) / f"elderscan-bench-sites-{pages}-{seed}"
    console.print(f"building {sites} sites of {pages} pages in {root} …", highlight=False)
    folders = small_sites(root, sites, pages, seed)
    out.mkdir(parents=True, exist_ok=True)
    outcomes: dict[str, list[Outcome]] = {m.key: [] for m in chosen}
    with serve(folders) as urls, tempfile.TemporaryDirectory(prefix="elderscan-batch-") as tmp:
        file = write_batch_file(Path(tmp) / "sites.csv", urls)
        for round_ in range(1, runs + 1):
            for mode in chosen:
                console.print(f"round {round_}/{runs}: {mode.name}, {sites} sites × {pages} "
                              "pages …", highlight=False)
                work = Path(tmp) / f"{mode.key}-{round_}"
                try:
                    outcome = run_mode(mode, file, sites, pages, work, postgres=postgres)
                except RuntimeError as exc:  # a worker that would not start
                    outcome = Outcome(mode.name, sites, pages, problem=str(exc).splitlines()[0],
                                      output=str(exc))
                outcomes[mode.key].append(outcome)
                if outcome.ok:
                    console.print(f"  {outcome.sites_per_min:.2f} sites/min "
                                  f"({outcome.seconds:.0f} s), "
                                  f"{outcome.cpu_seconds / sites:.2f} CPU s/site, "
                                  f"peak {outcome.peak_pss_mb:.0f} MB PSS", highlight=False)
                else:
                    log = out / f"failed-batch-{mode.key}-{round_}.log"
                    log.write_text(outcome.output, "utf-8")
                    console.print(f"  does not count: {outcome.problem}; output in {log}",
                                  highlight=False)
                shutil.rmtree(work, ignore_errors=True)
    rows = [_row(m, outcomes[m.key]) for m in chosen]
    ratios = _ratios(rows)
    _print(rows, ratios, console)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"batch-{stamp}.json"
    path.write_text(json.dumps({
        "kind": "batch", "when": stamp, "elderscan": __version__, "sites": sites,
        "pages": pages, "seed": seed, "runs": runs, "cores": os.cpu_count(),
        "redis": safe_url(REDIS_URL), "store": safe_url(postgres) if postgres else "sqlite",
        "local_concurrency": LOCAL_CONCURRENCY,
        "worker_concurrency": WORKER_CONCURRENCY,
        "command": " ".join(batch_command(Path("sites.csv"), pages, MODES[1])[1:]),
        "rows": rows, "ratios": ratios,
        "runs_detail": {k: [o.summary() for o in v] for k, v in outcomes.items()}},
        ensure_ascii=False, indent=2), "utf-8")
    console.print(f"written {path}")
    return path


def _fmt(value: object, spec: str) -> str:
    return "—" if value is None else format(float(str(value)), spec)


def _print(rows: list[dict[str, object]], ratios: dict[str, float | None],
           console: Console) -> None:
    table = Table(title="batch (median of runs; min–max)",
                  caption="cN: scans at once in the batch process, or in each worker")
    for column in ("mode", "sites", "pages/site", "sites/min", "peak RSS MB", "peak PSS MB",
                   "CPU s/site", "× local", "× 1 worker", "failed runs"):
        table.add_column(column, justify="left" if column == "mode" else "right",
                         no_wrap=column == "mode")
    for r in rows:
        if "sites_per_min" not in r:
            table.add_row(str(r["mode"]), *["—"] * 8, str(r["failed_runs"]))
            continue
        table.add_row(
            str(r["mode"]), str(r["sites"]), _fmt(r["pages_per_site"], ".1f"),
            f"{r['sites_per_min']:.2f}" if r["runs"] == 1 else
            f"{r['sites_per_min']:.2f} ({r['sites_per_min_min']:.2f}–"
            f"{r['sites_per_min_max']:.2f})",
            _fmt(r["peak_rss_mb"], ".0f"), _fmt(r["peak_pss_mb"], ".0f"),
            _fmt(r["cpu_s_per_site"], ".2f"), _fmt(r.get("x_local"), ".2f"),
            _fmt(r.get("x_one_worker"), ".2f"), str(r["failed_runs"]))
    # Not a terminal (a log file): wide enough that the figures are not cut to "1.…".
    (console if console.is_terminal else Console(file=console.file, width=150)).print(table)
    two = ratios["two_workers_over_one"]
    if {"celery-1", "celery-2"} <= {r["key"] for r in rows}:  # both modes were chosen
        console.print("two workers / one worker: "
                      + ("not measured (a run failed)" if two is None else
                         f"{two:.2f}× (target ≥ 1.6×: {'met' if two >= 1.6 else 'not met'})"),
                      highlight=False)
    core_each = ratios["two_workers_over_one_a_core_each"]
    if core_each is not None:
        console.print(f"two workers / one worker, a core each: {core_each:.2f}×",
                      highlight=False)
    kept = ratios["kept_browser_over_per_site"]
    if kept is not None:
        console.print(f"one worker, browser kept / a browser per site: {kept:.2f}×",
                      highlight=False)
