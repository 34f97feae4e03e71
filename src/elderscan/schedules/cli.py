"""`elderscan scheduler`: start scheduled rounds, for deployments whose scans run on Celery
workers (or that want the scheduler apart from `elderscan serve`, which runs one itself).

Safe to run on as many machines as you like against one database: each due run is claimed
with a compare-and-set, so it starts once.
"""

from __future__ import annotations

import signal
import threading
import time
from typing import Annotated, Literal

import typer
from rich.console import Console

from elderscan.i18n import text

_err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    app.command("scheduler")(scheduler)


def _say(line: str) -> None:
    _err.print(line, markup=False, highlight=False, soft_wrap=True)


def scheduler(
    interval: Annotated[float | None, typer.Option(
        min=1.0, max=3600.0, help="Seconds between two looks at the schedules "
        "[ELDERSCAN_SCHEDULER_INTERVAL, 30].")] = None,
    once: Annotated[bool, typer.Option(
        "--once", help="Start what is due now, then exit (for cron or a test).")] = False,
    lang: Annotated[Literal["zh", "en"], typer.Option(help="Language of its lines.")] = "zh",
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Start the batch rounds that are due, as the schedules table says (see docs/batch.md).

    Rounds go where `POST /api/v1/batches` sends them: Celery when ELDERSCAN_BROKER_URL is
    set, else this process runs the scans itself.
    """
    from elderscan.api.cli import _errors
    from elderscan.schedules.scheduler import Scheduler, configured_interval, tick
    from elderscan.store.db import database_url, get_engine, safe_url
    from elderscan.store.migrate import require_head

    with _errors(debug):
        engine = get_engine()
        require_head(engine)
        every = interval or configured_interval()
        if once:
            outcomes = tick(engine)
            _say(text("schedules.cli.once", lang, started=sum(1 for o in outcomes
                                                               if not o.error),
                      failed=sum(1 for o in outcomes if o.error)))
            if any(not o.error for o in outcomes):
                _wait_local()
            return
        _say(text("schedules.cli.start", lang, seconds=f"{every:g}",
                  database=safe_url(database_url())))
        stopped = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopped.set())
        loop = Scheduler(engine, interval=every).start()
        stopped.wait()
        loop.stop()
        _say(text("schedules.cli.stopped", lang))
        from elderscan.runner.dispatch import shutdown

        shutdown()


def _wait_local() -> None:
    """With no broker, the scans of the rounds just started run in this process: wait for
    them before `--once` exits, so they are not left `running`."""
    from elderscan.runner.dispatch import local_runner, shutdown, uses_broker

    if uses_broker():
        return
    runner = local_runner()
    while runner.busy():
        time.sleep(0.5)
    shutdown()
