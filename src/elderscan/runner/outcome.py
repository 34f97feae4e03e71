"""The last write of a scan — its result, or its failure — retried until the store takes it.

A scan runs for minutes outside any transaction; when it ends, the store may refuse writes
(disk full, a read-only file, PostgreSQL restarting, a corrupt file being restored). Giving up
on that write would leave the scan `running` with nobody to finish it, so the write is retried
with backoff (0.25 s doubling to 5 s) for `STORE_RETRY_SECONDS`. Each round tries the result
first, so nothing is lost when the store is simply back, then — from the third round, or at
once on a full disk — the failure, a one-row update that fits where a whole result does not.
The scan ends at the first write that succeeds: within one backoff step of the store accepting
writes again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Literal

from elderscan.contract import ScanReport
from elderscan.errors import STORE_CODE

log = logging.getLogger("elderscan.runner")

FIRST_DELAY = 0.25
MAX_DELAY = 5.0
KEEP_RESULT_TRIES = 3
"""Tries of the result alone before the failure is tried after it in each round: a connection
lost for a moment must not cost a finished scan its result (a full disk falls back at once)."""
MAX_MESSAGE = 500


class StoreRefused(Exception):
    """The store refused the scan's last write for the whole retry window; the scan stays
    `running` under this holder until a runner takes it over."""


def one_line(text: str) -> str:
    return " ".join(text.split())[:MAX_MESSAGE]


def fail(scan_id: int, code: str, message: str) -> None:
    from elderscan.store import fail_scan, session_scope

    with session_scope() as session:
        fail_scan(session, scan_id, code, one_line(message) or code)


def save(scan_id: int, report: ScanReport) -> str:
    from elderscan.store import save_result, session_scope

    with session_scope() as session:
        return str(save_result(session, scan_id, report).status)


def _store_error(exc: BaseException) -> str:
    from elderscan.store.db import database_url, describe_db_error, store_unusable

    if not store_unusable(exc):
        raise exc
    return describe_db_error(exc, database_url())


async def finish(scan_id: int, *, report: ScanReport | None = None,
                 failure: tuple[str, str] | None = None,
                 retry_for: float) -> Literal["done", "failed"]:
    """Store the scan's `report`, or its `failure` (code, message), retrying while the store
    is unusable (`store_unusable`). Any other error is raised at once; a store that stays
    unusable for `retry_for` seconds raises StoreRefused."""
    from elderscan.store.db import store_problem

    if report is None and failure is None:
        raise ValueError("finish needs a report or a failure")
    started = time.monotonic()
    delay = FIRST_DELAY
    tries = 0
    while True:
        tries += 1
        if report is not None:
            try:
                status = await asyncio.to_thread(save, scan_id, report)
                return "done" if status == "done" else "failed"
            except Exception as exc:
                problem = _store_error(exc)
                failure = (STORE_CODE, f"the result could not be stored: {problem}")
                full = store_problem(exc) == "full"
            if not full and tries < KEEP_RESULT_TRIES:
                await _pause(scan_id, tries, problem, started, retry_for, delay)
                delay = min(delay * 2, MAX_DELAY)
                continue
        assert failure is not None
        try:
            await asyncio.to_thread(fail, scan_id, *failure)
            if tries > 1:
                log.warning("scan %s: stored after %d tries (%.1f s)", scan_id, tries,
                            time.monotonic() - started)
            return "failed"
        except Exception as exc:
            problem = _store_error(exc)
        await _pause(scan_id, tries, problem, started, retry_for, delay)
        delay = min(delay * 2, MAX_DELAY)


async def _pause(scan_id: int, tries: int, problem: str, started: float, retry_for: float,
                 delay: float) -> None:
    """Wait before the next try, or raise StoreRefused once the window is spent."""
    waited = time.monotonic() - started
    if waited >= retry_for:
        raise StoreRefused(f"scan {scan_id}: the store refused its outcome for "
                           f"{waited:.0f} s: {problem}")
    if tries == 1:
        log.warning("scan %s: the store refuses writes (%s); retrying for up to %.0f s",
                    scan_id, problem, retry_for)
    await asyncio.sleep(min(delay, max(retry_for - waited, 0.0)))
