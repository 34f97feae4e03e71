"""Sites: their identity (one site per address, whatever its scheme or `www.`), creating and
updating them in one statement, and listing them with their latest score."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from elderscan.siteaddress import site_url_key
from elderscan.store import nameorder
from elderscan.store.briefs import (
    BRIEF_COLUMNS,
    DIMENSION_COLUMNS,
    brief_of,
    dimensions_of,
    scan_brief,
)
from elderscan.store.db import NotFound
from elderscan.store.dialect import dialect_insert
from elderscan.store.models import SITE_CATEGORIES, Batch, Scan, Site, utcnow
from elderscan.store.views import HistoryPoint, SiteList, SiteOut

FINISHED = ("done", "failed")


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
    stmt = (dialect_insert(session, Site).values(**values)
            .on_conflict_do_update(index_elements=["url_key"], set_=changes)
            .returning(Site.id))
    site_id = session.execute(stmt).scalar_one()
    site = session.get(Site, site_id, populate_existing=True)
    assert site is not None
    return site


def get_site(session: Session, site_id: int) -> Site | None:
    return session.get(Site, site_id)


def site_of(session: Session, site: Site | int) -> Site:
    if isinstance(site, Site):
        return site
    found = session.get(Site, site)
    if found is None:
        raise NotFound("api.no-site", id=site)
    return found


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
    query: Select[Any] = select(Site, *[getattr(latest, c.key) for c in BRIEF_COLUMNS]).outerjoin(
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
        brief = None if row.id is None else brief_of(row)
        items.append(SiteOut(id=site.id, name=site.name, url=site.url, category=site.category,
                             region=site.region, tags=list(site.tags), created_at=site.created_at,
                             latest=brief))
    return SiteList(items=items, total=total, limit=limit, offset=offset)


def latest_done_scan(session: Session, site_id: int) -> int | None:
    """Id of the site's latest completed scan, if any."""
    return session.execute(
        select(Scan.id).where(Scan.site_id == site_id, Scan.status == "done")
        .order_by(*_LATEST_ORDER).limit(1)).scalar_one_or_none()


def site_out(session: Session, site_id: int) -> SiteOut | None:
    """A site with its latest completed scan's score; None when there is no such site."""
    site = session.get(Site, site_id)
    if site is None:
        return None
    latest = latest_done_scan(session, site_id)
    return SiteOut(id=site.id, name=site.name, url=site.url, category=site.category,
                   region=site.region, tags=list(site.tags or []), created_at=site.created_at,
                   latest=None if latest is None else scan_brief(session, latest))


def site_history(session: Session, site_id: int, include_failed: bool = True) -> list[HistoryPoint]:
    """Every finished scan of a site, oldest first, with its batch round and scores.

    Each point keeps its `scoring_model`: scores of different model versions are not
    comparable point for point, and a chart should say so.
    """
    if session.get(Site, site_id) is None:
        raise NotFound("api.no-site", id=site_id)
    statuses = FINISHED if include_failed else ("done",)
    rows = session.execute(
        select(Scan.id, Scan.batch_id, Batch.name, Batch.round, Scan.status, Scan.started_at,
               Scan.finished_at, Scan.score_total, Scan.grade, Scan.passed, Scan.vetoes,
               Scan.scoring_model, Scan.ruleset_version, Scan.error_code, *DIMENSION_COLUMNS)
        .outerjoin(Batch, Batch.id == Scan.batch_id)
        .where(Scan.site_id == site_id, Scan.status.in_(statuses))
        .order_by(Scan.finished_at.asc(), Scan.id.asc())
    ).all()
    return [HistoryPoint(scan_id=r.id, batch_id=r.batch_id, batch_name=r.name, round=r.round,
                         status=r.status, started_at=r.started_at, finished_at=r.finished_at,
                         score_total=r.score_total, grade=r.grade, passed=r.passed,
                         dimensions=dimensions_of(r), vetoes=list(r.vetoes or []),
                         scoring_model=r.scoring_model, ruleset_version=r.ruleset_version,
                         error_code=r.error_code) for r in rows]
