"""A scan's result: stored once, whole (score columns, the contract JSON, pages, findings),
and the stamp that says when a rendered report of it is out of date."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from elderscan.contract import ScanReport
from elderscan.dimensions import DIMENSIONS
from elderscan.fingerprints import finding_fingerprint
from elderscan.store.batches import refresh_batch
from elderscan.store.db import data_dir
from elderscan.store.models import FindingRow, Page, Scan, Site, utcnow
from elderscan.store.queue import MAX_ERROR_MESSAGE, lock_scan
from elderscan.urls import template_key


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _relative_artifact(path: str | None, root: Path) -> str | None:
    if path is None:
        return None
    candidate = Path(path)
    if not candidate.is_absolute():
        return candidate.as_posix()
    try:
        return candidate.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(candidate)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value) if _UNSTORABLE.search(value) else value
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _storable(report: ScanReport) -> tuple[ScanReport, dict[str, Any]]:
    """The report and its contract JSON with NUL and lone surrogates (a JS string cut inside an
    emoji) replaced by U+FFFD: PostgreSQL's text and JSONB refuse both, and no reader could
    show them anyway. The JSON is dumped once here, not again by the caller: every page of a
    shelved report is decoded for it."""
    data = report.to_json_dict()
    cleaned = _clean(data)
    if cleaned == data:
        return report, data
    report = ScanReport.model_validate(cleaned)
    return report, report.to_json_dict()


def save_result(session: Session, scan_id: int, report: ScanReport, *,
                data_root: Path | None = None) -> Scan:
    """Store a scan's result: score columns, the contract JSON, pages and findings.

    The scan ends `done`, or `failed` when `report.status == "failed"` (its error recorded).
    Idempotent: the scan's previous pages and findings are replaced, so saving twice (two
    deliveries of one task) leaves one set. Screenshot paths are stored relative to the data
    directory (`data_root`, default `data_dir()`) when they lie under it.
    """
    root = (data_root or data_dir()).resolve()
    report, result = _storable(report)
    scan = lock_scan(session, scan_id)
    session.execute(delete(FindingRow).where(FindingRow.scan_id == scan_id)
                    .execution_options(synchronize_session=False))
    session.execute(delete(Page).where(Page.scan_id == scan_id)
                    .execution_options(synchronize_session=False))
    session.expire(scan, ["pages"])

    pages: list[Page] = []
    for position, (page, page_json) in enumerate(zip(report.pages, result["pages"], strict=True)):
        shot = _relative_artifact(page.screenshot, root)
        page_json["screenshot"] = shot
        pages.append(Page(scan_id=scan_id, position=position, url=page.url,
                          final_url=page.final_url, url_template=template_key(page.url),
                          viewport=page.viewport, mode=page.mode, http_status=page.http_status,
                          title=page.title, screenshot=shot))
    session.add_all(pages)
    session.flush()
    rows = [
        {"scan_id": scan_id, "page_id": row.id, "position": index, "rule": f.rule,
         "outcome": f.outcome,
         "severity": f.severity, "clause": f.clause, "selector": f.selector,
         "box": list(f.box) if f.box is not None else None, "value": f.value,
         "threshold": f.threshold, "message": f.message, "message_key": f.message_key,
         "fingerprint": finding_fingerprint(f, page.url)}
        for page, row in zip(report.pages, pages, strict=True)
        for index, f in enumerate(page.findings)
    ]
    if rows:
        session.execute(insert(FindingRow), rows)

    score = report.score or {}
    dims = score.get("dimensions") or {}
    scan.status = "failed" if report.status == "failed" else "done"
    scan.result_status = report.status
    scan.result = result
    scan.started_at = _parse_time(report.started_at) or scan.started_at or utcnow()
    scan.finished_at = _parse_time(report.finished_at) or utcnow()
    scan.elderscan_version = report.engine.elderscan
    scan.chromium_version = report.engine.chromium
    scan.axe_core_version = report.engine.axe_core
    scan.ruleset_version = report.engine.ruleset
    scan.scoring_model = report.engine.scoring_model or score.get("model")
    scan.score_total = score.get("total")
    scan.grade = score.get("grade")
    scan.passed = score.get("passed")
    for dimension in DIMENSIONS:
        setattr(scan, f"score_{dimension}", dims.get(dimension))
    scan.vetoes = list(score.get("vetoes") or [])
    scan.error_code = report.error.code if report.error else None
    scan.error_message = report.error.message[:MAX_ERROR_MESSAGE] if report.error else None
    summary = report.summary
    scan.pages_count, scan.failed_pages = summary.pages, summary.failed_pages
    scan.fail_count, scan.review_count, scan.pass_count = (
        summary.fail, summary.review, summary.pass_)
    session.flush()
    refresh_batch(session, scan.batch_id)
    return scan


def report_version(session: Session, scan_id: int) -> str | None:
    """A stamp that changes whenever a report of the finished scan could read differently: the
    scan finishing again (a re-delivery), its site renamed or relabelled, its screenshots
    pruned. None when there is no such scan. One indexed query: a cache of rendered reports
    checks it on every request instead of loading the result."""
    row = session.execute(
        select(Scan.status, Scan.finished_at, Site.updated_at, func.count(Page.screenshot))
        .join(Site, Site.id == Scan.site_id).outerjoin(Page, Page.scan_id == Scan.id)
        .where(Scan.id == scan_id)
        .group_by(Scan.id, Scan.status, Scan.finished_at, Site.updated_at)).one_or_none()
    if row is None:
        return None
    status, finished, site_changed, screenshots = row
    return f"{status}|{finished and finished.isoformat()}|{site_changed.isoformat()}|{screenshots}"
