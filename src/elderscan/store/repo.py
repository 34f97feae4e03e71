"""The store's operations: what the runners, the batch command and the API call.

Every function takes a `Session` and never commits: it flushes, and the caller ends the
transaction (`with session_scope() as session: ...`). Concurrency is handled in the database,
not in Python, so the same functions are safe from many Celery workers on PostgreSQL and from
threads of one process on SQLite:

- `enqueue_scan` and `upsert_site` are single `INSERT … ON CONFLICT` statements;
- `claim_scan` is one conditional `UPDATE … RETURNING`: of two workers, one wins;
- `save_result` and `fail_scan` lock the scan row first (`SELECT … FOR UPDATE` on PostgreSQL;
  SQLite has one writer at a time), so two deliveries of the same task leave one result;
- batch counters are recomputed under a lock of the batch row, so the last scan to finish
  always sees the others and closes the batch.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Select, and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from elderscan.capture import unmasked_screenshot
from elderscan.contract import ScanReport
from elderscan.fingerprints import finding_fingerprint
from elderscan.store import nameorder
from elderscan.store.compare import compare_scans as compare_scans  # its own module now
from elderscan.store.db import DatabaseError, NotFound, data_dir
from elderscan.store.models import (
    DIMENSIONS,
    SITE_CATEGORIES,
    TOKEN_ROLES,
    ApiToken,
    Batch,
    FindingRow,
    Page,
    Scan,
    Site,
    utcnow,
)
from elderscan.store.rankings import batch_ranking as batch_ranking  # re-exported
from elderscan.store.sessions import end_token_sessions
from elderscan.store.touch import TOUCH_SECONDS as TOKEN_TOUCH_SECONDS
from elderscan.store.touch import touch
from elderscan.store.views import (
    BatchProgress,
    Dimensions,
    HistoryPoint,
    PruneStats,
    ScoreBrief,
    SiteList,
    SiteOut,
)
from elderscan.urls import normalize_url, template_key

log = logging.getLogger("elderscan.store")

PENDING = ("queued", "running")
FINISHED = ("done", "failed")
MAX_ERROR_MESSAGE = 4000
TOKEN_PREFIX = "esk_"
"""`last_used_at` is written at most once a minute per token, not on every request."""



class IdempotencyConflict(ValueError):
    """An idempotency key was reused for a different site (the API answers 409)."""


# ---------------------------------------------------------------------------------- helpers


def _insert(session: Session, table: type[Any]) -> Any:
    """The dialect's INSERT, which knows `ON CONFLICT` (both SQLite and PostgreSQL do)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise DatabaseError(f"unsupported database {name!r}: elderscan runs on SQLite or PostgreSQL")


def _dimensions(scan: Any) -> Dimensions:
    return {d: getattr(scan, f"score_{d}") for d in DIMENSIONS}


_DIMENSION_COLUMNS = tuple(getattr(Scan, f"score_{d}") for d in DIMENSIONS)
_BRIEF_COLUMNS = (Scan.id, Scan.site_id, Scan.status, Scan.finished_at, Scan.score_total,
                  Scan.grade, Scan.passed, Scan.scoring_model, *_DIMENSION_COLUMNS)


def _brief(row: Any) -> ScoreBrief:
    return ScoreBrief(scan_id=row.id, site_id=row.site_id, status=row.status,
                      finished_at=row.finished_at, score_total=row.score_total, grade=row.grade,
                      passed=row.passed, scoring_model=row.scoring_model,
                      dimensions=_dimensions(row))


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _lock_scan(session: Session, scan_id: int) -> Scan:
    scan = session.execute(
        select(Scan).where(Scan.id == scan_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if scan is None:
        raise NotFound(f"no scan {scan_id}")
    return scan


def _refresh_batch(session: Session, batch_id: int | None) -> None:
    """Recount a batch's scans and set its status; under a row lock so concurrent finishers
    serialise here and the last one closes the batch."""
    if batch_id is None:
        return
    batch = session.execute(
        select(Batch).where(Batch.id == batch_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if batch is None:
        return
    counts = _status_counts(session, batch_id)
    batch.total = sum(counts.values())
    batch.done, batch.failed = counts["done"], counts["failed"]
    if counts["queued"] + counts["running"] == 0:
        batch.status = "done"
        batch.finished_at = batch.finished_at or utcnow()
    else:
        batch.status = "queued" if batch.done + batch.failed + counts["running"] == 0 \
            else "running"
        batch.finished_at = None
    session.flush()


def _status_counts(session: Session, batch_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Scan.status, func.count()).where(Scan.batch_id == batch_id).group_by(Scan.status)
    ).all()
    counts = dict.fromkeys(("queued", "running", "done", "failed"), 0)
    counts.update({status: int(n) for status, n in rows})
    return counts


def _site_of(session: Session, site: Site | int) -> Site:
    if isinstance(site, Site):
        return site
    found = session.get(Site, site)
    if found is None:
        raise NotFound(f"no site {site}")
    return found


def _batch_id(session: Session, batch: Batch | int | None) -> int | None:
    if batch is None:
        return None
    if isinstance(batch, Batch):
        return batch.id
    if session.get(Batch, batch) is None:
        raise NotFound(f"no batch {batch}")
    return batch


# ------------------------------------------------------------------------------------ sites


def site_url_key(url: str) -> tuple[str, str]:
    """(normalised URL, identity key) of a site address.

    The key drops the scheme, `www.`, default ports and user info, so `http://www.x.gov.cn`
    and `https://x.gov.cn/` are one site. A bare host gets `https://`. Raises ValueError for
    anything that is not an http(s) address.
    """
    raw = url.strip()
    if "://" not in raw:
        raw = "https://" + raw
    norm = normalize_url(raw)
    if norm is None:
        raise ValueError(f"not a web address: {url!r}")
    parts = urlsplit(norm)
    host = parts.netloc.rpartition("@")[2]
    host = host[4:] if host.startswith("www.") else host
    return norm, host + parts.path + (f"?{parts.query}" if parts.query else "")


def upsert_site(session: Session, name: str | None, url: str, category: str | None = None,
                region: str | None = None, tags: Iterable[str] | None = None) -> Site:
    """Create the site for `url`, or update the one with the same identity key.

    None means "keep what is stored" (or the default for a new site: the host as name,
    category `other`), so `POST /scans {"url": …}` never wipes a site's curated metadata.
    """
    norm, key = site_url_key(url)
    if category is not None and category not in SITE_CATEGORIES:
        raise ValueError(f"category must be one of {', '.join(SITE_CATEGORIES)}, "
                         f"not {category!r}")
    tag_list = None if tags is None else list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    name = name.strip() if name and name.strip() else None
    region = region.strip() if region and region.strip() else None
    now = utcnow()
    values: dict[str, Any] = {
        "name": name or urlsplit(norm).hostname or norm, "url": norm, "url_key": key,
        "category": category or "other", "region": region, "tags": tag_list or [],
        "created_at": now, "updated_at": now,
    }
    changes: dict[str, Any] = {"url": norm, "updated_at": now}
    for column, given in (("name", name), ("category", category), ("region", region),
                          ("tags", tag_list)):
        if given is not None:
            changes[column] = given
    stmt = (_insert(session, Site).values(**values)
            .on_conflict_do_update(index_elements=["url_key"], set_=changes)
            .returning(Site.id))
    site_id = session.execute(stmt).scalar_one()
    site = session.get(Site, site_id, populate_existing=True)
    assert site is not None
    return site


def get_site(session: Session, site_id: int) -> Site | None:
    return session.get(Site, site_id)


def find_site(session: Session, url: str) -> Site | None:
    """The site whose identity key matches `url`, if any."""
    _, key = site_url_key(url)
    return session.execute(select(Site).where(Site.url_key == key)).scalar_one_or_none()


_LATEST_ORDER = (Scan.finished_at.desc(), Scan.id.desc())


def _latest_done() -> Any:
    """Subquery: id of each site's latest completed scan."""
    ranked = select(Scan.id, func.row_number().over(
        partition_by=Scan.site_id, order_by=_LATEST_ORDER).label("rn")
    ).where(Scan.status == "done").subquery()
    return select(ranked.c.id).where(ranked.c.rn == 1)


def list_sites(session: Session, *, category: str | None = None, region: str | None = None,
               min_score: float | None = None, max_score: float | None = None,
               search: str | None = None, order: str = "name", limit: int = 50,
               offset: int = 0) -> SiteList:
    """Sites with their latest completed scan's score, filtered and paginated.

    The score range applies to that latest score (sites never scanned drop out of a score
    filter). `order`: `name`, `score` (best first, unscored last) or `id`.
    """
    if not 1 <= limit <= 1000 or offset < 0:
        raise ValueError("limit must be 1–1000 and offset ≥ 0")
    latest = aliased(Scan)
    query: Select[Any] = select(Site, *[getattr(latest, c.key) for c in _BRIEF_COLUMNS]).outerjoin(
        latest, and_(latest.site_id == Site.id, latest.id.in_(_latest_done())))
    conditions: list[ColumnElement[bool]] = []
    if category is not None:
        conditions.append(Site.category == category)
    if region is not None:
        conditions.append(Site.region == region)
    if min_score is not None:
        conditions.append(latest.score_total >= min_score)
    if max_score is not None:
        conditions.append(latest.score_total <= max_score)
    if search:
        conditions.append(or_(Site.name.contains(search, autoescape=True),
                              Site.url.contains(search, autoescape=True)))
    query = query.where(*conditions)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    if order in ("name", "score"):  # names in pinyin order: sorted in Python (store/nameorder)
        ids = nameorder.page_ids(session, query, Site.id, Site.name,
                                 latest.score_total if order == "score" else None, limit, offset)
        position = {site_id: index for index, site_id in enumerate(ids)}
        rows = sorted(session.execute(query.where(Site.id.in_(ids))),
                      key=lambda row: position[row[0].id])
    elif order == "id":
        rows = list(session.execute(query.order_by(Site.id).limit(limit).offset(offset)))
    else:
        raise ValueError(f"order must be name, score or id, not {order!r}")
    items = []
    for row in rows:
        site: Site = row[0]
        brief = None if row.id is None else _brief(row)
        items.append(SiteOut(id=site.id, name=site.name, url=site.url, category=site.category,
                             region=site.region, tags=list(site.tags), created_at=site.created_at,
                             latest=brief))
    return SiteList(items=items, total=total, limit=limit, offset=offset)


def site_history(session: Session, site_id: int, include_failed: bool = True) -> list[HistoryPoint]:
    """Every finished scan of a site, oldest first, with its batch round and scores.

    Each point keeps its `scoring_model`: scores of different model versions are not
    comparable point for point, and a chart should say so.
    """
    if session.get(Site, site_id) is None:
        raise NotFound(f"no site {site_id}")
    statuses = FINISHED if include_failed else ("done",)
    rows = session.execute(
        select(Scan.id, Scan.batch_id, Batch.name, Batch.round, Scan.status, Scan.started_at,
               Scan.finished_at, Scan.score_total, Scan.grade, Scan.passed, Scan.vetoes,
               Scan.scoring_model, Scan.ruleset_version, Scan.error_code, *_DIMENSION_COLUMNS)
        .outerjoin(Batch, Batch.id == Scan.batch_id)
        .where(Scan.site_id == site_id, Scan.status.in_(statuses))
        .order_by(Scan.finished_at.asc(), Scan.id.asc())
    ).all()
    return [HistoryPoint(scan_id=r.id, batch_id=r.batch_id, batch_name=r.name, round=r.round,
                         status=r.status, started_at=r.started_at, finished_at=r.finished_at,
                         score_total=r.score_total, grade=r.grade, passed=r.passed,
                         dimensions=_dimensions(r), vetoes=list(r.vetoes or []),
                         scoring_model=r.scoring_model, ruleset_version=r.ruleset_version,
                         error_code=r.error_code) for r in rows]


# ---------------------------------------------------------------------------------- batches


def create_batch(session: Session, name: str, sites: Sequence[Site | int],
                 options: dict[str, Any] | None = None) -> Batch:
    """A new round of the batch `name` (round 1, or the last round + 1) with one queued scan
    per distinct site. The runner then claims and runs `pending_scans(batch.id)`.

    Two processes starting the same batch name at the same instant collide on the unique
    (name, round) and one gets an IntegrityError; retry it."""
    name = name.strip()
    if not name:
        raise ValueError("a batch needs a name")
    last = session.execute(select(func.max(Batch.round)).where(Batch.name == name)).scalar()
    ids = list(dict.fromkeys(s.id if isinstance(s, Site) else s for s in sites))
    urls: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        urls.update((row.id, row.url) for row in
                    session.execute(select(Site.id, Site.url).where(Site.id.in_(chunk))))
    missing = [i for i in ids if i not in urls]
    if missing:
        raise NotFound(f"no site {', '.join(map(str, missing[:10]))}")
    batch = Batch(name=name, round=(last or 0) + 1, status="queued", options=dict(options or {}))
    session.add(batch)
    session.flush()
    now = utcnow()
    if ids:
        session.execute(insert(Scan), [
            {"site_id": i, "batch_id": batch.id, "status": "queued", "target": urls[i],
             "options": dict(options or {}), "attempts": 0, "created_at": now} for i in ids])
    _refresh_batch(session, batch.id)
    return batch


def get_batch(session: Session, batch_id: int) -> Batch | None:
    return session.get(Batch, batch_id)


def latest_batch(session: Session, name: str) -> Batch | None:
    """The last round of the batch called `name`."""
    return find_batch(session, name)


def find_batch(session: Session, name: str, round_: int | None = None) -> Batch | None:
    """Round `round_` of the batch called `name`, or its last round when `round_` is None."""
    query = select(Batch).where(Batch.name == name.strip())
    query = (query.where(Batch.round == round_) if round_ is not None
             else query.order_by(Batch.round.desc()).limit(1))
    return session.execute(query).scalar_one_or_none()


def pending_scans(session: Session, batch_id: int) -> list[int]:
    """Ids of the batch's scans not finished yet (queued, or running when a runner died):
    what a resumed batch has left to do."""
    return list(session.execute(
        select(Scan.id).where(Scan.batch_id == batch_id, Scan.status.in_(PENDING))
        .order_by(Scan.id)).scalars())


def unfinished_scans(session: Session, limit: int = 10_000) -> list[int]:
    """Ids of every scan not finished yet, oldest first: what an in-process runner that
    restarted must pick up again (a broker keeps its own queue)."""
    return list(session.execute(
        select(Scan.id).where(Scan.status.in_(PENDING)).order_by(Scan.id).limit(limit)
    ).scalars())


def batch_progress(session: Session, batch_id: int) -> BatchProgress:
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound(f"no batch {batch_id}")
    counts = _status_counts(session, batch_id)
    return BatchProgress(id=batch.id, name=batch.name, round=batch.round, status=batch.status,
                         created_at=batch.created_at, finished_at=batch.finished_at,
                         total=sum(counts.values()), **counts)


# ------------------------------------------------------------------------------------ scans


def enqueue_scan(session: Session, site: Site | int, batch: Batch | int | None = None,
                 options: dict[str, Any] | None = None,
                 idempotency_key: str | None = None) -> Scan:
    """A queued scan of `site` (in `batch`, if given).

    Idempotent: the same `idempotency_key` returns the scan it first created (a different site
    with a reused key raises IdempotencyConflict), and a site already in `batch` returns that
    batch's scan — a batch holds exactly one scan per site.
    """
    target = _site_of(session, site)
    batch_id = _batch_id(session, batch)
    values = {"site_id": target.id, "batch_id": batch_id, "status": "queued",
              "target": target.url, "options": dict(options or {}),
              "idempotency_key": idempotency_key, "attempts": 0, "created_at": utcnow()}
    stmt = _insert(session, Scan).values(**values).on_conflict_do_nothing().returning(Scan.id)
    scan_id = session.execute(stmt).scalar_one_or_none()
    if scan_id is None:
        existing = None
        if idempotency_key is not None:
            existing = session.execute(
                select(Scan).where(Scan.idempotency_key == idempotency_key)).scalar_one_or_none()
        if existing is None and batch_id is not None:
            existing = session.execute(select(Scan).where(
                Scan.batch_id == batch_id, Scan.site_id == target.id)).scalar_one_or_none()
        if existing is None:  # pragma: no cover - a conflict implies a row
            raise DatabaseError("scan insert conflicted but no scan was found")
        if existing.site_id != target.id:
            raise IdempotencyConflict(
                f"idempotency key {idempotency_key!r} was used for another site")
        return existing
    scan = session.get(Scan, scan_id)
    assert scan is not None
    _refresh_batch(session, batch_id)
    return scan


def claim_scan(session: Session, scan_id: int, worker: str, *,
               stale_after: float | None = None, max_attempts: int | None = None) -> Scan | None:
    """Take a scan to run: queued → running, attempts + 1, in one atomic UPDATE.

    A scan already `running` is taken over too — a re-delivered Celery task means its worker
    died — unless `stale_after` (seconds) is given and it started more recently than that.
    Returns None when there is nothing to do: the scan is done or failed (a duplicate
    delivery), does not exist, is running elsewhere, or has used `max_attempts` (it is then
    marked failed with code `attempts`).
    """
    now = utcnow()
    takeover: ColumnElement[bool] = Scan.status == "running"
    if stale_after is not None:
        takeover = and_(takeover, Scan.started_at < now - timedelta(seconds=stale_after))
    claimable = or_(Scan.status == "queued", takeover)
    conditions = [Scan.id == scan_id, claimable]
    if max_attempts is not None:
        conditions.append(Scan.attempts < max_attempts)
    claimed = session.execute(
        update(Scan).where(*conditions)
        .values(status="running", attempts=Scan.attempts + 1, worker=worker[:200],
                started_at=now, finished_at=None, error_code=None, error_message=None,
                progress=None)
        .returning(Scan.id, Scan.batch_id)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if claimed is None:
        if max_attempts is not None:
            exhausted = session.execute(select(Scan.id).where(
                Scan.id == scan_id, claimable, Scan.attempts >= max_attempts)).scalar()
            if exhausted is not None:
                fail_scan(session, scan_id, "attempts",
                          f"gave up after {max_attempts} attempts")
        return None
    if claimed.batch_id is not None:
        session.execute(update(Batch).where(Batch.id == claimed.batch_id,
                                            Batch.status == "queued")
                        .values(status="running").execution_options(synchronize_session=False))
    return session.get(Scan, scan_id, populate_existing=True)


def get_scan(session: Session, scan_id: int) -> Scan | None:
    return session.get(Scan, scan_id)


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
    scan = _lock_scan(session, scan_id)
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
        {"scan_id": scan_id, "page_id": row.id, "rule": f.rule, "outcome": f.outcome,
         "severity": f.severity, "clause": f.clause, "selector": f.selector,
         "box": list(f.box) if f.box is not None else None, "value": f.value,
         "threshold": f.threshold, "message": f.message, "message_key": f.message_key,
         "fingerprint": finding_fingerprint(f, page.url)}
        for page, row in zip(report.pages, pages, strict=True) for f in page.findings
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
    _refresh_batch(session, scan.batch_id)
    return scan


def fail_scan(session: Session, scan_id: int, code: str, message: str) -> Scan:
    """Mark a scan failed with an error code and message (the runner gave up on it).

    A scan already `done` is left as it is: a late failure of a duplicate delivery must not
    overwrite a result another worker saved. (The check is part of the UPDATE itself, so it
    holds on SQLite too, where `FOR UPDATE` does not exist.)
    """
    _lock_scan(session, scan_id)
    session.execute(
        update(Scan).where(Scan.id == scan_id, Scan.status != "done")
        .values(status="failed", error_code=code[:100], error_message=message[:MAX_ERROR_MESSAGE],
                finished_at=utcnow())
        .execution_options(synchronize_session=False))
    scan = session.get(Scan, scan_id, populate_existing=True)
    assert scan is not None
    _refresh_batch(session, scan.batch_id)
    return scan


def set_progress(session: Session, scan_id: int, progress: dict[str, Any]) -> bool:
    """Record a running scan's progress (e.g. `{"pages_done": 3, "pages_total": 10}`) for
    `GET /scans/{id}`. Ignored (False) unless the scan is running."""
    updated = session.execute(
        update(Scan).where(Scan.id == scan_id, Scan.status == "running")
        .values(progress=dict(progress)).returning(Scan.id)
        .execution_options(synchronize_session=False)).scalar_one_or_none()
    return updated is not None


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


def scan_brief(session: Session, scan_id: int) -> ScoreBrief:
    row = session.execute(select(*_BRIEF_COLUMNS).where(Scan.id == scan_id)).one_or_none()
    if row is None:
        raise NotFound(f"no scan {scan_id}")
    return _brief(row)


# ----------------------------------------------------------------------------------- tokens


def _hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def create_token(session: Session, name: str, role: str) -> str:
    """A new API token; returns the plaintext, which is shown once and stored only hashed."""
    if role not in TOKEN_ROLES:
        raise ValueError(f"role must be one of {', '.join(TOKEN_ROLES)}, not {role!r}")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name.strip() or "token", role=role,
                         token_hash=_hash_token(plaintext)))
    session.flush()
    return plaintext


def check_token(session: Session, plaintext: str) -> str | None:
    """The role of a valid, unrevoked token, or None.

    Checking is a read: `last_used_at` is written on the side, at most once a minute per token
    and process, in its own short transaction, and a failed write (the store read-only or full)
    is logged and forgotten, so tokens keep working on a store that refuses writes.
    """
    if not plaintext:
        return None
    digest = _hash_token(plaintext.strip())
    row = session.execute(select(ApiToken.id, ApiToken.role, ApiToken.last_used_at).where(
        ApiToken.token_hash == digest,
        ApiToken.revoked.is_(False))).one_or_none()
    if row is None:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > timedelta(
            seconds=TOKEN_TOUCH_SECONDS):
        _touch_token(session, row.id, digest, now)
    return str(row.role)


def _touch_token(session: Session, token_id: int, digest: str, now: datetime) -> None:
    touch(session, f"token:{digest}",
          update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now),
          f"token {token_id}: last use")


def revoke_token(session: Session, token_id: int) -> bool:
    """Revoke a token; False if there is no such token."""
    token = session.get(ApiToken, token_id)
    if token is None:
        return False
    token.revoked = True
    end_token_sessions(session, token_id)  # its dashboard sign-ins end with it
    session.flush()
    return True


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.execute(select(ApiToken).order_by(ApiToken.id)).scalars())


# -------------------------------------------------------------------------------- artifacts


def scan_artifacts_dir(scan_id: int, data_root: Path | None = None) -> Path:
    """Where a runner should write a scan's screenshots: `<data dir>/scans/<id>/`. Pass the
    data directory as `screenshots_root` to `build_report` so paths come out relative to it."""
    return (data_root or data_dir()).resolve() / "scans" / str(scan_id)


def prune_artifacts(session: Session, older_than_days: float, *,
                    data_root: Path | None = None, now: datetime | None = None) -> PruneStats:
    """Delete the screenshot files of scans finished more than `older_than_days` ago.

    Only files under the data directory are touched; their paths become null (in the page rows
    and in the stored result JSON). Scores, findings and the rest of the result are kept.
    Files are deleted after the rows are updated (and flushed): if the transaction is then
    rolled back, a path may name a file that is gone, so readers must tolerate that.
    """
    if older_than_days < 0:
        raise ValueError("older_than_days must be ≥ 0")
    root = (data_root or data_dir()).resolve()
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    rows = session.execute(
        select(Page).join(Scan, Scan.id == Page.scan_id)
        .where(Scan.finished_at < cutoff, Page.screenshot.is_not(None))
        .order_by(Page.scan_id, Page.position)
    ).scalars().all()
    doomed: list[Path] = []
    positions: dict[int, set[int]] = {}
    for page in rows:
        assert page.screenshot is not None
        path = (root / page.screenshot).resolve()
        if not path.is_relative_to(root) or path == root:
            continue
        doomed.extend((path, unmasked_screenshot(path)))  # the second only on mask pages
        positions.setdefault(page.scan_id, set()).add(page.position)
        page.screenshot = None
    for scan_id, cleared in positions.items():
        scan = session.get(Scan, scan_id)
        if scan is None or not scan.result:
            continue
        result = dict(scan.result)
        result["pages"] = [
            {**p, "screenshot": None} if i in cleared else p
            for i, p in enumerate(result.get("pages") or [])
        ]
        scan.result = result
    session.flush()
    files = freed = 0
    for path in doomed:
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            continue
        files += 1
        freed += size
        _remove_empty_parents(path.parent, root)
    return PruneStats(scans=len(positions), files=files, bytes=freed)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
