"""Batch audits: a list of sites → a round of scans in the store → run or enqueued → ranking.

A batch is a name; each run of it is a *round* (`create_batch`), so a site's score can be
followed round to round. The round's state is in the database, so a round that was
interrupted (Ctrl-C, a crash, a lost machine) is resumed by running the same command again: its
unfinished scans are run (or re-sent to the workers), its finished ones kept.

`elderscan batch` (in `runner/cli.py`) is a thin layer over `prepare_batch`, `run_local`,
`enqueue_batch`, `watch` and `ranking_table`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from elderscan.errors import UsageError
from elderscan.runner.batchfile import SiteRow
from elderscan.runner.config import RunnerSettings

RoundMode = Literal["auto", "new", "resume"]

DIMENSION_LABELS = {
    "elder_mode": "适老", "font": "字号", "contrast": "对比", "voice": "语音",
    "ads": "广告", "accessibility": "无障碍",
}


@dataclass(frozen=True)
class BatchPlan:
    """A round ready to run: which scans are left."""

    batch_id: int
    name: str
    round: int
    resumed: bool
    total: int
    pending: list[int]
    options: dict[str, Any]


def prepare_batch(rows: Sequence[SiteRow], name: str, options: dict[str, Any],
                  mode: RoundMode = "auto") -> BatchPlan:
    """Store the sites and start a round of `name`, or resume its unfinished last round.

    auto: resume the last round if it has unfinished scans, else start a new one; new: always
    a new round; resume: the unfinished last round, or UsageError. A resumed round keeps its
    own scan options, and gains any site of `rows` it did not have.
    """
    from sqlalchemy.exc import IntegrityError

    from elderscan.store import (
        create_batch,
        enqueue_scan,
        latest_batch,
        pending_scans,
        session_scope,
        upsert_site,
    )

    for attempt in range(3):
        try:
            with session_scope() as session:
                sites = [upsert_site(session, r.name, r.url, r.category, r.region,
                                     list(r.tags) if r.tags else None) for r in rows]
                last = latest_batch(session, name)
                unfinished = last is not None and last.status != "done"
                if mode == "resume" and not unfinished:
                    state = "no round yet" if last is None else f"round {last.round} finished"
                    raise UsageError(f"nothing to resume: batch {name!r} has {state} "
                                     "(leave out --resume to start a new round)")
                if last is not None and unfinished and mode != "new":
                    for site in sites:
                        enqueue_scan(session, site, last, options=dict(last.options or {}))
                    session.flush()
                    pending = pending_scans(session, last.id)
                    session.refresh(last)
                    return BatchPlan(last.id, last.name, last.round, True, last.total,
                                     pending, dict(last.options or {}))
                batch = create_batch(session, name, sites, options)
                return BatchPlan(batch.id, batch.name, batch.round, False, batch.total,
                                 pending_scans(session, batch.id), dict(options))
        except IntegrityError:
            if attempt == 2:
                raise
            time.sleep(0.2 * (attempt + 1))  # another process started the same round
    raise AssertionError("unreachable")  # pragma: no cover


# ----------------------------------------------------------------------------- progress


@dataclass
class Finished:
    scan_id: int
    name: str
    url: str
    status: str
    score: float | None
    grade: str | None
    error_code: str | None
    error_message: str | None


def _finished_since(batch_id: int, since: datetime | None) -> list[Finished]:
    from sqlalchemy import select

    from elderscan.store import Scan, Site, session_scope

    query = (select(Scan.id, Site.name, Site.url, Scan.status, Scan.score_total, Scan.grade,
                    Scan.error_code, Scan.error_message)
             .join(Site, Site.id == Scan.site_id)
             .where(Scan.batch_id == batch_id, Scan.status.in_(("done", "failed")))
             .order_by(Scan.finished_at, Scan.id))
    if since is not None:
        query = query.where(Scan.finished_at >= since)
    with session_scope() as session:
        return [Finished(*row) for row in session.execute(query).tuples()]


def stale_running(batch_id: int, older_than: float) -> list[int]:
    """Scans of the batch claimed more than `older_than` seconds ago and still running."""
    from sqlalchemy import select

    from elderscan.store import Scan, session_scope
    from elderscan.store.models import utcnow

    cutoff = utcnow() - timedelta(seconds=older_than)
    with session_scope() as session:
        return list(session.execute(
            select(Scan.id).where(Scan.batch_id == batch_id, Scan.status == "running",
                                  Scan.started_at < cutoff)).scalars())


def _progress(batch_id: int) -> Any:
    from elderscan.store import batch_progress, session_scope

    with session_scope() as session:
        return batch_progress(session, batch_id)


def watch(plan: BatchPlan, console: Console, *, finished: Callable[[], bool] | None = None,
          every: float = 1.0, tick: Callable[[Any], None] | None = None,
          show_bar: bool = True) -> Any:
    """Show the round's progress until it is done (or `finished()` says so); one line per
    site as it finishes. `tick(progress)` runs each poll (e.g. re-sending abandoned scans).
    Returns the final `BatchProgress`."""
    from elderscan.store.models import utcnow

    seen: set[int] = set()
    since: datetime | None = None
    columns = (TextColumn(f"[bold]{plan.name} #{plan.round}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=console, disable=not show_bar, transient=True) as bar:
        task = bar.add_task("", total=plan.total)
        while True:
            poll_started = utcnow()
            for row in _finished_since(plan.batch_id, since):
                if row.scan_id in seen:
                    continue
                seen.add(row.scan_id)
                console.print(_finished_line(row), highlight=False, soft_wrap=True)
            since = poll_started - timedelta(seconds=5)
            state = _progress(plan.batch_id)
            bar.update(task, total=state.total, completed=state.done + state.failed,
                       description=f"{state.running} running · {state.failed} failed")
            if state.queued + state.running == 0 or (finished is not None and finished()):
                # one more read, so every finished site has its line
                for row in _finished_since(plan.batch_id, since):
                    if row.scan_id not in seen:
                        seen.add(row.scan_id)
                        console.print(_finished_line(row), highlight=False, soft_wrap=True)
                return _progress(plan.batch_id)
            if tick is not None:
                tick(state)
            time.sleep(every)


def _finished_line(row: Finished) -> Any:
    from rich.text import Text

    if row.status == "done":
        score = "—" if row.score is None else f"{row.score:g}"
        return Text.assemble(("done   ", "green"), f"{row.name}  score {score}",
                             f" grade {row.grade}" if row.grade else "")
    message = f"{row.error_code}: {row.error_message}" if row.error_code else "failed"
    return Text.assemble(("FAILED ", "red"), f"{row.name} ({row.url}): {message}")


# ------------------------------------------------------------------------------ running


def run_local(plan: BatchPlan, console: Console, concurrency: int | None,
              config: RunnerSettings, show_bar: bool) -> Any:
    """Run the round's pending scans in this process, showing progress until it is done."""
    from elderscan.runner.local import LocalRunner

    runner = LocalRunner(concurrency, config=config).start()
    try:
        futures = runner.submit_many(plan.pending)

        def all_done() -> bool:
            return all(f.done() for f in futures)

        state = watch(plan, console, finished=all_done, show_bar=show_bar)
        for future in futures:
            if future.done() and not future.cancelled() and future.exception() is not None:
                raise future.exception()  # type: ignore[misc]
        return state
    finally:
        runner.stop()


def enqueue_batch(plan: BatchPlan) -> None:
    from elderscan.runner.celery_app import enqueue

    enqueue(plan.pending)


def wait_celery(plan: BatchPlan, console: Console, config: RunnerSettings,
                show_bar: bool) -> Any:
    """Watch a round the workers are running. Scans whose claim outlived the lease (their
    worker died and the task was lost with it) are sent again."""
    from elderscan.runner.celery_app import enqueue

    started = last_sweep = time.monotonic()
    first: tuple[int, int] | None = None
    hinted = False

    def sweep(state: Any) -> None:
        nonlocal last_sweep, first, hinted
        now = time.monotonic()
        first = first or (state.done + state.failed, state.running)
        if not hinted and now - started > 60 and state.running == 0 \
                and state.done + state.failed == first[0]:
            hinted = True
            console.print("no worker has taken a scan for a minute: is `elderscan worker` "
                          "running with the same ELDERSCAN_BROKER_URL and ELDERSCAN_QUEUE?",
                          markup=False, highlight=False, soft_wrap=True)
        if now - last_sweep < 60:
            return
        last_sweep = now
        stale = stale_running(plan.batch_id, config.lease)
        if stale:
            enqueue(stale)

    return watch(plan, console, tick=sweep, show_bar=show_bar)


# ------------------------------------------------------------------------------ ranking


def ranking_table(batch_id: int) -> tuple[Table, list[Finished], Any]:
    """The round's ranking (score, grade, dimensions), its failed sites, and its progress."""
    from elderscan.store import batch_progress, batch_ranking, session_scope

    with session_scope() as session:
        rows = [r for r in batch_ranking(session, batch_id) if r.status == "done"]
        state = batch_progress(session, batch_id)
    table = Table(title=f"{state.name} · round {state.round} · ranking", title_justify="left")
    for column in ("#", "site", "category", "region", "score", "grade"):
        table.add_column(column, justify="right" if column in ("#", "score") else "left",
                         overflow="fold")
    for label in DIMENSION_LABELS.values():
        table.add_column(label, justify="right")
    for row in rows:
        score = "—" if row.score_total is None else f"{row.score_total:g}"
        style = "" if row.passed is None else ("green" if row.passed else "red")
        table.add_row(
            "—" if row.rank is None else str(row.rank), row.name, row.category,
            row.region or "", f"[{style}]{score}[/{style}]" if style else score,
            row.grade or "—",
            *("—" if row.dimensions.get(d) is None else f"{row.dimensions[d]:g}"
              for d in DIMENSION_LABELS),
        )
    failed = [f for f in _finished_since(batch_id, None) if f.status == "failed"]
    return table, failed, state


def print_ranking(batch_id: int, console: Console) -> Any:
    table, failed, state = ranking_table(batch_id)
    console.print(table)
    for row in failed:
        console.print(f"failed: {row.name} ({row.url}): {row.error_code}: {row.error_message}",
                      markup=False, highlight=False, soft_wrap=True)
    return state
