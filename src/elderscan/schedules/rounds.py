"""Start a round of a batch with given sites: the one door schedules use to start scans.

The same path as `POST /api/v1/batches` (the store's `create_batch`, then the dispatcher:
Celery when a broker is configured, this process's runner otherwise), for sites that are
already in the store. Kept to one function so it can give way to a shared "start a round"
helper without touching the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from elderscan.errors import first_line
from elderscan.store.db import NotFound, session_scope
from elderscan.store.models import Scan
from elderscan.store.repo import create_batch, fail_scan

Submit = Callable[[list[int]], None]
log = logging.getLogger("elderscan.schedules")


@dataclass(frozen=True)
class RoundStarted:
    batch_id: int
    round: int
    total: int


class RoundRefused(Exception):
    """No round was started, or its scans could not be handed to a runner; `key` is the
    catalogue phrase (`schedules.error.*`), the message the technical detail."""

    def __init__(self, key: str, detail: str, batch_id: int | None = None) -> None:
        super().__init__(detail)
        self.key = key
        self.batch_id = batch_id


def _default_submit(scan_ids: list[int]) -> None:
    from elderscan.runner.dispatch import submit_scans

    submit_scans(scan_ids)


def start_round(engine: Engine, name: str, site_ids: Sequence[int],
                options: dict[str, Any] | None = None, submit: Submit | None = None
                ) -> RoundStarted:
    """Queue the next round of batch `name` with one scan per site and hand the scans to the
    runner. A runner that refuses them leaves the round with its scans failed (as the API's
    batch creation does) and raises RoundRefused."""
    if not site_ids:
        raise RoundRefused("schedules.error.no_sites", f"batch {name!r} has no sites to scan")
    for attempt in range(3):
        try:
            with session_scope(engine) as session:
                batch = create_batch(session, name, list(site_ids), options)
                started = RoundStarted(batch.id, batch.round, batch.total)
                scan_ids = list(session.execute(
                    select(Scan.id).where(Scan.batch_id == batch.id).order_by(Scan.id)
                ).scalars())
            break
        except IntegrityError:
            if attempt == 2:  # another process took the same round number each time
                raise
        except NotFound as exc:
            raise RoundRefused("schedules.error.sites_gone", str(exc)) from exc
    try:
        (submit or _default_submit)(scan_ids)
    except Exception as exc:
        log.exception("cannot dispatch the scans of batch %s", started.batch_id)
        message = first_line(exc)
        with session_scope(engine) as session:
            for scan_id in scan_ids:
                fail_scan(session, scan_id, "dispatch",
                          f"the runner refused the scan: {message}")
        raise RoundRefused("schedules.error.dispatch", message, started.batch_id) from exc
    return started
