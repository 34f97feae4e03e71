"""Storing a batch round and handing queued scans to the runner: the one path the API's
`POST /batches` and the dashboard's workbench both take, so the two cannot drift apart."""

from __future__ import annotations

import logging
from typing import Any

from elderscan.api.context import AppContext
from elderscan.api.errors import ApiError
from elderscan.api.schemas import BatchAccepted, BatchCreate
from elderscan.errors import first_line
from elderscan.store import create_batch, fail_scan, upsert_site
from elderscan.store.batches import batch_scan_ids
from elderscan.store.db import session_scope

log = logging.getLogger("elderscan.api")


def submit(context: AppContext, scan_ids: list[int], source: str) -> None:
    """Hand queued scans to the runner; if it cannot take them, mark them failed and 503."""
    if not scan_ids:
        return
    try:
        context.submit(scan_ids)
    except Exception as exc:
        log.exception("cannot dispatch scans %s", scan_ids[:10])
        message = first_line(exc)
        with session_scope(context.engine) as session:
            for scan_id in scan_ids:
                fail_scan(session, scan_id, "dispatch", f"the runner refused the scan: {message}")
        raise ApiError(503, "unavailable", key="api.runner-down") from exc
    context.metrics.submitted.labels(source).inc(len(scan_ids))


def store_batch(context: AppContext, body: BatchCreate, urls: list[str],
                options: dict[str, Any]) -> tuple[BatchAccepted, list[int]]:
    """Store the batch's sites (`urls` already checked, in `body.sites` order) and its next
    round; the round's accepted answer and the ids of the scans it queued."""
    with session_scope(context.engine) as session:
        sites = [upsert_site(session, s.name, url, s.category, s.region, s.tags)
                 for s, url in zip(body.sites, urls, strict=True)]
        batch = create_batch(session, body.name, sites, options)
        scan_ids = batch_scan_ids(session, batch.id)
        accepted = BatchAccepted(id=batch.id, name=batch.name, round=batch.round,
                                 total=len(scan_ids))
    return accepted, scan_ids
