"""`elderscan batch`: audit a list of sites, a round of scans run here or enqueued for the
workers, then the ranking.

Heavy imports (SQLAlchemy, Celery) happen inside the command, so `elderscan scan` does not pay
for them.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from elderscan.cli.console import err, line
from elderscan.cli.exits import broker_name
from elderscan.cli.options import Debug, LangOpt, check_lang
from elderscan.cli.store import ensure_schema
from elderscan.errors import UsageError
from elderscan.i18n import Lang
from elderscan.terminal_lang import say, terminal_lang


def _out() -> Console:
    """Standard output as wide as the terminal (COLUMNS when it is not one), 80 at least
    when the width is unknown: the ranking fits it, names shortened, numbers whole."""
    return Console(width=shutil.get_terminal_size((80, 24)).columns)


def _parse_sets(sets: list[str] | None) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for item in sets or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(say("err.set", value=repr(item)))
        options[key.strip().lower().replace("-", "_")] = value.strip()
    return options


def batch_command(
    file: Annotated[Path, typer.Argument(
        help="Sites: a .csv with columns name,url,category,region (header row), or .yaml.",
        show_default=False, metavar="FILE")],
    name: Annotated[str | None, typer.Option(
        help="Batch name; each run is a new round of it (default: the file name).")] = None,
    concurrency: Annotated[int | None, typer.Option(
        min=1, max=64, help="Scans at once in this process (default: "
        "ELDERSCAN_RUNNER_CONCURRENCY, 2); with a broker, each worker's --concurrency counts "
        "instead.")] = None,
    wait: Annotated[bool, typer.Option(
        "--wait/--no-wait", help="With a broker: wait for the workers and print the ranking, "
        "or only enqueue.")] = True,
    max_pages: Annotated[int | None, typer.Option(
        min=1, help="Pages per site (default 10).")] = None,
    viewport: Annotated[str | None, typer.Option(
        help="desktop, mobile or both (default desktop).")] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", metavar="NAME=VALUE",
        help="Any scan setting for this batch (see docs/settings.md), e.g. --set settle_ms=300. "
        "Repeatable.")] = None,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Only resume the unfinished last round (error if there is none)."
    )] = False,
    new_round: Annotated[bool, typer.Option(
        "--new-round", help="Start a new round even if the last one is unfinished.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print only errors and the final one-line summary.")] = False,
    lang: LangOpt = None,
    debug: Debug = False,
) -> None:
    """Audit a list of sites: run (or enqueue) one scan per site, then print the ranking.

    Running the same batch again starts a new round; an interrupted round is resumed.
    """
    _batch(file, name, concurrency, wait, max_pages, viewport, set_, resume, new_round, quiet,
           check_lang(lang))


def _batch(file: Path, name: str | None, concurrency: int | None, wait: bool,
           max_pages: int | None, viewport: str | None, sets: list[str] | None, resume: bool,
           new_round: bool, quiet: bool, lang: Lang) -> None:
    from elderscan.runner.batch import (
        RoundMode,
        enqueue_batch,
        prepare_batch,
        print_ranking,
        run_local,
        wait_celery,
    )
    from elderscan.runner.batchfile import read_sites
    from elderscan.runner.config import RunnerSettings
    from elderscan.runner.task import validate_scan_options

    if resume and new_round:
        raise UsageError(say("err.resume_new"))
    if viewport is not None and viewport not in ("desktop", "mobile", "both"):
        raise UsageError(say("err.viewport", value=repr(viewport)))
    options = _parse_sets(sets)
    if max_pages is not None:
        options["max_pages"] = max_pages
    if viewport is not None:
        options["viewport"] = viewport
    try:
        options = validate_scan_options(options)
    except ValueError as exc:
        raise UsageError(say("err.scan_option", detail=exc)) from None
    rows = read_sites(file, terminal_lang())
    batch_name = (name if name is not None else file.stem).strip()
    if not batch_name:
        raise UsageError(say("err.empty_name"))
    config = RunnerSettings()
    if not config.BROKER_URL and not wait:
        raise UsageError(say("err.no_wait"))
    where = ensure_schema()
    out = _out()
    mode: RoundMode = "resume" if resume else "new" if new_round else "auto"
    plan = prepare_batch(rows, batch_name, options, mode)
    left = len(plan.pending)
    if not quiet:
        if plan.resumed:
            line(say("batch.resuming", lang, name=plan.name, round=plan.round, left=left,
                      total=plan.total, store=where))
        else:
            line(say("batch.start", lang, name=plan.name, round=plan.round, total=plan.total,
                      store=where))
    show_bar = not quiet and err.is_terminal
    progress_console = err if not quiet else Console(stderr=True, quiet=True)
    started = time.perf_counter()
    if config.BROKER_URL:
        enqueue_batch(plan)
        if not quiet or not wait:
            line(say("batch.enqueued", lang, count=left, broker=broker_name()))
        if not wait:
            line(say("batch.follow", lang, file=file, name=plan.name))
            return
        wait_celery(plan, progress_console, config, show_bar, lang)
    else:
        run_local(plan, progress_console, concurrency, config, show_bar, lang)
    elapsed = time.perf_counter() - started
    state = print_ranking(plan.batch_id, out, lang, quiet)
    rate = left / elapsed * 60 if elapsed > 0 and left else 0.0
    runner = say("batch.workers" if config.BROKER_URL else "batch.local", lang)
    out.print(say("batch.summary", lang, name=plan.name, round=plan.round, done=state.done,
                  failed=state.failed, total=state.total, scanned=left,
                  seconds=f"{elapsed:.1f}", rate=f"{rate:.2f}", runner=runner),
              markup=False, highlight=False, soft_wrap=True)  # one line, for people and scripts
