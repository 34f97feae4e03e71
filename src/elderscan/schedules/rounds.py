"""Start a round of a batch with given sites: the one door schedules use to start scans.

The same path as `POST /api/v1/batches` (the store's `create_batch`, then the dispatcher:
Celery when a broker is configured, this process's runner otherwise), for sites that are
already in the store. It delegates to `elderscan.runner.rounds`, the one door that
starts rounds, and turns its errors into the schedule's catalogue keys.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from elderscan.errors import first_line
from elderscan.runner.rounds import RunnerUnavailable, store_round, submit_round
from elderscan.runner.rounds import Submit as Submit
from elderscan.store.db import NotFound

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


def start_round(engine: Engine, name: str, site_ids: Sequence[int],
                options: dict[str, Any] | None = None, submit: Submit | None = None
                ) -> RoundStarted:
    """Queue the next round of batch `name` through the one door that starts rounds
    (`elderscan.runner.rounds`) and say why in the schedule's words when it cannot."""
    if not site_ids:
        raise RoundRefused("schedules.error.no_sites", f"batch {name!r} has no sites to scan")
    try:
        started = store_round(engine, name, site_ids, options)
    except NotFound as exc:
        raise RoundRefused("schedules.error.sites_gone", str(exc)) from exc
    try:
        submit_round(engine, started, submit)
    except RunnerUnavailable as exc:
        log.error("cannot dispatch the scans of batch %s: %s", started.batch_id, exc)
        cause = exc.__cause__ or exc  # the runner's own words, not our wrapping of them
        raise RoundRefused("schedules.error.dispatch", first_line(cause),
                           started.batch_id) from exc
    return RoundStarted(started.batch_id, started.round, len(started.scan_ids))
