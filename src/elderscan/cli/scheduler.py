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

from elderscan.cli.console import line
from elderscan.cli.options import Debug
from elderscan.i18n import text


def scheduler(
    interval: Annotated[float | None, typer.Option(
        min=1.0, max=3600.0, help="Seconds between two looks at the schedules "
        "[ELDERSCAN_SCHEDULER_INTERVAL, 30].")] = None,
    once: Annotated[bool, typer.Option(
        "--once", help="Start what is due now, then exit (for cron or a test).")] = False,
    lang: Annotated[Literal["zh", "en"], typer.Option(help="Language of its lines.")] = "zh",
    debug: Debug = False,
) -> None:
    """Start the batch rounds that are due, as the schedules table says (see docs/batch.md).

    Rounds go where `POST /api/v1/batches` sends them: Celery when ELDERSCAN_BROKER_URL is
    set, else this process runs the scans itself.
    """
    from elderscan.schedules.scheduler import Scheduler, configured_interval, tick
    from elderscan.store.db import database_url, get_engine, safe_url
    from elderscan.store.migrate import require_head

    engine = get_engine()
    require_head(engine)
    every = interval or configured_interval()
    if once:
        outcomes = tick(engine)
        line(text("schedules.cli.once", lang, started=sum(1 for o in outcomes if not o.error),
                  failed=sum(1 for o in outcomes if o.error)))
        if any(not o.error for o in outcomes):
            _wait_local()
        return
    line(text("schedules.cli.start", lang, seconds=f"{every:g}",
              database=safe_url(database_url())))
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    loop = Scheduler(engine, interval=every).start()
    stopped.wait()
    loop.stop()
    line(text("schedules.cli.stopped", lang))
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
