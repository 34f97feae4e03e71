"""Batch audits: a list of sites → a round of scans in the store → run or enqueued → ranking.

A batch is a name; each run of it is a *round* (`create_batch`), so a site's score can be
followed round to round. The round's state is in the database, so a round that was
interrupted (Ctrl-C, a crash, a lost machine) is resumed by running the same command again: its
unfinished scans are run (or re-sent to the workers), its finished ones kept.

`elderscan batch` (in `cli/batch.py`) is a thin layer over `prepare_batch`, `run_local`,
`enqueue_batch`, `watch` and `ranking_table`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from elderscan.errors import UsageError
from elderscan.i18n import Lang
from elderscan.runner.batchfile import SiteRow
from elderscan.runner.config import RunnerSettings
from elderscan.runner.rankingtext import ranking_lines, shorten
from elderscan.terminal_lang import phase_text, reason_text, say

if TYPE_CHECKING:
    from elderscan.store.running import Finished

RoundMode = Literal["auto", "new", "resume"]

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
                    state = say("err.resume_no_round") if last is None else \
                        say("err.resume_finished", round=last.round)
                    raise UsageError(say("err.nothing_to_resume", name=repr(name), state=state))
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


def _finished_since(batch_id: int, since: datetime | None) -> list[Finished]:
    from elderscan.store import session_scope
    from elderscan.store.running import finished_since

    with session_scope() as session:
        return finished_since(session, batch_id, since)


def stale_running(batch_id: int, older_than: float) -> list[int]:
    """Scans of the batch claimed more than `older_than` seconds ago and still running."""
    from elderscan.store import session_scope
    from elderscan.store.running import stale_running as stale

    with session_scope() as session:
        return stale(session, batch_id, older_than)


def _progress(batch_id: int) -> Any:
    from elderscan.store import batch_progress, session_scope

    with session_scope() as session:
        return batch_progress(session, batch_id)


def _running(batch_id: int) -> list[Any]:
    from elderscan.store import session_scope
    from elderscan.store.running import running_scans

    with session_scope() as session:
        return running_scans(session, batch_id)


SITE_COLUMNS = 16
"""A site's name in the progress bar is shortened to this many terminal columns."""


def _site_phase(running: Any, lang: Lang) -> str:
    """`某市人民政府: loading pages 3/10`, `…: trying elder mode`."""
    progress = running.progress
    phase = progress.get("phase") or "loading"
    if phase == "loading" and progress.get("pages_done") is not None:
        label = say("batch.pages", lang, phase=say("phase.loading", lang),
                    done=progress.get("pages_done"), total=progress.get("pages_total"))
    else:
        label = phase_text(phase, progress.get("probe"), lang)
    return say("batch.running", lang, site=shorten(running.site, SITE_COLUMNS), phase=label)


def now_running(batch_id: int, lang: Lang) -> str:
    """The bar's description: the site in progress (the longest running) and its phase."""
    running = _running(batch_id)
    if not running:
        return say("batch.idle", lang)
    text = _site_phase(running[0], lang)
    if len(running) > 1:
        text += " · " + say("batch.more", lang, count=len(running) - 1)
    return text


def watch(plan: BatchPlan, console: Console, *, finished: Callable[[], bool] | None = None,
          every: float = 1.0, tick: Callable[[Any], None] | None = None,
          pause: Callable[[float], object] = time.sleep,
          show_bar: bool = True, lang: Lang = "zh") -> Any:
    """Show the round's progress until it is done (or `finished()` says so): sites done of
    all, the site in progress and its phase; one line per site as it finishes.
    `tick(progress)` runs each poll (e.g. re-sending abandoned scans); `pause(every)` waits
    between polls, and may return early when something finished.
    Returns the final `BatchProgress`."""
    from elderscan.store.models import utcnow

    seen: set[int] = set()
    since: datetime | None = None
    title = escape(say("batch.bar", lang, name=plan.name, round=plan.round))
    columns = (SpinnerColumn(), TextColumn(f"[bold]{title}"), BarColumn(bar_width=16),
               MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=console, disable=not show_bar, transient=True) as bar:
        task = bar.add_task("", total=plan.total)
        while True:
            poll_started = utcnow()
            for row in _finished_since(plan.batch_id, since):
                if row.scan_id in seen:
                    continue
                seen.add(row.scan_id)
                console.print(_finished_line(row, lang), highlight=False, soft_wrap=True)
            since = poll_started - timedelta(seconds=5)
            state = _progress(plan.batch_id)
            description = now_running(plan.batch_id, lang) if show_bar else ""
            # the bar, the count and the clock keep their room: the description gives way
            description = shorten(description, max(16, console.width - 45))
            bar.update(task, total=state.total, completed=state.done + state.failed,
                       description=escape(description))
            if state.queued + state.running == 0 or (finished is not None and finished()):
                # One more read, so every finished site has its line and the bar its last
                # count: the last scan may have ended after `state` was read.
                final = _progress(plan.batch_id)
                bar.update(task, total=final.total, completed=final.done + final.failed)
                for row in _finished_since(plan.batch_id, since):
                    if row.scan_id not in seen:
                        seen.add(row.scan_id)
                        console.print(_finished_line(row, lang), highlight=False,
                                      soft_wrap=True)
                return final
            if tick is not None:
                tick(state)
            pause(every)


def _failure(row: Finished, lang: Lang) -> str:
    return reason_text(row.error_code, row.error_message, lang)


def _finished_line(row: Finished, lang: Lang = "zh") -> Any:
    if row.status == "done":
        score = "—" if row.score is None else f"{row.score:g}"
        grade = say("batch.grade", lang, grade=row.grade) if row.grade else ""
        return Text.assemble((say("batch.done", lang) + " ", "green"),
                             say("batch.done_line", lang, site=row.name, score=score,
                                 grade=grade))
    return Text.assemble((say("failed", lang) + " ", "red"),
                         say("batch.failed_line", lang, site=row.name, url=row.url,
                             message=_failure(row, lang)))


# ------------------------------------------------------------------------------ running


def run_local(plan: BatchPlan, console: Console, concurrency: int | None,
              config: RunnerSettings, show_bar: bool, lang: Lang = "zh") -> Any:
    """Run the round's pending scans in this process, showing progress until it is done."""
    from elderscan.runner.local import LocalRunner

    runner = LocalRunner(concurrency, config=config).start()
    try:
        futures = runner.submit_many(plan.pending)

        def all_done() -> bool:
            return all(f.done() for f in futures)

        # A scan that ends wakes the watch: its line, and the round's end, show at once rather
        # than at the next second's poll (a round of fast sites waited up to 1 s for nothing).
        ended = threading.Event()
        for future in futures:
            future.add_done_callback(lambda _: ended.set())

        def pause(seconds: float) -> None:
            ended.wait(seconds)
            ended.clear()

        state = watch(plan, console, finished=all_done, pause=pause, show_bar=show_bar,
                      lang=lang)
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
                show_bar: bool, lang: Lang = "zh") -> Any:
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
            console.print(say("batch.no_worker", lang), markup=False, highlight=False,
                          soft_wrap=True)
        if now - last_sweep < 60:
            return
        last_sweep = now
        stale = stale_running(plan.batch_id, config.lease)
        if stale:
            enqueue(stale)

    return watch(plan, console, tick=sweep, show_bar=show_bar, lang=lang)


# ------------------------------------------------------------------------------ ranking


def ranking_lines_of(batch_id: int, lang: Lang, width: int) -> tuple[list[Text], list[Finished],
                                                                      Any]:
    """The round's ranking as lines fitting `width`, its failed sites, and its progress."""
    from elderscan.store import batch_progress, batch_ranking, session_scope

    with session_scope() as session:
        rows = [r for r in batch_ranking(session, batch_id) if r.status == "done"]
        state = batch_progress(session, batch_id)
    title = say("rank.title", lang, name=state.name, round=state.round)
    lines = ranking_lines(rows, title, lang, width)
    failed = [f for f in _finished_since(batch_id, None) if f.status == "failed"]
    return lines, failed, state


def print_ranking(batch_id: int, console: Console, lang: Lang = "zh",
                  quiet: bool = False) -> Any:
    """The ranking, the legend of its column names, and each failed site with its reason;
    `quiet` prints nothing and only returns the progress."""
    lines, failed, state = ranking_lines_of(batch_id, lang, console.width)
    if quiet:
        return state
    for line in lines:
        console.print(line, no_wrap=True, overflow="ignore", crop=False)
    console.print(say("rank.legend", lang), markup=False, highlight=False)
    for row in failed:
        console.print(say("batch.failed_after", lang, site=row.name, url=row.url,
                          message=_failure(row, lang)),
                      markup=False, highlight=False)  # wrapped at the width, like the table
    return state
