"""`elderscan worker`: a Celery worker for the scans `elderscan batch` and the API enqueue.

Celery loads inside the command, so `elderscan scan` does not pay for it.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer

from elderscan.cli.console import line
from elderscan.cli.options import Debug
from elderscan.cli.store import ensure_schema
from elderscan.errors import UsageError
from elderscan.terminal_lang import say


def worker_command(
    concurrency: Annotated[int | None, typer.Option(
        min=1, max=64, help="Scans at once, one pool process each (default: "
        "ELDERSCAN_RUNNER_CONCURRENCY, 2).")] = None,
    loglevel: Annotated[str, typer.Option(
        help="debug, info, warning or error.")] = "info",
    hostname: Annotated[str | None, typer.Option(
        help="Celery node name, unique per worker (default elderscan-PID@HOST).")] = None,
    debug: Debug = False,
) -> None:
    """Run a Celery worker for enqueued scans (needs ELDERSCAN_BROKER_URL).

    It runs the scans `elderscan batch` and the API enqueue and writes their results to
    ELDERSCAN_DATABASE_URL; see docs/batch.md.
    """
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
    where = ensure_schema()
    if where.startswith("sqlite"):
        line(say("worker.sqlite", where=where))
    argv = ["worker", f"--concurrency={concurrency or config.RUNNER_CONCURRENCY}",
            f"--loglevel={loglevel.upper()}", f"--queues={config.QUEUE}", "--pool=prefork",
            f"--hostname={hostname or f'elderscan-{os.getpid()}@%h'}",
            "--without-gossip", "--without-mingle"]
    sys.stdout.flush()
    return app, argv
