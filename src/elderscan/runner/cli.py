"""`elderscan batch` and `elderscan worker`.

Heavy imports (SQLAlchemy, Celery) happen inside the commands, so `elderscan scan` does not pay
for them. Every error a user can cause is one line on stderr and exit code 2.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from elderscan.cli_lang import say, terminal_lang
from elderscan.cli_scan import LangOpt, check_lang
from elderscan.errors import ElderscanError, UsageError
from elderscan.i18n import Lang

runner_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
_err = Console(stderr=True)


def _out() -> Console:
    """Standard output as wide as the terminal (COLUMNS when it is not one), 80 at least
    when the width is unknown: the ranking fits it, names shortened, numbers whole."""
    return Console(width=shutil.get_terminal_size((80, 24)).columns)


def _line(text: str) -> None:
    _err.print(text, markup=False, highlight=False, soft_wrap=True)


def _fail(text: str) -> NoReturn:
    _line(text)
    raise typer.Exit(2)


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:400] if text else type(exc).__name__


@contextmanager
def _errors(debug: bool, interrupted: str | None = None) -> Iterator[None]:
    try:
        yield
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        _line(interrupted or say("interrupted"))
        raise typer.Exit(130) from None
    except Exception as exc:
        if debug:
            raise
        _fail(_describe(exc))


def _describe(exc: BaseException) -> str:
    from pydantic import ValidationError

    from elderscan.settings import describe_error
    from elderscan.sitelist import SiteListError

    if isinstance(exc, ValidationError):
        return say("error", message=f"bad setting: {describe_error(exc)}")
    if isinstance(exc, SiteListError):  # every bad row at once, one per line
        head, *rows = str(exc).splitlines()
        return "\n".join([say("error", message=head), *(f"  {row}" for row in rows)])
    if isinstance(exc, ElderscanError | ValueError | LookupError):
        return say("error", message=_first_line(exc))
    try:
        from sqlalchemy.exc import SQLAlchemyError

        from elderscan.store.db import database_url, describe_db_error

        if isinstance(exc, SQLAlchemyError):
            return say("error", message=describe_db_error(exc, database_url()))
    except ImportError:  # pragma: no cover
        pass
    try:
        from kombu.exceptions import OperationalError as BrokerError

        if isinstance(exc, BrokerError | ConnectionError):
            return say("error", message=f"cannot reach the broker {_broker()}: "
                       f"{_first_line(exc)}")
    except ImportError:  # pragma: no cover
        pass
    return say("internal", message=f"{type(exc).__name__}: {_first_line(exc)}")


def _broker() -> str:
    from kombu.utils.url import maybe_sanitize_url

    from elderscan.runner.config import runner_settings

    return str(maybe_sanitize_url(runner_settings().BROKER_URL or ""))


def _ensure_schema() -> str:
    """The database, migrated: a SQLite store never set up is created (the embedded default
    needs no setup step); any other database must be at head (`elderscan db upgrade`)."""
    from elderscan.store.db import database_url, safe_url
    from elderscan.store.migrate import current, require_head, upgrade

    url = database_url()
    if url.startswith("sqlite") and current(url) is None:
        upgrade(url)
    require_head(url)
    return safe_url(url)


def _parse_sets(sets: list[str] | None) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for item in sets or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(say("err.set", value=repr(item)))
        options[key.strip().lower().replace("-", "_")] = value.strip()
    return options


# ------------------------------------------------------------------------------- batch


@runner_app.command("batch")
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
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Audit a list of sites: run (or enqueue) one scan per site, then print the ranking.

    Running the same batch again starts a new round; an interrupted round is resumed.
    """
    with _errors(debug, say("batch.interrupted")):
        _batch(file, name, concurrency, wait, max_pages, viewport, set_, resume, new_round,
               quiet, check_lang(lang))


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
    where = _ensure_schema()
    out = _out()
    mode: RoundMode = "resume" if resume else "new" if new_round else "auto"
    plan = prepare_batch(rows, batch_name, options, mode)
    left = len(plan.pending)
    if not quiet:
        if plan.resumed:
            _line(say("batch.resuming", lang, name=plan.name, round=plan.round, left=left,
                      total=plan.total, store=where))
        else:
            _line(say("batch.start", lang, name=plan.name, round=plan.round, total=plan.total,
                      store=where))
    show_bar = not quiet and _err.is_terminal
    progress_console = _err if not quiet else Console(stderr=True, quiet=True)
    started = time.perf_counter()
    if config.BROKER_URL:
        enqueue_batch(plan)
        if not quiet or not wait:
            _line(say("batch.enqueued", lang, count=left, broker=_broker()))
        if not wait:
            _line(say("batch.follow", lang, file=file, name=plan.name))
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


# ------------------------------------------------------------------------------ worker


@runner_app.command("worker")
def worker_command(
    concurrency: Annotated[int | None, typer.Option(
        min=1, max=64, help="Scans at once, one pool process each (default: "
        "ELDERSCAN_RUNNER_CONCURRENCY, 2).")] = None,
    loglevel: Annotated[str, typer.Option(
        help="debug, info, warning or error.")] = "info",
    hostname: Annotated[str | None, typer.Option(
        help="Celery node name, unique per worker (default elderscan-PID@HOST).")] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Run a Celery worker for enqueued scans (needs ELDERSCAN_BROKER_URL).

    It runs the scans `elderscan batch` and the API enqueue and writes their results to
    ELDERSCAN_DATABASE_URL; see docs/batch.md.
    """
    with _errors(debug, say("worker.stopped")):
        app, argv = _worker_setup(concurrency, loglevel, hostname)
    app.worker_main(argv=argv)


def _worker_setup(concurrency: int | None, loglevel: str,
                  hostname: str | None) -> tuple[Any, list[str]]:
    from elderscan.runner.config import RunnerSettings

    if loglevel.lower() not in ("debug", "info", "warning", "error", "critical"):
        raise UsageError(say("err.loglevel", value=repr(loglevel)))
    config = RunnerSettings()
    if not config.BROKER_URL:
        raise UsageError(say("err.worker_broker"))
    from elderscan.runner.celery_app import create_app

    app = create_app(config)
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=5)
    where = _ensure_schema()
    if where.startswith("sqlite"):
        _line(f"elderscan: warning: results go to the SQLite file {where}; workers on other "
              "machines need ELDERSCAN_DATABASE_URL=postgresql://…")
    argv = ["worker", f"--concurrency={concurrency or config.RUNNER_CONCURRENCY}",
            f"--loglevel={loglevel.upper()}", f"--queues={config.QUEUE}", "--pool=prefork",
            f"--hostname={hostname or f'elderscan-{os.getpid()}@%h'}",
            "--without-gossip", "--without-mingle"]
    sys.stdout.flush()
    return app, argv
