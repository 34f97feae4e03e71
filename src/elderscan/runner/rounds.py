"""Starting a round of a named batch: the one door for the dashboard's "run another round" and
for anything that starts rounds on its own (a schedule).

    from elderscan.runner.rounds import start_round, start_next_round
    started = start_round("2026 Q4 省级政府", [site.id, ...], {"max_pages": 5})
    again = start_next_round("2026 Q4 省级政府")       # the sites of its last round

Both store the round (round = last + 1) with one queued scan per site and hand the scans to
the runner (`elderscan.runner.dispatch.submit_scans`: Celery when a broker is configured, else
this process's local runner), and return at once. If the runner refuses them, the scans are
marked failed (code `dispatch`) and RunnerUnavailable is raised, so nothing stays queued
forever. Sites must be stored already (`upsert_site`); their URLs were checked by the address
guard when they were added, and the scanner checks again at every redirect.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from elderscan.errors import ElderscanError, first_line
from elderscan.store import create_batch, fail_scan, latest_batch
from elderscan.store.batches import batch_scan_ids
from elderscan.store.db import NotFound, session_scope
from elderscan.store.rounds import round_sites

Submit = Callable[[list[int]], None]


class RunnerUnavailable(ElderscanError):
    """The runner (broker or local pool) did not take the round's scans."""


@dataclass(frozen=True)
class StartedRound:
    batch_id: int
    name: str
    round: int
    scan_ids: list[int]


def _default_submit(scan_ids: list[int]) -> None:
    from elderscan.runner.dispatch import submit_scans

    submit_scans(scan_ids)


def store_round(engine: Engine | None, name: str, site_ids: Sequence[int],
                options: dict[str, Any] | None = None) -> StartedRound:
    """Store a new round of `name` with one queued scan per site (not yet submitted). Retries
    when another process started a round of the same name at the same instant."""
    for attempt in range(3):
        try:
            with session_scope(engine) as session:
                batch = create_batch(session, name, list(site_ids), options or {})
                scan_ids = batch_scan_ids(session, batch.id)
                return StartedRound(batch.id, batch.name, batch.round, scan_ids)
        except IntegrityError:
            if attempt == 2:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def submit_round(engine: Engine | None, started: StartedRound,
                 submit: Submit | None = None) -> None:
    """Hand a stored round's scans to the runner; if it refuses, fail them and raise."""
    if not started.scan_ids:
        return
    try:
        (submit or _default_submit)(started.scan_ids)
    except Exception as exc:
        message = first_line(exc)
        with session_scope(engine) as session:
            for scan_id in started.scan_ids:
                fail_scan(session, scan_id, "dispatch", f"the runner refused the scan: {message}")
        raise RunnerUnavailable(f"the scan runner is not available ({message})") from exc


def start_round(name: str, site_ids: Sequence[int], options: dict[str, Any] | None = None, *,
                engine: Engine | None = None, submit: Submit | None = None) -> StartedRound:
    """Start round last + 1 of the batch `name` with these stored sites, now."""
    started = store_round(engine, name, site_ids, options)
    submit_round(engine, started, submit)
    return started


def guarded(options: dict[str, Any] | None, allow_hosts: Sequence[str]) -> dict[str, Any]:
    """`options` with the address guard on and this service's allow-list: what every round a
    web request or a schedule starts runs with, whatever the options stored before said (a
    round first started by `elderscan batch` has no guard)."""
    return {**(options or {}), "guard_addresses": True, "allow_hosts": list(allow_hosts)}


def start_next_round(name: str, *, allow_hosts: Sequence[str], engine: Engine | None = None,
                     submit: Submit | None = None) -> StartedRound:
    """Start a new round of `name` with the sites and scan options of its last round, always
    behind the address guard (`guarded`): only the web and schedules come here."""
    with session_scope(engine) as session:
        last = latest_batch(session, name)
        if last is None:
            raise NotFound("api.no-batch", id=repr(name))
        site_ids = round_sites(session, last.id)
        options = guarded(last.options, allow_hosts)
    return start_round(name, site_ids, options, engine=engine, submit=submit)
